// Frame summaries held by the page as columns: the trace list's rows (up to 200,000, with gap rows standing
// for frames not loaded) and each connection's received messages. Held as one object each, a burst's 50,000
// messages were ~5 MiB of the page's live heap (after a full GC: 22 MiB with them as objects, 17 MiB as
// columns), each copied by the young-generation GC that promoted it and marked by every full one after.
// A row becomes an object only when something reads it whole (the rows on screen), and stays the same object
// while it is read again (rows are memoized by identity); loops over many rows read single columns.
import { BIT, bitsOf, summaryOf } from '../../../shared/contract/frame-columns';
import type { FrameSummary } from '../../../shared/contract/types';

/** Frames seq..toSeq a list stands for but has not loaded. */
export interface TraceGap { gap: true; seq: number; toSeq: number }
export type TraceRow = FrameSummary | TraceGap;
export const isGap = (r: TraceRow | undefined): r is TraceGap => r !== undefined && (r as TraceGap).gap === true;

/** Rows made into objects and kept for their identity; past this the cache starts again (rows on screen are far fewer). */
const MADE_MAX = 2048;
/** Rows per chunk: a list grows a chunk at a time, never by copying what it holds (past its first rows). */
const CHUNK = 4096;
/**
 * A list's first chunk starts this long and doubles up to CHUNK as rows come (the next ones are made whole): a
 * session that reconnects often has a list per connection, most of them a few messages long (a whole chunk is
 * 230 KB).
 */
const FIRST_ROWS = 64;
const SHIFT = 12;
const MASK = CHUNK - 1;
/** Marks a gap row (above every bit of frame-columns' BIT, so a gap has none of them); its toSeq is kept in the timeUs column. */
const GAP = 1 << 30;

/** Topic strings by number, shared by the lists of a model (a capture's frames share few topics). */
export class TopicTable {
  private ids = new Map<string, number>();
  readonly names: string[] = [];
  idOf(topic: string): number {
    let id = this.ids.get(topic);
    if (id === undefined) { id = this.names.length; this.ids.set(topic, id); this.names.push(topic); }
    return id;
  }
}

interface Chunk {
  seq: Float64Array; timeUs: Float64Array; wallMs: Float64Array; payloadSize: Float64Array;
  /** Side, dir, kind, type, flags, qos, retain, dup and which optional fields are present (frame-columns' BIT), or GAP. */
  bits: Int32Array; length: Int32Array; packetId: Int32Array; topic: Int32Array; reasonCode: Int32Array; conn: Int32Array;
}

const COLUMNS = ['seq', 'timeUs', 'wallMs', 'payloadSize', 'bits', 'length', 'packetId', 'topic', 'reasonCode', 'conn'] as const;

const newChunk = (rows = FIRST_ROWS): Chunk => ({
  seq: new Float64Array(rows), timeUs: new Float64Array(rows), wallMs: new Float64Array(rows), payloadSize: new Float64Array(rows),
  bits: new Int32Array(rows), length: new Int32Array(rows), packetId: new Int32Array(rows), topic: new Int32Array(rows),
  reasonCode: new Int32Array(rows), conn: new Int32Array(rows),
});

/** Makes chunk c's columns hold at least `rows` rows (doubling, at most CHUNK). */
function room(c: Chunk, rows: number): void {
  if (c.seq.length >= rows) return;
  const size = Math.min(CHUNK, Math.max(rows, c.seq.length * 2));
  const grown = newChunk(size);
  for (const col of COLUMNS) grown[col].set(c[col]);
  Object.assign(c, grown);
}

/** Rows in seq order. With a capacity, pushing onto a full list drops its oldest row (counted in `dropped`). */
export class SummaryColumns {
  private chunks: Chunk[] = [];
  /** Rows removed from the front of the first chunk. */
  private head = 0;
  private n = 0;
  /** Notes are rare: by seq. */
  private notes = new Map<number, string>();
  private made = new Map<number, TraceRow>();
  /** Oldest rows dropped at capacity since the last clear. */
  dropped = 0;

  constructor(private readonly topics: TopicTable, readonly capacity = Infinity) {}

  get length(): number { return this.n; }

  push(f: FrameSummary): void { this.write(this.slot(), f); }

  pushGap(seq: number, toSeq: number): void { this.write(this.slot(), { gap: true, seq, toSeq }); }

  /** Row i, an object (the same one each time while it stays in the cache). */
  get(i: number): TraceRow | undefined {
    if (i < 0 || i >= this.n) return undefined;
    const at = this.head + i;
    const c = this.chunks[at >> SHIFT];
    const k = at & MASK;
    const seq = c.seq[k];
    let r = this.made.get(seq);
    if (r) return r;
    const bits = c.bits[k];
    if (bits === GAP) r = { gap: true, seq, toSeq: c.timeUs[k] };
    else {
      const f = summaryOf(bits, seq, c.timeUs[k], c.wallMs[k], c.conn[k], c.length[k]);
      if (bits & BIT.packetId) f.packetId = c.packetId[k];
      if (bits & BIT.topic) f.topic = this.topics.names[c.topic[k]];
      if (bits & BIT.reasonCode) f.reasonCode = c.reasonCode[k];
      if (bits & BIT.payloadSize) f.payloadSize = c.payloadSize[k];
      if (bits & BIT.note) f.note = this.notes.get(seq);
      r = f;
    }
    if (this.made.size >= MADE_MAX) this.made.clear();
    this.made.set(seq, r);
    return r;
  }

  /** Row i when it is a frame (not a gap row). */
  frame(i: number): FrameSummary | undefined {
    const r = this.get(i);
    return isGap(r) ? undefined : r;
  }

  last(): TraceRow | undefined { return this.get(this.n - 1); }

  seqAt(i: number): number { const at = this.head + i; return this.chunks[at >> SHIFT].seq[at & MASK]; }
  isGapAt(i: number): boolean { return this.bitsAt(i) === GAP; }
  /** A gap row's last seq. */
  gapToAt(i: number): number { const at = this.head + i; return this.chunks[at >> SHIFT].timeUs[at & MASK]; }
  connAt(i: number): number { const at = this.head + i; return this.chunks[at >> SHIFT].conn[at & MASK]; }
  /** The row's topic number in the shared table, -1 for none. */
  topicIdAt(i: number): number {
    const at = this.head + i;
    const c = this.chunks[at >> SHIFT];
    return c.bits[at & MASK] & BIT.topic ? c.topic[at & MASK] : -1;
  }
  topicAt(i: number): string | undefined { const t = this.topicIdAt(i); return t < 0 ? undefined : this.topics.names[t]; }
  packetIdAt(i: number): number | undefined {
    const at = this.head + i;
    const c = this.chunks[at >> SHIFT];
    return c.bits[at & MASK] & BIT.packetId ? c.packetId[at & MASK] : undefined;
  }
  qosAt(i: number): number | undefined { const bits = this.bitsAt(i); return bits & BIT.qos ? (bits >> BIT.qosShift) & 3 : undefined; }

  /** Makes the gap row i reach to `toSeq`. */
  setGapTo(i: number, toSeq: number): void {
    const at = this.head + i;
    this.chunks[at >> SHIFT].timeUs[at & MASK] = toSeq;
    this.made.delete(this.seqAt(i));
  }

  /** Index of the first row whose seq is at least `seq` (a gap row counts by its first seq). */
  lowerBound(seq: number): number {
    let lo = 0; let hi = this.n;
    while (lo < hi) { const m = (lo + hi) >> 1; if (this.seqAt(m) < seq) lo = m + 1; else hi = m; }
    return lo;
  }

  /** Index of the row with this seq, -1 if none. */
  indexOfSeq(seq: number): number {
    const i = this.lowerBound(seq);
    return i < this.n && this.seqAt(i) === seq ? i : -1;
  }

  /** Removes rows [from, from + count): from the front by moving where the list starts, elsewhere by moving the rows after them. */
  remove(from: number, count: number): void {
    for (let i = from; i < from + count; i++) this.forget(i);
    if (from === 0) {
      this.head += count;
      const whole = this.head >> SHIFT;
      if (whole) { this.chunks.splice(0, whole); this.head &= MASK; }
    } else {
      this.moveRows(this.head + from + count, this.head + from, this.n - from - count);
    }
    this.n -= count;
    this.dropEmptyChunks();
  }

  /** Replaces row `index` by `rows` (the rows after it move as blocks of memory). Rows past capacity drop the oldest, counted. */
  replaceAt(index: number, rows: readonly TraceRow[]): void {
    const grow = rows.length - 1;
    this.forget(index);
    while (this.chunks.length * CHUNK < this.head + this.n + grow) this.chunks.push(this.nextChunk());
    const tail = this.head + index + 1;
    if (grow !== 0) this.moveRows(tail, tail + grow, this.n - index - 1);
    rows.forEach((r, k) => this.write(this.head + index + k, r));
    this.n += grow;
    this.dropEmptyChunks();
    if (this.n > this.capacity) {
      const over = this.n - this.capacity;
      this.remove(0, over);
      this.dropped += over;
    }
  }

  clear(): void {
    this.chunks = [];
    this.head = this.n = 0;
    this.notes.clear();
    this.made.clear();
    this.dropped = 0;
  }

  private bitsAt(i: number): number { const at = this.head + i; return this.chunks[at >> SHIFT].bits[at & MASK]; }

  private forget(i: number): void {
    const seq = this.seqAt(i);
    this.made.delete(seq);
    if (this.bitsAt(i) & BIT.note) this.notes.delete(seq);
  }

  /** Where the next row goes: the oldest one goes first when the list is full. */
  private slot(): number {
    if (this.n >= this.capacity) { this.remove(0, 1); this.dropped++; }
    const at = this.head + this.n;
    if (at >> SHIFT === this.chunks.length) this.chunks.push(this.nextChunk());
    this.n++;
    return at;
  }

  /**
   * Moves `count` rows from slot `from` to slot `to` (slots count from the first chunk's start), in runs that
   * stay inside one chunk at both ends, in the order that never overwrites a row before it moved.
   */
  private moveRows(from: number, to: number, count: number): void {
    for (let done = 0; done < count;) {
      const left = count - done;
      // Moving up: from the last rows down; moving down: from the first rows up.
      const s = to > from ? from + left - 1 : from + done;
      const d = to > from ? to + left - 1 : to + done;
      const run = to > from ? Math.min(left, (s & MASK) + 1, (d & MASK) + 1) : Math.min(left, CHUNK - (s & MASK), CHUNK - (d & MASK));
      const s0 = to > from ? s - run + 1 : s;
      const d0 = to > from ? d - run + 1 : d;
      const a = this.chunks[s0 >> SHIFT]; const b = this.chunks[d0 >> SHIFT];
      room(b, (d0 & MASK) + run);
      for (const col of COLUMNS) b[col].set(a[col].subarray(s0 & MASK, (s0 & MASK) + run), d0 & MASK);
      done += run;
    }
  }

  private nextChunk(): Chunk { return newChunk(this.chunks.length ? CHUNK : FIRST_ROWS); }

  /** Chunks emptied at the end are dropped (push makes a new one when it gets there). */
  private dropEmptyChunks(): void {
    while (this.chunks.length > ((this.head + this.n + MASK) >> SHIFT)) this.chunks.pop();
  }

  private write(at: number, r: TraceRow): void {
    const c = this.chunks[at >> SHIFT];
    const k = at & MASK;
    room(c, k + 1);
    c.seq[k] = r.seq;
    if (isGap(r)) {
      c.timeUs[k] = r.toSeq; c.bits[k] = GAP;
      return;
    }
    c.timeUs[k] = r.timeUs; c.wallMs[k] = r.wallMs; c.bits[k] = bitsOf(r); c.length[k] = r.length; c.conn[k] = r.conn;
    c.packetId[k] = r.packetId ?? 0; c.topic[k] = r.topic === undefined ? 0 : this.topics.idOf(r.topic);
    c.reasonCode[k] = r.reasonCode ?? 0; c.payloadSize[k] = r.payloadSize ?? 0;
    if (r.note !== undefined) this.notes.set(r.seq, r.note);
  }
}
