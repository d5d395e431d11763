// The live packet log, OUTSIDE React and zustand. traceBatch events are applied in order; frames go into a
// ring buffer, client-side inbound PUBLISH frames are also indexed per connection for the message lists.
// Subscribers are told once per animation frame, with a version number.
// What the core did not push (a burst the window fell behind on: the outbox sends "N more since seq S"; the
// store's older part when the window opens) becomes one gap row in the trace list, loaded a page at a time
// when it scrolls into view, while the messages in it are fetched at once, a page at a time, so the message
// lists and their counts stay complete. Batches that arrive while the model is busy are folded into one.
import type { CoreApi } from '../../../shared/contract/api';
import type { FrameSummary, TraceBatch } from '../../../shared/contract/types';
import { parseDuplicateNotDelivered } from '../../../shared/mqtt/session-notes';
import { RingBuffer } from '../../ui/ring-buffer';

export const TRACE_RING_CAPACITY = 200_000;
export const MESSAGES_PER_CONN_CAPACITY = 200_000;
/** The first screen: what the trace list shows when the window opens; older frames page in on demand. */
export const FIRST_SCREEN = 500;
/** Frames per request when paging (a few ms of the core's event loop each). */
export const GAP_PAGE = 2000;
/** After a page of messages while a burst goes on (up to GAP_PAGE × 5 messages a second; the rest once it is over). */
const PAGE_PAUSE_MS = 200;
/** Batches folded while busy keep their summaries up to this many; beyond, they become part of a gap. */
const FOLD_KEEP = 6000;

export function isInboundMessage(f: FrameSummary): boolean {
  return f.kind === 'packet' && f.side === 'client' && f.dir === 's2c' && f.type === 'PUBLISH';
}

/** Frames seq..toSeq the trace list stands for but has not loaded. */
export interface TraceGap { gap: true; seq: number; toSeq: number }
export type TraceRow = FrameSummary | TraceGap;
export const isGap = (r: TraceRow | undefined): r is TraceGap => r !== undefined && (r as TraceGap).gap === true;

interface ConnMessages { items: FrameSummary[]; dropped: number }

/** A read-only window on one session's messages (its connections' lists, concatenated in time order). */
export interface MessageView {
  count: number;
  /** Messages received but no longer held here (shown, never hidden). */
  dropped: number;
  get(i: number): FrameSummary | undefined;
  indexOfSeq(seq: number): number;
}

export class TraceModel {
  readonly frames = new RingBuffer<TraceRow>(TRACE_RING_CAPACITY);
  /** Frames inside gap rows (stood for, not loaded). */
  notLoaded = 0;
  private gapRows = 0;
  private queued: TraceBatch | null = null;
  /** The newest seq a waiting batch reached when paging last paused for it (see addGap). */
  private pagedWhileQueued = -1;
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
      const g = this.frames.get(i);
      if (!isGap(g)) continue;
      this.loadingGap = true;
      // While a gap row stays in view (the list is not following the tail), its next page follows.
      this.enqueue(() => this.loadGap(g.seq).finally(() => { this.loadingGap = false; this.wantRows(...this.wanted); }));
      return;
    }
  }

  clear(): void {
    this.pagedWhileQueued = -1; // a cleared store may number from lower again
    this.frames.clear();
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
        if (i < l.items.length) return l.items[i];
        i -= l.items.length;
      }
      return undefined;
    };
    const indexOfSeq = (seq: number) => {
      let base = 0;
      for (const l of lists) {
        let lo = 0; let hi = l.items.length;
        while (lo < hi) { const m = (lo + hi) >> 1; if (l.items[m].seq < seq) lo = m + 1; else hi = m; }
        if (lo < l.items.length && l.items[lo].seq === seq) return base + lo;
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
    const view = this.messagesFor(conns);
    const idx = view.indexOfSeq(seq);
    for (let i = idx - 1; i >= 0; i--) {
      const f = view.get(i);
      if (f && f.topic === topic) return f;
    }
    return undefined;
  }

  private enqueue(job: () => Promise<void>): void {
    this.chain = this.chain.then(job).catch((e: unknown) => this.onError(e instanceof Error ? e.message : String(e)));
  }

  private async ingest(b: TraceBatch): Promise<void> {
    const firstIncluded = b.frames.length ? b.frames[0].seq : b.toSeq + 1;
    const gapFrom = Math.max(b.fromSeq, this.nextSeq, this.lastSeqHeld() + 1);
    const gapTo = firstIncluded - 1;
    if (gapTo >= gapFrom) await this.addGap(gapFrom, gapTo);
    this.append(b.frames);
    this.nextSeq = Math.max(this.nextSeq, b.toSeq + 1);
  }

  private lastSeqHeld(): number {
    const r = this.frames.last();
    return r === undefined ? -1 : isGap(r) ? r.toSeq : r.seq;
  }

  /** A range not pushed: a gap row for the trace list, and every message in it for the message lists now. */
  private async addGap(from: number, to: number): Promise<void> {
    const last = this.frames.last();
    if (isGap(last) && last.toSeq + 1 === from) last.toSeq = to;
    else this.pushRow({ gap: true, seq: from, toSeq: to });
    this.notLoaded += to - from + 1;
    this.scheduleFlush();
    for (let s: number | null = from; this.api && s !== null && s <= to;) {
      const r = await this.api.traceMessagePage({ fromSeq: s, toSeq: to, limit: GAP_PAGE });
      for (const f of r.frames) this.index(f);
      s = r.nextFromSeq;
      this.scheduleFlush();
      // More batches came while this page was asked for: the burst goes on, and the broker needs its loop more
      // than this list. Also after a gap's last page: the next batch is most often another notice, and paging
      // each at once asked core for a page per notice (~20 a second in a burst); meanwhile they fold into one
      // larger gap. A batch that only waits its turn (the burst is over) is no reason to wait.
      const arrived = this.queued ? this.queued.toSeq : -1;
      if (arrived > this.pagedWhileQueued) {
        this.pagedWhileQueued = arrived;
        await new Promise((ok) => setTimeout(ok, PAGE_PAUSE_MS));
      }
    }
  }

  /** Replace the gap row that starts at `seq` by its newest page (and what is left of it, above). */
  private async loadGap(seq: number): Promise<void> {
    const at = this.frames.lowerBound((r) => r.seq, seq);
    const g = this.frames.get(at);
    if (!isGap(g) || g.seq !== seq || !this.api) return;
    const from = Math.max(g.seq, g.toSeq - GAP_PAGE + 1);
    const r = await this.api.traceQuery({ fromSeq: from, toSeq: g.toSeq, limit: GAP_PAGE });
    const rows: TraceRow[] = from > g.seq ? [{ gap: true, seq: g.seq, toSeq: from - 1 }] : [];
    // Frames evicted meanwhile are simply not there: the status line counts evictions.
    for (const f of r.frames) rows.push(f);
    this.frames.replaceAt(at, rows);
    this.recount();
    this.scheduleFlush();
  }

  private recount(): void {
    let rows = 0;
    let frames = 0;
    for (let i = 0; i < this.frames.length; i++) {
      const r = this.frames.get(i);
      if (isGap(r)) { rows++; frames += r.toSeq - r.seq + 1; }
    }
    this.gapRows = rows;
    this.notLoaded = frames;
  }

  private pushRow(r: TraceRow): void {
    if (this.frames.length === this.frames.capacity) {
      const out = this.frames.get(0);
      if (isGap(out)) { this.gapRows--; this.notLoaded -= out.toSeq - out.seq + 1; }
    }
    if (isGap(r)) this.gapRows++;
    this.frames.push(r);
  }

  private index(f: FrameSummary): void {
    if (isInboundMessage(f)) this.addMessage(f);
    else if (f.kind === 'event' && f.side === 'client') this.dropDuplicate(f);
  }

  private append(frames: FrameSummary[]): void {
    if (!frames.length) return;
    const lastHeld = this.lastSeqHeld();
    for (const f of frames) {
      if (f.seq <= lastHeld) continue;
      this.pushRow(f);
      this.index(f);
    }
    this.scheduleFlush();
  }

  private addMessage(f: FrameSummary): void {
    let l = this.byConn.get(f.conn);
    if (!l) this.byConn.set(f.conn, (l = { items: [], dropped: 0 }));
    l.items.push(f);
    if (l.items.length > MESSAGES_PER_CONN_CAPACITY) {
      const cut = Math.floor(MESSAGES_PER_CONN_CAPACITY / 10);
      l.items.splice(0, cut);
      l.dropped += cut;
    }
  }

  /** The session said a resent QoS 2 PUBLISH on this connection was not delivered: do not list it twice. */
  private dropDuplicate(f: FrameSummary): void {
    const id = parseDuplicateNotDelivered(f.note);
    const l = id === null ? undefined : this.byConn.get(f.conn);
    if (!l) return;
    for (let i = l.items.length - 1; i >= 0 && i >= l.items.length - 64; i--) {
      if (l.items[i].packetId === id && l.items[i].qos === 2) {
        l.items.splice(i, 1);
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
