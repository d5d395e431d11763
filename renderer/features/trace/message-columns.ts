// One connection's received messages as columns. Held as one object each, a burst's 50,000 messages were
// ~5 MiB of the page's live heap (after a full GC: 22 MiB with them as objects, 17 MiB as columns; up to
// 200,000 are held per connection), and each was copied by the young-generation GC that promoted it. A row
// becomes a FrameSummary only when something reads it (the rows on screen), and stays the same object while
// it is read again (rows are memoized by identity).
import { BIT, bitsOf, summaryOf } from '../../../shared/contract/frame-columns';
import type { FrameSummary } from '../../../shared/contract/types';

/** Rows made into objects and kept for their identity; past this the cache starts again (rows on screen are far fewer). */
const MADE_MAX = 2048;

/** Topic strings by number, shared by every list of a model (a burst's messages share a few topics). */
export class TopicTable {
  private ids = new Map<string, number>();
  readonly names: string[] = [];
  idOf(topic: string): number {
    let id = this.ids.get(topic);
    if (id === undefined) { id = this.names.length; this.ids.set(topic, id); this.names.push(topic); }
    return id;
  }
  clear(): void { this.ids.clear(); this.names.length = 0; }
}

/** Rows per chunk: the lists grow a chunk at a time, never by copying what they hold. */
const CHUNK = 4096;
const SHIFT = 12;

interface Chunk {
  seq: Float64Array; timeUs: Float64Array; wallMs: Float64Array; payloadSize: Float64Array;
  /** Side, dir, kind, type, flags, qos, retain, dup and which optional fields are present (frame-columns' BIT). */
  bits: Int32Array; length: Int32Array; packetId: Int32Array; topic: Int32Array; reasonCode: Int32Array;
}

const newChunk = (): Chunk => ({
  seq: new Float64Array(CHUNK), timeUs: new Float64Array(CHUNK), wallMs: new Float64Array(CHUNK), payloadSize: new Float64Array(CHUNK),
  bits: new Int32Array(CHUNK), length: new Int32Array(CHUNK), packetId: new Int32Array(CHUNK), topic: new Int32Array(CHUNK), reasonCode: new Int32Array(CHUNK),
});

export class MessageColumns {
  private chunks: Chunk[] = [];
  /** Rows removed from the front of the first chunk. */
  private head = 0;
  private n = 0;
  /** Notes are rare on a received PUBLISH: by seq. */
  private notes = new Map<number, string>();
  private made = new Map<number, FrameSummary>();

  constructor(readonly conn: number, private readonly topics: TopicTable) {}

  get count(): number { return this.n; }

  push(f: FrameSummary): void {
    const at = this.head + this.n;
    if (at >> SHIFT === this.chunks.length) this.chunks.push(newChunk());
    this.n++;
    this.write(at, f.seq, f.timeUs, f.wallMs, bitsOf(f), f.length, f.packetId ?? 0, f.topic === undefined ? 0 : this.topics.idOf(f.topic), f.reasonCode ?? 0, f.payloadSize ?? 0);
    if (f.note !== undefined) this.notes.set(f.seq, f.note);
  }

  /** Row i as a summary (the same object each time while it stays in the cache). */
  get(i: number): FrameSummary | undefined {
    if (i < 0 || i >= this.n) return undefined;
    const at = this.head + i;
    const c = this.chunks[at >> SHIFT];
    const k = at & (CHUNK - 1);
    const seq = c.seq[k];
    let f = this.made.get(seq);
    if (f) return f;
    const bits = c.bits[k];
    f = summaryOf(bits, seq, c.timeUs[k], c.wallMs[k], this.conn, c.length[k]);
    if (bits & BIT.packetId) f.packetId = c.packetId[k];
    if (bits & BIT.topic) f.topic = this.topics.names[c.topic[k]];
    if (bits & BIT.reasonCode) f.reasonCode = c.reasonCode[k];
    if (bits & BIT.payloadSize) f.payloadSize = c.payloadSize[k];
    if (bits & BIT.note) f.note = this.notes.get(seq);
    if (this.made.size >= MADE_MAX) this.made.clear();
    this.made.set(seq, f);
    return f;
  }

  seqAt(i: number): number { const at = this.head + i; return this.chunks[at >> SHIFT].seq[at & (CHUNK - 1)]; }
  private bitsAt(i: number): number { const at = this.head + i; return this.chunks[at >> SHIFT].bits[at & (CHUNK - 1)]; }
  /** The row's topic number in the shared table, -1 for none. */
  topicIdAt(i: number): number {
    const at = this.head + i;
    const c = this.chunks[at >> SHIFT];
    return c.bits[at & (CHUNK - 1)] & BIT.topic ? c.topic[at & (CHUNK - 1)] : -1;
  }
  packetIdAt(i: number): number | undefined {
    const at = this.head + i;
    const c = this.chunks[at >> SHIFT];
    return c.bits[at & (CHUNK - 1)] & BIT.packetId ? c.packetId[at & (CHUNK - 1)] : undefined;
  }
  qosAt(i: number): number | undefined { const bits = this.bitsAt(i); return bits & BIT.qos ? (bits >> BIT.qosShift) & 3 : undefined; }

  /** Index of the row with this seq, -1 if none (rows are in seq order). */
  indexOfSeq(seq: number): number {
    let lo = 0; let hi = this.n;
    while (lo < hi) { const m = (lo + hi) >> 1; if (this.seqAt(m) < seq) lo = m + 1; else hi = m; }
    return lo < this.n && this.seqAt(lo) === seq ? lo : -1;
  }

  /** Removes rows [from, from + count): from the front by moving where the list starts, elsewhere by moving the rows after them. */
  remove(from: number, count: number): void {
    for (let i = from; i < from + count; i++) {
      const seq = this.seqAt(i);
      this.made.delete(seq);
      if (this.bitsAt(i) & BIT.note) this.notes.delete(seq);
    }
    if (from === 0) {
      this.head += count;
      const whole = this.head >> SHIFT;
      if (whole) { this.chunks.splice(0, whole); this.head &= CHUNK - 1; }
    } else {
      for (let i = from; i + count < this.n; i++) this.copyRow(this.head + i + count, this.head + i);
    }
    this.n -= count;
    // A chunk emptied at the end is dropped (push makes a new one when it gets there).
    while (this.chunks.length > ((this.head + this.n + CHUNK - 1) >> SHIFT)) this.chunks.pop();
  }

  private copyRow(from: number, to: number): void {
    const a = this.chunks[from >> SHIFT]; const j = from & (CHUNK - 1);
    this.write(to, a.seq[j], a.timeUs[j], a.wallMs[j], a.bits[j], a.length[j], a.packetId[j], a.topic[j], a.reasonCode[j], a.payloadSize[j]);
  }

  private write(at: number, seq: number, timeUs: number, wallMs: number, bits: number, length: number, packetId: number, topic: number, reasonCode: number, payloadSize: number): void {
    const c = this.chunks[at >> SHIFT];
    const k = at & (CHUNK - 1);
    c.seq[k] = seq; c.timeUs[k] = timeUs; c.wallMs[k] = wallMs; c.bits[k] = bits; c.length[k] = length;
    c.packetId[k] = packetId; c.topic[k] = topic; c.reasonCode[k] = reasonCode; c.payloadSize[k] = payloadSize;
  }
}
