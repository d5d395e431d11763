// Contract shapes of the topic tree, payload previews and codec settings (issue 10). Plain data only.
import type { CodecChoice, CodecRule } from '../codecs/types';

export type TopicSort = 'name' | 'rate' | 'count';

export interface TopicTreeParams {
  /** Paths of expanded nodes ("a", "a/b"); the root's children are always listed. */
  expanded: string[];
  sort: TopicSort;
  /** Substring of the topic (case-insensitive): shows matching topics with their ancestors opened. */
  search?: string;
  offset: number;
  limit: number;
}

export interface TopicRow {
  path: string;
  /** This level's name ('' for an empty level). */
  name: string;
  depth: number;
  hasChildren: boolean;
  expanded: boolean;
  /** Messages in the subtree, and on exactly this topic. */
  count: number;
  own: number;
  /** Distinct topics in the subtree. */
  topics: number;
  bytes: number;
  /** Per second, averaged over the last 10 s of wire time. */
  msgRate: number;
  byteRate: number;
  /** Messages per second in each of the last 10 s, oldest first (the sparkline). */
  spark: number[];
  qos: [number, number, number];
  /** A retained message is set on exactly this topic (the newest PUBLISH had retain and a payload). */
  retained: boolean;
  /** Newest message on exactly this topic (seq), its wire time and a one-line decoded preview. */
  lastSeq?: number;
  lastUs?: number;
  preview?: string;
}

export interface TopicTreeResult {
  rows: TopicRow[];
  /** Visible rows in all (for the virtual list). */
  total: number;
  topics: number;
  messages: number;
  /** Messages on topics beyond the tracked maximum: counted, not in the tree. */
  untracked: number;
  /** The tree's estimated memory, charged to the trace budget, and its share of that budget. */
  treeBytes: number;
  treeBudgetBytes: number;
  nowUs: number;
}

export interface PayloadPreview {
  seq: number;
  /** The codec that read it ('auto' resolved). */
  codec: string;
  /** One line (preview) or the whole decoded text (full); hex when decoding failed. */
  text: string;
  error?: string;
  /** Byte offset where decoding failed. */
  offset?: number;
  size: number;
  /** The payload is no longer in the trace (evicted). */
  gone?: boolean;
}

export interface CodecSettingsInfo {
  rules: CodecRule[];
  protoText: string;
  /** Message types of the loaded .proto. */
  protoTypes: string[];
}

export interface TopicSeriesParams {
  topic: string;
  /** Path to a numeric field ("temp", "metrics[0].double_value"); '' = the payload itself as a number. */
  field: string;
  /** Continue after this seq (live updates); from the oldest frame in the trace when absent. */
  afterSeq?: number;
  limit?: number;
}

export interface TopicSeriesResult {
  /** [wire time as wall-clock ms (µs resolution), value] of each message on the topic with a number at `field`. */
  points: [number, number][];
  /** Pass as afterSeq next time. */
  lastSeq: number;
  /** Numeric fields of the newest message (for the picker). */
  fields: string[];
}

export type { CodecChoice, CodecRule };
