// What the display filter uses to skip work over a store, kept beside it and built incrementally: at the
// recorder's batch tick while a window watches the trace, or by a query catching up (in its slices), never
// on the socket path. Two parts, both freed as the store evicts:
// - per frame, the id of its MQTT 5 property list, interned by its bytes (equal bytes mean equal
//   properties), so a prop.* filter decodes each distinct list once instead of every frame's;
// - per chunk of 256 frames, a zone map: which packet types, kinds, side/direction pairs, QoS levels and
//   flags occur in it, whether any frame has properties, and 32-bit masks of its connection ids and of its
//   topics (hashed) — a filter that needs something the chunk lacks skips all 256 frames. A topic test
//   other than == (matches, ~, contains) is run once per distinct topic the index has listed, and the
//   chunk is skipped when no topic that passes shares a bit with the chunk's mask.
import { propertyBytes } from '../../../shared/mqtt/packet-properties';
import { META_CLIENT_SIDE, META_KIND_SHIFT, META_S2C } from './frame-index';
import type { ConnFacts } from './store-facts';
import type { TraceStore } from './trace-store';

export const CHUNK = 256;
/** Frames the batch tick indexes at most (a backlog after a burst is spread over ticks and queries). */
export const FILTER_INDEX_SLICE = 50_000;
const PAGE = 16384;
const CHUNKS_PER_PAGE = PAGE / CHUNK;
/** Property list not interned (table full, list too long, version not known yet): decode the frame. */
export const UNKNOWN_SET = 0xffffffff;
const MAX_SETS = 2048;
const MAX_SET_BYTES = 256;
/** Per frame: the property-set id, plus the chunk's three 32-bit masks spread over its frames. */
export const INDEX_BYTES_PER_FRAME = 4 + 12 / CHUNK;

// Zone-map bits (chunk mask).
export const Z_TYPE = 0; // bits 0–15: a frame of that packet type (what the filter's `type` reads)
export const Z_EVENT = 1 << 16;
export const Z_MALFORMED = 1 << 17;
export const Z_SIDE_DIR = 18; // bits 18–21: (client side ? 2 : 0) + (s2c ? 1 : 0)
export const Z_QOS = 22; // bits 22–24: a PUBLISH of QoS 0, 1, 2
export const Z_DUP = 1 << 25;
export const Z_RETAIN = 1 << 26;
export const Z_PROPS = 1 << 27;

class Page {
  readonly propSet = new Uint32Array(PAGE);
  readonly chunkMask = new Uint32Array(CHUNKS_PER_PAGE);
  readonly chunkConns = new Uint32Array(CHUNKS_PER_PAGE);
  readonly chunkTopics = new Uint32Array(CHUNKS_PER_PAGE);
}

/** The bit a topic sets in a chunk's topic mask (a hash of the string: topic ids are renumbered on compaction). */
export function topicBit(topic: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < topic.length; i++) h = Math.imul(h ^ topic.charCodeAt(i), 0x01000193);
  return 1 << ((h >>> 0) & 31);
}

/** Distinct topics listed for chunk tests (the strings are the store's own; the list holds references). */
const MAX_LISTED_TOPICS = 65536;
/** A listed topic's map entry, two array slots and string header, beyond its characters. */
const TOPIC_ENTRY_BYTES = 96;

/** A snapshot of the index's topic list: entries below `count` never change. */
export interface TopicSource {
  count: number;
  topic(i: number): string;
  bit(i: number): number;
}

export class FilterIndex {
  private pages = new Map<number, Page>();
  private lowestPage = 0;
  /** Frames below this seq are indexed. */
  indexedTo: number;
  /** Interned property lists by the hash of their bytes. */
  private sets = new Map<number, { id: number; bytes: Uint8Array }[]>();
  private setTotal = 0;
  private setBytes = 0;
  private topicBits = new Map<string, number>();
  /** Every distinct topic indexed since the store was last emptied, in first-seen order, and its mask bit. */
  private topicList: string[] = [];
  private topicListBits: number[] = [];
  /** False once more than MAX_LISTED_TOPICS distinct topics were seen: the list no longer covers every chunk. */
  private topicsListed = true;
  /** Estimated heap of the list (its strings may outlive the store's topic table, so they count here). */
  private topicBytes = 0;

  constructor(private store: TraceStore) {
    this.indexedTo = store.firstSeq;
    this.lowestPage = Math.floor(store.firstSeq / PAGE);
  }

  /** Index frames up to `to` (exclusive; default: the store's end), at most `maxFrames` of them. */
  extend(conns: (id: number) => ConnFacts | undefined, to = this.store.nextSeq, maxFrames = Infinity): void {
    const store = this.store;
    this.forgetEvicted();
    if (this.indexedTo < store.firstSeq) this.indexedTo = store.firstSeq;
    const end = Math.min(to, store.nextSeq, this.indexedTo + maxFrames);
    if (end <= this.indexedTo) return;
    let connId = -1;
    let version: number | undefined;
    let page: Page | undefined;
    let pageNo = -1;
    for (let s = this.indexedTo; s < end; s++) {
      const b = store.blockOf(s)!;
      const i = s - b.firstSeq;
      const p = Math.floor(s / PAGE);
      if (p !== pageNo) {
        pageNo = p;
        page = this.pages.get(p);
        if (!page) this.pages.set(p, (page = new Page()));
      }
      const meta = b.meta[i];
      const kind = (meta >> META_KIND_SHIFT) & 3;
      const len = b.len[i];
      const b0 = b.b0[i];
      const type = kind === 2 || len === 0 ? -1 : b0 >> 4;
      const conn = b.conn[i];
      let mask = (1 << (Z_SIDE_DIR + (meta & META_CLIENT_SIDE ? 2 : 0) + (meta & META_S2C ? 1 : 0)));
      if (type >= 0) mask |= 1 << type;
      if (kind === 2) mask |= Z_EVENT;
      if (kind === 1) mask |= Z_MALFORMED;
      if (type === 3) {
        const qos = (b0 >> 1) & 3;
        if (qos < 3) mask |= 1 << (Z_QOS + qos);
        if (b0 & 8) mask |= Z_DUP;
        if (b0 & 1) mask |= Z_RETAIN;
      }
      let set = 0;
      if (kind !== 2 && len >= 2) {
        if (conn !== connId) { connId = conn; version = conns(conn)?.protocolVersion; }
        set = version === undefined ? UNKNOWN_SET : version !== 5 && type !== 1 ? 0 : this.setOf(s);
      }
      if (set !== 0) mask |= Z_PROPS;
      const o = s - p * PAGE;
      page!.propSet[o] = set;
      const c = Math.floor(o / CHUNK);
      page!.chunkMask[c] |= mask;
      page!.chunkConns[c] |= 1 << (conn & 31);
      if (store.topicIdAt(b, i)) page!.chunkTopics[c] |= this.bitOfTopic(store.topicOf(s)!);
    }
    this.indexedTo = end;
    this.charge();
  }

  /** The frame's property-set id: 0 none, UNKNOWN_SET decode it. Only for indexed frames. */
  propSet(seq: number): number {
    if (seq >= this.indexedTo) return UNKNOWN_SET;
    const p = this.pages.get(Math.floor(seq / PAGE));
    return p ? p.propSet[seq % PAGE] : UNKNOWN_SET;
  }

  /** Zone map of the chunk holding `seq` (covers at least its frames below indexedTo), or null. */
  chunk(seq: number): { mask: number; conns: number; topics: number } | null {
    const p = this.pages.get(Math.floor(seq / PAGE));
    if (!p) return null;
    const c = Math.floor((seq % PAGE) / CHUNK);
    return { mask: p.chunkMask[c], conns: p.chunkConns[c], topics: p.chunkTopics[c] };
  }

  private bitOfTopic(topic: string): number {
    let bit = this.topicBits.get(topic);
    if (bit === undefined) {
      bit = topicBit(topic);
      if (this.topicBits.size < MAX_LISTED_TOPICS) {
        this.topicBits.set(topic, bit);
        this.topicList.push(topic);
        this.topicListBits.push(bit);
        this.topicBytes += TOPIC_ENTRY_BYTES + 2 * topic.length;
      } else {
        this.topicsListed = false;
      }
    }
    return bit;
  }

  /**
   * The topics a chunk test may consult: every distinct topic of every indexed chunk (evicted ones too,
   * which only costs skipping), or null once there were too many to list.
   */
  get topics(): TopicSource | null {
    if (!this.topicsListed) return null;
    return { count: this.topicList.length, topic: (i) => this.topicList[i], bit: (i) => this.topicListBits[i] };
  }

  /** Interned property lists (bounded: MAX_SETS lists of at most MAX_SET_BYTES bytes). */
  get setCount(): number { return this.setTotal; }

  dispose(): void {
    this.store.chargePerFrame(this, 0);
    this.pages.clear();
    this.sets.clear();
    this.setTotal = 0;
  }

  private setOf(seq: number): number {
    const head = this.store.headerOf(seq);
    if (!head) return UNKNOWN_SET;
    // The connection's level only matters for non-CONNECT packets, and those were checked to be MQTT 5.
    const r = propertyBytes(head, 5);
    if (!r || r.to <= r.from) return 0;
    const n = r.to - r.from;
    if (n > MAX_SET_BYTES) return UNKNOWN_SET;
    // FNV-1a over the list's bytes; equal hashes are confirmed byte by byte against the interned copy.
    let h = 0x811c9dc5;
    for (let i = r.from; i < r.to; i++) h = Math.imul(h ^ head[i], 0x01000193);
    let bucket = this.sets.get(h);
    if (bucket) {
      for (const e of bucket) if (e.bytes.length === n && sameBytes(e.bytes, head, r.from)) return e.id;
    }
    if (this.setTotal >= MAX_SETS) return UNKNOWN_SET;
    if (!bucket) this.sets.set(h, (bucket = []));
    const id = ++this.setTotal;
    bucket.push({ id, bytes: Uint8Array.prototype.slice.call(head, r.from, r.to) as Uint8Array });
    this.setBytes += 64 + n;
    return id;
  }

  private forgetEvicted(): void {
    const store = this.store;
    const first = Math.floor(store.firstSeq / PAGE);
    for (let p = this.lowestPage; p < first; p++) this.pages.delete(p);
    this.lowestPage = Math.max(this.lowestPage, first);
    // An emptied store (Clear) holds no frame that names a set: start the table afresh.
    if (store.firstSeq === store.nextSeq && (this.setTotal || this.topicList.length || !this.topicsListed)) {
      this.sets.clear(); this.setTotal = 0; this.setBytes = 0; this.pages.clear();
      this.topicBits.clear(); this.topicList = []; this.topicListBits = []; this.topicsListed = true; this.topicBytes = 0;
    }
  }

  /** Charge the store's budget for this index, per frame held (so evicting frames lowers it at once). */
  private charge(): void {
    const frames = Math.max(1, this.store.nextSeq - this.store.firstSeq);
    const perFrame = INDEX_BYTES_PER_FRAME + (this.setBytes + this.topicBytes) / frames;
    this.store.chargePerFrame(this, perFrame);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array, at: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[at + i]) return false;
  return true;
}
