// Filtering runs here, where the frames are, so the UI never needs the whole trace.
import type { FrameSummary, TraceQuery, TraceQueryResult } from '../../../shared/contract/types';
import { PACKET_TYPES } from '../../../shared/contract/types';
import { topicMatches } from '../../../shared/mqtt/topic';
import { META_CLIENT_SIDE, META_KIND_SHIFT, META_S2C } from './frame-index';
import type { TraceStore } from './trace-store';
import { TextSearch } from './text-search';

const KIND_NUM = { packet: 0, malformed: 1, event: 2 } as const;

/** A test of one frame; chunkMayMatch(seq), when given, is false when no frame of seq's chunk can pass. */
export type BaseMatcher = ((seq: number) => boolean) & { chunkMayMatch?: (seq: number) => boolean };

/** The query's structured conditions (everything but the display filter) as one test, or null for none. */
export function baseMatcher(store: TraceStore, q: TraceQuery, sessionConns?: Set<number>): BaseMatcher | null {
  const conns = q.conns ? new Set(q.conns) : null;
  const kinds = q.kinds ? new Set(q.kinds.map((k) => KIND_NUM[k])) : null;
  const types = q.types ? new Set(q.types.map((t) => PACKET_TYPES.indexOf(t))) : null;
  const side = q.side === undefined ? -1 : q.side === 'client' ? META_CLIENT_SIDE : 0;
  const dir = q.dir === undefined ? -1 : q.dir === 's2c' ? META_S2C : 0;
  const topicCache = new Map<string, boolean>();
  const text = q.text ? new TextSearch(store, q.text) : null;
  if (side < 0 && dir < 0 && !kinds && !types && !conns && !sessionConns && !q.topicFilter && !text) return null;

  const test: BaseMatcher = (seq: number): boolean => {
    const b = store.blockOf(seq);
    if (!b) return false;
    const i = seq - b.firstSeq;
    const meta = b.meta[i];
    if (side >= 0 && (meta & META_CLIENT_SIDE) !== side) return false;
    if (dir >= 0 && (meta & META_S2C) !== dir) return false;
    const kind = (meta >> META_KIND_SHIFT) & 3;
    if (kinds && !kinds.has(kind as 0 | 1 | 2)) return false;
    if (types && (kind === 2 || !types.has(b.b0[i] >> 4))) return false;
    if (conns && !conns.has(b.conn[i])) return false;
    if (sessionConns && !sessionConns.has(b.conn[i])) return false;
    if (q.topicFilter) {
      const t = store.topicOf(seq);
      if (t === undefined) return false;
      let m = topicCache.get(t);
      if (m === undefined) topicCache.set(t, (m = topicMatches(q.topicFilter, t)));
      if (!m) return false;
    }
    if (text) return text.test(seq);
    return true;
  };
  if (text) test.chunkMayMatch = (seq) => text.anyIn(seq);
  return test;
}

/** A query without conditions: every frame matches, so only the bounds are walked, up to the limit. */
export function pageOfAll(store: TraceStore, q: TraceQuery): TraceQueryResult {
  const limit = q.limit ?? 500;
  const stats = store.stats();
  const lo = Math.max(store.firstSeq, q.fromSeq ?? 0);
  const hi = Math.min(store.nextSeq - 1, q.toSeq ?? Number.MAX_SAFE_INTEGER);
  const frames: FrameSummary[] = [];
  if (q.order === 'backward') {
    for (let s = hi; s >= lo && frames.length < limit; s--) frames.push(store.summary(s)!);
  } else {
    for (let s = lo; s <= hi && frames.length < limit; s++) frames.push(store.summary(s)!);
  }
  return { frames, matching: stats.frames, stats, scannedTo: store.nextSeq, continued: false };
}
