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

export class MessageColumns {
  private n = 0;
  private seq = new Float64Array(256);
  private timeUs = new Float64Array(256);
  private wallMs = new Float64Array(256);
  /** Side, dir, kind, type, flags, qos, retain, dup and which optional fields are present (frame-columns' BIT). */
  private bits = new Int32Array(256);
  private length = new Int32Array(256);
  private packetId = new Int32Array(256);
  private topic = new Int32Array(256);
  private reasonCode = new Int32Array(256);
  private payloadSize = new Float64Array(256);
  /** Notes are rare on a received PUBLISH: by seq. */
  private notes = new Map<number, string>();
  private made = new Map<number, FrameSummary>();

  constructor(readonly conn: number, private readonly topics: TopicTable) {}

  get count(): number { return this.n; }

  push(f: FrameSummary): void {
    if (this.n === this.seq.length) this.grow();
    const i = this.n++;
    this.seq[i] = f.seq;
    this.timeUs[i] = f.timeUs;
    this.wallMs[i] = f.wallMs;
    const bits = bitsOf(f);
    if (f.packetId !== undefined) this.packetId[i] = f.packetId;
    if (f.topic !== undefined) this.topic[i] = this.topics.idOf(f.topic);
    if (f.reasonCode !== undefined) this.reasonCode[i] = f.reasonCode;
    if (f.payloadSize !== undefined) this.payloadSize[i] = f.payloadSize;
    if (f.note !== undefined) this.notes.set(f.seq, f.note);
    this.bits[i] = bits;
    this.length[i] = f.length;
  }

  /** Row i as a summary (the same object each time while it stays in the cache). */
  get(i: number): FrameSummary | undefined {
    if (i < 0 || i >= this.n) return undefined;
    const seq = this.seq[i];
    let f = this.made.get(seq);
    if (f) return f;
    const bits = this.bits[i];
    f = summaryOf(bits, seq, this.timeUs[i], this.wallMs[i], this.conn, this.length[i]);
    if (bits & BIT.packetId) f.packetId = this.packetId[i];
    if (bits & BIT.topic) f.topic = this.topics.names[this.topic[i]];
    if (bits & BIT.reasonCode) f.reasonCode = this.reasonCode[i];
    if (bits & BIT.payloadSize) f.payloadSize = this.payloadSize[i];
    if (bits & BIT.note) f.note = this.notes.get(seq);
    if (this.made.size >= MADE_MAX) this.made.clear();
    this.made.set(seq, f);
    return f;
  }

  seqAt(i: number): number { return this.seq[i]; }
  /** The row's topic number in the shared table, -1 for none. */
  topicIdAt(i: number): number { return this.bits[i] & BIT.topic ? this.topic[i] : -1; }
  packetIdAt(i: number): number | undefined { return this.bits[i] & BIT.packetId ? this.packetId[i] : undefined; }
  qosAt(i: number): number | undefined { return this.bits[i] & BIT.qos ? (this.bits[i] >> BIT.qosShift) & 3 : undefined; }

  /** Index of the row with this seq, -1 if none (rows are in seq order). */
  indexOfSeq(seq: number): number {
    let lo = 0; let hi = this.n;
    while (lo < hi) { const m = (lo + hi) >> 1; if (this.seq[m] < seq) lo = m + 1; else hi = m; }
    return lo < this.n && this.seq[lo] === seq ? lo : -1;
  }

  /** Removes rows [from, from + count). */
  remove(from: number, count: number): void {
    for (let k = from; k < from + count; k++) { this.made.delete(this.seq[k]); if (this.bits[k] & BIT.note) this.notes.delete(this.seq[k]); }
    for (const col of this.columns()) col.copyWithin(from, from + count, this.n);
    this.n -= count;
  }

  private columns(): (Float64Array | Int32Array)[] {
    return [this.seq, this.timeUs, this.wallMs, this.bits, this.length, this.packetId, this.topic, this.reasonCode, this.payloadSize];
  }

  private grow(): void {
    const cap = this.seq.length * 2;
    const bigger = <T extends Float64Array | Int32Array>(a: T): T => { const b = new (a.constructor as new (n: number) => T)(cap); b.set(a); return b; };
    this.seq = bigger(this.seq); this.timeUs = bigger(this.timeUs); this.wallMs = bigger(this.wallMs);
    this.bits = bigger(this.bits); this.length = bigger(this.length); this.packetId = bigger(this.packetId);
    this.topic = bigger(this.topic); this.reasonCode = bigger(this.reasonCode); this.payloadSize = bigger(this.payloadSize);
  }
}
