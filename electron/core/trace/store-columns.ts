// Frame summaries packed into FrameColumns (shared/contract/frame-columns.ts) straight from the trace
// store's column blocks. Building a FrameSummary object per frame only for packFrames to take it apart
// again was a large share of what a watched burst allocated (four frames per message, each an object with
// strings); this reads the same typed arrays summary() reads and writes the same integers packFrames
// writes. packStoreFrames(store, a, b) deep-equals packFrames(summaries of a..b), which the tests check
// frame kind by frame kind and across eviction.
import { BIT, KIND_NUM, TYPE_NUM, type FrameColumns } from '../../../shared/contract/frame-columns';
import { PACKET_TYPES, type FrameKind } from '../../../shared/contract/types';
import { META_CLIENT_SIDE, META_KIND_SHIFT, META_S2C, NO_REASON, type Block } from './frame-index';
import type { TraceStore } from './trace-store';

const KINDS: FrameKind[] = ['packet', 'malformed', 'event'];
/** Frame-columns type number by the first byte's high nibble (what summary() names the type). */
const TYPE_BITS = PACKET_TYPES.map((t) => TYPE_NUM[t] << BIT.typeShift);
const KIND_BITS = KINDS.map((k) => KIND_NUM[k] << BIT.kindShift);

/** The frames still stored in [fromSeq, toSeq], packed as packFrames packs their summaries. */
export function packStoreFrames(store: TraceStore, fromSeq: number, toSeq: number): FrameColumns {
  const lo = Math.max(fromSeq, store.firstSeq);
  const hi = Math.min(toSeq, store.nextSeq - 1);
  const p = new StorePacker(store, Math.max(0, hi - lo + 1));
  for (let s = lo; s <= hi;) {
    const b = store.blockOf(s)!;
    const stop = Math.min(hi + 1, b.firstSeq + b.count);
    for (; s < stop; s++) p.add(s, b, s - b.firstSeq);
  }
  return p.finish();
}

/**
 * Packs frames one by one, in seq order, from the store's column blocks: what packFrames makes of their
 * summaries. For a contiguous range (packStoreFrames) and for frames picked out of one (message pages).
 */
export class StorePacker {
  private readonly c: FrameColumns;
  /** The seqs packed, for the wall-clock fallback. */
  private readonly at: number[];
  // Store topic id → index in c.topics. The store interns topics by string, so one id is one string.
  private readonly topicIds = new Map<number, number>();
  private prevSeq = 0;
  private prevT = 0;
  private prevOff = 0;
  private wallExact = true;
  private k = 0;

  /** `expected`: how many frames will be added, if known (the columns are sized once). */
  constructor(private readonly store: TraceStore, expected = 0) {
    const n = expected;
    this.at = new Array<number>(n);
    this.c = { n, seq: new Array<number>(n), timeUs: new Array<number>(n), wall: new Array<number>(n), conn: new Array<number>(n), bits: new Array<number>(n),
      length: new Array<number>(n), packetId: [], topic: [], topics: [], reasonCode: [], payloadSize: [], note: [] };
  }

  get count(): number { return this.k; }

  /** Frame `s`, at index i of block b. */
  add(s: number, b: Block, i: number): void {
    const c = this.c;
    const store = this.store;
    const k = this.k++;
    this.at[k] = s;
    c.seq[k] = s - this.prevSeq;
    this.prevSeq = s;
    const timeUs = b.timeUs[i];
    const t = Math.round(timeUs);
    c.timeUs[k] = t - this.prevT;
    this.prevT = t;
    // The same expressions as summary() and packFrames, so the floating-point results are the same.
    const wallMs = store.wallUs(timeUs) / 1000;
    const off = Math.round(wallMs * 1000) - t;
    if (this.wallExact && (t + off) / 1000 !== wallMs) this.wallExact = false;
    c.wall[k] = off - this.prevOff;
    this.prevOff = off;
    c.conn[k] = b.conn[i];
    const meta = b.meta[i];
    const kind = (meta >> META_KIND_SHIFT) & 3;
    const len = b.len[i];
    const b0 = b.b0[i];
    const typeNum = b0 >> 4;
    const typed = kind !== 2 && len !== 0; // summary(): events and empty records have no type
    let bits = (meta & META_CLIENT_SIDE ? BIT.client : 0) | (meta & META_S2C ? BIT.s2c : 0) | KIND_BITS[kind]
      | (typed ? TYPE_BITS[typeNum] : 0) | ((b0 & 15) << BIT.flagsShift);
    const pid = b.packetId[i];
    if (pid) { bits |= BIT.packetId; c.packetId.push(pid); }
    const topic = store.topicIdAt(b, i);
    if (topic) {
      bits |= BIT.topic;
      let id = this.topicIds.get(topic);
      if (id === undefined) { id = c.topics.length; this.topicIds.set(topic, id); c.topics.push(store.topicName(topic)); }
      c.topic.push(id);
    }
    if (typeNum === 3 && typed) {
      const qos = (b0 >> 1) & 3;
      if (qos <= 2) bits |= BIT.qos | (qos << BIT.qosShift);
      bits |= BIT.retain | (b0 & 1 ? BIT.retainOn : 0);
      bits |= BIT.dup | (b0 & 8 ? BIT.dupOn : 0);
    }
    const reason = b.reason[i];
    if (reason !== NO_REASON) { bits |= BIT.reasonCode; c.reasonCode.push(reason); }
    if (typeNum === 3 && typed) { bits |= BIT.payloadSize; c.payloadSize.push(len - b.head[i]); }
    // Notes are the reasons of malformed records and the text of events (kinds 1, 2); a packet has none.
    const note = kind === 0 ? undefined : store.noteOf(s);
    if (note !== undefined) { bits |= BIT.note; c.note.push(note); }
    c.bits[k] = bits;
    c.length[k] = len;
  }

  /** The columns of the frames added (call once, before the store evicts them). */
  finish(): FrameColumns {
    const c = this.c;
    const n = this.k;
    if (c.n !== n) {
      c.n = n;
      for (const col of [c.seq, c.timeUs, c.wall, c.conn, c.bits, c.length, this.at]) col.length = n;
    }
    if (!this.wallExact) {
      c.wall = [];
      c.wallMs = new Array<number>(n);
      for (let j = 0; j < n; j++) {
        const b = this.store.blockOf(this.at[j])!;
        c.wallMs[j] = this.store.wallUs(b.timeUs[this.at[j] - b.firstSeq]) / 1000;
      }
    }
    return c;
  }
}
