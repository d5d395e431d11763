// The live packet log, OUTSIDE React and zustand. traceBatch events are applied in order; frames go into a
// ring buffer, client-side inbound PUBLISH frames are also indexed per connection for the message lists.
// Subscribers are told once per animation frame, with a version number.
// What the core did not push (a burst the window fell behind on: the outbox sends "N more since seq S"; the
// store's older part when the window opens) becomes one gap row in the trace list, loaded a page at a time
// when it scrolls into view, while the messages in it are fetched a page at a time, so the message lists and
// their counts stay complete (in a burst a page a second, the rest once it is over: see pageTurn). The
// message lists have a cursor of their own: frames pushed while their pages are behind are listed by the
// pages, in order. Batches that arrive while the model is busy are folded into one.
import type { CoreApi } from '../../../shared/contract/api';
import type { FrameSummary, TraceBatch } from '../../../shared/contract/types';
import { parseDuplicateNotDelivered } from '../../../shared/mqtt/session-notes';
import { isGap, SummaryColumns, TopicTable, type TraceRow } from './summary-columns';

export const TRACE_RING_CAPACITY = 200_000;
export const MESSAGES_PER_CONN_CAPACITY = 200_000;
/** The first screen: what the trace list shows when the window opens; older frames page in on demand. */
export const FIRST_SCREEN = 500;
/** Frames per request when paging (a few ms of the core's event loop each). */
export const GAP_PAGE = 2000;
/**
 * While a burst goes on (batches keep leaving gaps: the core sends "N more since seq S" instead of frames), the
 * message lists take one page a second, and the rest once the burst is over: each page is core's time and a
 * WebSocket write on the broker's event loop while the broker has the least of it to spare. Paging all through
 * a 50,000-message burst (~30 pages) made the external subscriber wait 28 % longer for it (burst bench).
 */
export const BURST_PAGE_EVERY_MS = 1000;
/** A burst is over when no batch has left a gap for this long (the core sends notices every 100 ms in one). */
export const BURST_QUIET_MS = 300;
/** Messages this many frames behind are paged without waiting, burst or not: eviction must not overtake them. */
export const BURST_MAX_LAG = 500_000;
/** Batches folded while busy keep their summaries up to this many; beyond, they become part of a gap. */
const FOLD_KEEP = 6000;

export function isInboundMessage(f: FrameSummary): boolean {
  return f.kind === 'packet' && f.side === 'client' && f.dir === 's2c' && f.type === 'PUBLISH';
}

export { isGap, type TraceGap, type TraceRow } from './summary-columns';

interface ConnMessages { items: SummaryColumns; dropped: number }

/** A read-only window on one session's messages (its connections' lists, concatenated in time order). */
export interface MessageView {
  count: number;
  /** Messages received but no longer held here (shown, never hidden). */
  dropped: number;
  get(i: number): FrameSummary | undefined;
  indexOfSeq(seq: number): number;
}

export class TraceModel {
  /** Topic strings of the rows below (a new table after a clear). */
  private topics = new TopicTable();
  /** The trace list's rows: frames and gap rows, in seq order. */
  frames = new SummaryColumns(this.topics, TRACE_RING_CAPACITY);
  /** Frames inside gap rows (stood for, not loaded). */
  notLoaded = 0;
  private gapRows = 0;
  private queued: TraceBatch | null = null;
  /** The message lists hold every message up to msgDoneTo (a seq) and must hold them up to msgWantTo. */
  private msgDoneTo = -1;
  private msgWantTo = -1;
  /** Bumped by clear(): a page asked for before it is not listed. */
  private msgGen = 0;
  private paging = false;
  /** When a batch last left a gap, and when the message lists last asked for a page (see pageTurn). */
  private lastGapAt = -Infinity;
  private lastPageAt = -Infinity;
  /** The clock bursts are timed by (tests set their own). */
  clock: () => number = () => performance.now();
  private loadingGap = false;
  private wanted: [number, number] = [0, -1];
  private byConn = new Map<number, ConnMessages>();
  private nextSeq = 0;
  version = 0;
  private listeners = new Set<() => void>();
  private flushPending = false;
  private chain: Promise<void> = Promise.resolve();
  private api: CoreApi | null = null;
  onError: (text: string) => void = () => {};

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  };

  getVersion = (): number => this.version;

  /** Whether the message lists are still paging in messages the core holds (a burst, or a window just opened). */
  get listing(): boolean { return this.msgDoneTo < this.msgWantTo; }

  /** Frames the trace list stands for: loaded rows plus what its gap rows hold. */
  get frameCount(): number { return this.frames.length - this.gapRows + this.notLoaded; }

  /** Load the first screen of what core already holds (the rest is a gap row), then follow batches. */
  start(api: CoreApi): void {
    this.api = api;
    this.enqueue(async () => {
      const r = await api.traceQuery({ order: 'backward', limit: FIRST_SCREEN });
      const frames = r.frames.slice().reverse();
      await this.ingest({ frames, fromSeq: r.stats.firstSeq, toSeq: r.stats.nextSeq - 1, stats: r.stats });
    });
  }

  onBatch(b: TraceBatch): void {
    // Before start() the first screen's query (answered after this batch went out) covers it.
    if (!this.api) return;
    if ((b.frames.length ? b.frames[0].seq : b.toSeq + 1) > b.fromSeq) this.lastGapAt = this.clock();
    const q = this.queued;
    if (q) {
      // Still busy with earlier work: one batch for all, the newest summaries kept, the rest a gap.
      const contiguous = q.toSeq + 1 === b.fromSeq && b.frames[0]?.seq === b.fromSeq && q.frames.length + b.frames.length <= FOLD_KEEP;
      this.queued = { fromSeq: q.fromSeq, toSeq: b.toSeq, frames: contiguous ? q.frames.concat(b.frames) : b.frames, stats: b.stats };
      return;
    }
    this.queued = b;
    this.enqueue(() => {
      const next = this.queued!;
      this.queued = null;
      return this.ingest(next);
    });
  }

  /** The trace list shows rows first..last: load the newest page of a gap row among them. */
  wantRows(first: number, last: number): void {
    this.wanted = [first, last];
    if (this.loadingGap || !this.api) return;
    for (let i = Math.min(last, this.frames.length - 1); i >= Math.max(0, first); i--) {
      if (!this.frames.isGapAt(i)) continue;
      const seq = this.frames.seqAt(i);
      this.loadingGap = true;
      // While a gap row stays in view (the list is not following the tail), its next page follows.
      this.enqueue(() => this.loadGap(seq).finally(() => { this.loadingGap = false; this.wantRows(...this.wanted); }));
      return;
    }
  }

  /**
   * "Go to" in the live list: the seq of the frame at `seq` (else the first one after it the list stands for),
   * or of the first frame recorded at or after `wallMs`, with its row loaded: a gap row that stands for it is
   * split around a page of frames from there. Null when there is none.
   */
  goTo(at: { seq: number } | { wallMs: number }): Promise<number | null> {
    return new Promise((resolve, reject) => this.enqueue(() => this.locate(at).then(resolve, reject)));
  }

  clear(): void {
    this.msgGen++;
    this.msgDoneTo = this.msgWantTo = -1;
    this.topics = new TopicTable();
    this.frames = new SummaryColumns(this.topics, TRACE_RING_CAPACITY);
    this.notLoaded = 0;
    this.gapRows = 0;
    this.byConn.clear();
    this.scheduleFlush();
  }

  /** After core's store was replaced (trace file opened): forget everything and load afresh. */
  reload(): void {
    this.enqueue(async () => { this.clear(); this.nextSeq = 0; });
    if (this.api) this.start(this.api);
  }

  messagesFor(conns: readonly number[]): MessageView {
    const lists = conns.map((c) => this.byConn.get(c)).filter((x): x is ConnMessages => !!x);
    const count = lists.reduce((n, l) => n + l.items.length, 0);
    const dropped = lists.reduce((n, l) => n + l.dropped, 0);
    const get = (i: number) => {
      for (const l of lists) {
        if (i < l.items.length) return l.items.frame(i);
        i -= l.items.length;
      }
      return undefined;
    };
    const indexOfSeq = (seq: number) => {
      let base = 0;
      for (const l of lists) {
        const at = l.items.indexOfSeq(seq);
        if (at >= 0) return base + at;
        base += l.items.length;
      }
      return -1;
    };
    return { count, dropped, get, indexOfSeq };
  }

  /** Messages held for every session (what a Clear of the live capture removes from the message lists). */
  messageCount(): number {
    let n = 0;
    for (const l of this.byConn.values()) n += l.items.length;
    return n;
  }

  /** Latest message before `seq` on the same topic in the given connections (for the diff). */
  previousOnTopic(conns: readonly number[], seq: number, topic: string): FrameSummary | undefined {
    const id = this.topics.idOf(topic);
    const lists = conns.map((c) => this.byConn.get(c)?.items).filter((x): x is SummaryColumns => !!x);
    // The lists are in time order: from the one holding seq (or the newest before it) backwards.
    for (let k = lists.length - 1; k >= 0; k--) {
      const l = lists[k];
      if (l.length === 0 || l.seqAt(0) >= seq) continue;
      let i = l.indexOfSeq(seq);
      if (i < 0) i = l.length;
      for (i--; i >= 0; i--) if (l.topicIdAt(i) === id) return l.frame(i);
    }
    return undefined;
  }

  private enqueue(job: () => Promise<void>): void {
    this.chain = this.chain.then(job).catch((e: unknown) => this.report(e));
  }

  private report(e: unknown): void { this.onError(e instanceof Error ? e.message : String(e)); }

  private async ingest(b: TraceBatch): Promise<void> {
    const firstIncluded = b.frames.length ? b.frames[0].seq : b.toSeq + 1;
    const gapFrom = Math.max(b.fromSeq, this.nextSeq, this.lastSeqHeld() + 1);
    const gapTo = firstIncluded - 1;
    // The message lists take this batch's frames as they are only if they hold everything before it.
    const inStep = gapTo < gapFrom && this.msgDoneTo >= this.msgWantTo;
    if (gapTo >= gapFrom) this.addGap(gapFrom, gapTo);
    this.append(b.frames, inStep);
    this.nextSeq = Math.max(this.nextSeq, b.toSeq + 1);
    if (inStep) this.msgDoneTo = Math.max(this.msgDoneTo, b.toSeq);
    else {
      this.msgWantTo = Math.max(this.msgWantTo, b.toSeq);
      this.pageMessages();
    }
  }

  private lastSeqHeld(): number {
    const i = this.frames.length - 1;
    return i < 0 ? -1 : this.frames.isGapAt(i) ? this.frames.gapToAt(i) : this.frames.seqAt(i);
  }

  /** A range not pushed: a gap row for the trace list (its messages come from pageMessages). */
  private addGap(from: number, to: number): void {
    const last = this.frames.length - 1;
    if (last >= 0 && this.frames.isGapAt(last) && this.frames.gapToAt(last) + 1 === from) this.frames.setGapTo(last, to);
    else this.pushRow({ gap: true, seq: from, toSeq: to });
    this.notLoaded += to - from + 1;
    this.scheduleFlush();
  }

  /** Pages the message lists forward from msgDoneTo to msgWantTo (one pager at a time; batches move the goal). */
  private pageMessages(): void {
    if (this.paging || !this.api) return;
    this.paging = true;
    const gen = this.msgGen;
    const run = async () => {
      while (this.api && gen === this.msgGen && this.msgDoneTo < this.msgWantTo) {
        await this.pageTurn();
        if (gen !== this.msgGen) return;
        const to = this.msgWantTo;
        const r = await this.api.traceMessagePage({ fromSeq: this.msgDoneTo + 1, toSeq: to, limit: GAP_PAGE });
        if (gen !== this.msgGen) return;
        for (const f of r.frames) this.index(f);
        this.msgDoneTo = r.nextFromSeq === null ? to : r.nextFromSeq - 1;
        this.scheduleFlush();
      }
    };
    run().then(() => {
      this.paging = false;
      // A batch may have moved the goal after the last check (or a clear() started a new count).
      if (this.msgDoneTo < this.msgWantTo) this.pageMessages();
    }, (e: unknown) => {
      // Reported, not retried at once (a dead transport would be asked again and again); the next batch that
      // moves the goal asks again.
      this.paging = false;
      this.report(e);
    });
  }

  /**
   * Waits, in a burst, until a second has passed since the last page or the burst is over. Notices that come
   * meanwhile only move msgWantTo, so the next page starts where the last one ended, not a page per notice.
   * Outside a burst (a window opened on a full store, the catch-up after a burst) pages follow each other.
   */
  private async pageTurn(): Promise<void> {
    for (;;) {
      if (this.msgWantTo - this.msgDoneTo >= BURST_MAX_LAG) break;
      const now = this.clock();
      const wait = Math.min(this.lastGapAt + BURST_QUIET_MS - now, this.lastPageAt + BURST_PAGE_EVERY_MS - now);
      if (wait <= 0) break;
      await new Promise((ok) => setTimeout(ok, wait));
    }
    this.lastPageAt = this.clock();
  }

  private async locate(at: { seq: number } | { wallMs: number }): Promise<number | null> {
    if (!this.api) return null;
    let seq: number;
    if ('seq' in at) seq = at.seq;
    else {
      const r = await this.api.traceQuery({ fromWallMs: at.wallMs, limit: 1 });
      if (!r.frames.length) return null;
      seq = r.frames[0].seq;
    }
    // The row for seq: the gap row that reaches over it, else the first row at or after it.
    const rowsNow = this.frames;
    let i = this.frames.lowerBound(seq);
    if (i > 0 && this.frames.isGapAt(i - 1) && this.frames.gapToAt(i - 1) >= seq) i--;
    for (; i < this.frames.length; i++) {
      const row = this.frames.get(i)!;
      if (!isGap(row)) return row.seq;
      const from = Math.max(seq, row.seq);
      const r = await this.api.traceQuery({ fromSeq: from, toSeq: row.toSeq, limit: GAP_PAGE });
      // Cleared meanwhile: these rows are gone.
      if (this.frames !== rowsNow) return null;
      // Nothing from there on is held (evicted): the next row after the gap is the first one that is.
      if (!r.frames.length) continue;
      const last = r.frames[r.frames.length - 1].seq;
      const rows: TraceRow[] = from > row.seq ? [{ gap: true, seq: row.seq, toSeq: from - 1 }] : [];
      for (const f of r.frames) rows.push(f);
      if (last < row.toSeq) rows.push({ gap: true, seq: last + 1, toSeq: row.toSeq });
      this.replaceRow(i, rows);
      return r.frames[0].seq;
    }
    return null;
  }

  /** Replace the gap row that starts at `seq` by its newest page (and what is left of it, above). */
  private async loadGap(seq: number): Promise<void> {
    const at = this.frames.lowerBound(seq);
    const g = this.frames.get(at);
    if (!isGap(g) || g.seq !== seq || !this.api) return;
    const from = Math.max(g.seq, g.toSeq - GAP_PAGE + 1);
    const rowsNow = this.frames;
    const r = await this.api.traceQuery({ fromSeq: from, toSeq: g.toSeq, limit: GAP_PAGE });
    if (this.frames !== rowsNow) return; // cleared meanwhile
    const rows: TraceRow[] = from > g.seq ? [{ gap: true, seq: g.seq, toSeq: from - 1 }] : [];
    // Frames evicted meanwhile are simply not there: the status line counts evictions.
    for (const f of r.frames) rows.push(f);
    this.replaceRow(at, rows);
  }

  /** Row i (a gap row) becomes `rows`; the gap counts follow. */
  private replaceRow(i: number, rows: TraceRow[]): void {
    const dropped = this.frames.dropped;
    const gapDelta = (r: TraceRow | undefined, sign: number) => {
      if (!isGap(r)) return;
      this.gapRows += sign;
      this.notLoaded += sign * (r.toSeq - r.seq + 1);
    };
    gapDelta(this.frames.get(i), -1);
    for (const r of rows) gapDelta(r, 1);
    this.frames.replaceAt(i, rows);
    // Rows that fell off the front at capacity may have been gap rows: count them all again.
    if (this.frames.dropped !== dropped) this.recount();
    this.scheduleFlush();
  }

  private recount(): void {
    let rows = 0;
    let frames = 0;
    for (let i = 0; i < this.frames.length; i++) {
      if (this.frames.isGapAt(i)) { rows++; frames += this.frames.gapToAt(i) - this.frames.seqAt(i) + 1; }
    }
    this.gapRows = rows;
    this.notLoaded = frames;
  }

  private pushRow(r: TraceRow): void {
    if (this.frames.length === this.frames.capacity && this.frames.isGapAt(0)) {
      this.gapRows--;
      this.notLoaded -= this.frames.gapToAt(0) - this.frames.seqAt(0) + 1;
    }
    if (isGap(r)) { this.gapRows++; this.frames.pushGap(r.seq, r.toSeq); } else this.frames.push(r);
  }

  private index(f: FrameSummary): void {
    if (isInboundMessage(f)) this.addMessage(f);
    else if (f.kind === 'event' && f.side === 'client') this.dropDuplicate(f);
  }

  /** Frames pushed: rows for the trace list; their messages too when `listed` (else their pages bring them). */
  private append(frames: FrameSummary[], listed: boolean): void {
    if (!frames.length) return;
    const lastHeld = this.lastSeqHeld();
    for (const f of frames) {
      if (f.seq <= lastHeld) continue;
      this.pushRow(f);
      if (listed && f.seq > this.msgDoneTo) this.index(f);
    }
    this.scheduleFlush();
  }

  private addMessage(f: FrameSummary): void {
    let l = this.byConn.get(f.conn);
    if (!l) this.byConn.set(f.conn, (l = { items: new SummaryColumns(this.topics), dropped: 0 }));
    l.items.push(f);
    if (l.items.length > MESSAGES_PER_CONN_CAPACITY) {
      const cut = Math.floor(MESSAGES_PER_CONN_CAPACITY / 10);
      l.items.remove(0, cut);
      l.dropped += cut;
    }
  }

  /** The session said a resent QoS 2 PUBLISH on this connection was not delivered: do not list it twice. */
  private dropDuplicate(f: FrameSummary): void {
    const id = parseDuplicateNotDelivered(f.note);
    const l = id === null ? undefined : this.byConn.get(f.conn);
    if (!l) return;
    for (let i = l.items.length - 1; i >= 0 && i >= l.items.length - 64; i--) {
      if (l.items.packetIdAt(i) === id && l.items.qosAt(i) === 2) {
        l.items.remove(i, 1);
        return;
      }
    }
  }

  /** Bump the version once per animation frame (timer fallback when the window is hidden). */
  private scheduleFlush(): void {
    if (this.flushPending) return;
    this.flushPending = true;
    const flush = () => {
      if (!this.flushPending) return;
      this.flushPending = false;
      clearTimeout(timer);
      this.version++;
      this.listeners.forEach((fn) => fn());
    };
    const timer = setTimeout(flush, 250);
    requestAnimationFrame(flush);
  }
}

export const traceModel = new TraceModel();
