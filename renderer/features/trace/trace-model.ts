// The live packet log, OUTSIDE React and zustand. traceBatch events are applied in order (gaps fetched with
// traceQuery), frames go into a ring buffer, client-side inbound PUBLISH frames are also indexed per
// connection for the message lists. Subscribers are told once per animation frame, with a version number.
import type { CoreApi } from '../../../shared/contract/api';
import type { FrameSummary, TraceBatch } from '../../../shared/contract/types';
import { parseDuplicateNotDelivered } from '../../../shared/mqtt/session-notes';
import { RingBuffer } from '../../ui/ring-buffer';

export const TRACE_RING_CAPACITY = 200_000;
export const MESSAGES_PER_CONN_CAPACITY = 200_000;
const GAP_PAGE = 20_000;

export function isInboundMessage(f: FrameSummary): boolean {
  return f.kind === 'packet' && f.side === 'client' && f.dir === 's2c' && f.type === 'PUBLISH';
}

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
  readonly frames = new RingBuffer<FrameSummary>(TRACE_RING_CAPACITY);
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

  /** Load what core already holds (newest part), then follow batches. */
  start(api: CoreApi): void {
    this.api = api;
    this.enqueue(async () => {
      const r = await api.traceQuery({ order: 'backward', limit: 50_000 });
      const frames = r.frames.slice().reverse();
      this.append(frames);
      this.nextSeq = Math.max(this.nextSeq, r.stats.nextSeq);
    });
  }

  onBatch(b: TraceBatch): void {
    this.enqueue(() => this.ingest(b));
  }

  clear(): void {
    this.frames.clear();
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
    let gapFrom = Math.max(b.fromSeq, this.nextSeq);
    const gapTo = firstIncluded - 1;
    while (this.api && gapTo >= gapFrom) {
      const r = await this.api.traceQuery({ fromSeq: gapFrom, toSeq: gapTo, limit: GAP_PAGE });
      this.append(r.frames);
      if (r.frames.length < GAP_PAGE) break;
      gapFrom = r.frames[r.frames.length - 1].seq + 1;
    }
    this.append(b.frames);
    this.nextSeq = Math.max(this.nextSeq, b.toSeq + 1);
  }

  private append(frames: FrameSummary[]): void {
    if (!frames.length) return;
    const lastHeld = this.frames.last()?.seq ?? -1;
    for (const f of frames) {
      if (f.seq <= lastHeld) continue;
      this.frames.push(f);
      if (isInboundMessage(f)) this.addMessage(f);
      else if (f.kind === 'event' && f.side === 'client') this.dropDuplicate(f);
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
