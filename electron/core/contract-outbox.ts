// One contract client's outbound side (a web host WebSocket, the Electron window's IPC): every core event
// goes through here, so a window that cannot keep up never makes the core queue without bound, and one
// that can does not take more than a set share of the broker's event loop. Trace batches are the bulk;
// while the client is behind (or its share is spent), they are coalesced into one compact notice, a batch
// with no summaries whose range says "toSeq − fromSeq + 1 more since seq fromSeq". The renderer pages that
// range on demand (traceQuery), so nothing is lost, only not pushed. Other events are small and rare and go
// out as they come; answers are paced by the client's own requests.
import type { EventEmitter } from 'node:events';
import { EVENT_NAMES, type CoreEvents, type EventName } from '../../shared/contract/api';
import { packFrameList } from '../../shared/contract/frame-columns';
import type { Envelope } from '../../shared/contract/rpc';
import type { TraceBatch } from '../../shared/contract/types';
import { StoreBatch } from './trace/store-batch';

export interface OutboxSink {
  send(msg: Envelope): void;
  /**
   * Bytes handed to the transport that the peer has not taken yet (a WebSocket's bufferedAmount), or
   * undefined where the transport cannot tell (Electron IPC): then a summary budget per second stands in.
   */
  backlog(): number | undefined;
}

export interface OutboxOptions {
  /** Behind means more than this many bytes wait in the transport. */
  highWaterBytes?: number;
  /** Without a backlog figure: summaries pushed per second before batches become notices. */
  framesPerSecond?: number;
  /** While a notice waits, how often to look whether the client caught up. */
  retryMs?: number;
  /**
   * Event-loop time per second that encoding and sending trace batches to this client may take; beyond
   * it batches become notices until the next second. A page that keeps up must not slow the broker either.
   */
  sendMsPerSecond?: number;
  /** Whether the broker is in a burst (core.burst): then the share is burstSendMsPerSecond. */
  inBurst?: () => boolean;
  /**
   * The share while a burst goes on. Summaries not pushed are paged by the client on demand (a message list
   * pages only its messages, a quarter of a broker's frames, and waits for the burst to end for most of them),
   * so pushing less in a burst leaves the broker more of the CPU it has the least of.
   */
  burstSendMsPerSecond?: number;
}

export const OUTBOX_HIGH_WATER = 1 << 20;
export const OUTBOX_FRAMES_PER_SECOND = 20_000;
export const OUTBOX_SEND_MS_PER_SECOND = 25;
export const OUTBOX_BURST_SEND_MS_PER_SECOND = 8;
/** In a burst, notices go out at most this often (see flushNotice). */
export const BURST_NOTICE_MS = 100;

export interface OutboxStats {
  /** Batches whose summaries were not pushed (folded into notices). */
  coalescedBatches: number;
  /** Summaries not pushed: the client pages them when it wants them. */
  framesNotPushed: number;
  notices: number;
}

export class ContractOutbox {
  readonly stats: OutboxStats = { coalescedBatches: 0, framesNotPushed: 0, notices: 0 };
  private notice: TraceBatch | null = null;
  private retry: NodeJS.Timeout | null = null;
  private windowStart = 0;
  private windowFrames = 0;
  private windowMs = 0;
  private readonly offs: (() => void)[];
  private readonly highWater: number;
  private readonly framesPerSecond: number;
  private readonly retryMs: number;
  private readonly sendMs: number;
  private readonly burstSendMs: number;
  private noticeAt = -Infinity;
  private readonly inBurst: () => boolean;

  constructor(events: EventEmitter<{ [E in EventName]: [CoreEvents[E]] }>, private sink: OutboxSink, opts: OutboxOptions = {}) {
    this.highWater = opts.highWaterBytes ?? OUTBOX_HIGH_WATER;
    this.framesPerSecond = opts.framesPerSecond ?? OUTBOX_FRAMES_PER_SECOND;
    this.retryMs = opts.retryMs ?? 50;
    this.sendMs = opts.sendMsPerSecond ?? OUTBOX_SEND_MS_PER_SECOND;
    this.burstSendMs = opts.burstSendMsPerSecond ?? Math.min(OUTBOX_BURST_SEND_MS_PER_SECOND, this.sendMs);
    this.inBurst = opts.inBurst ?? (() => false);
    const emitter = events as unknown as NodeJS.EventEmitter;
    this.offs = EVENT_NAMES.map((name) => {
      const h = name === 'traceBatch' ? (b: TraceBatch) => this.batch(b) : (payload: unknown) => sink.send({ t: 'evt', name, payload });
      emitter.on(name, h);
      return () => emitter.off(name, h);
    });
  }

  /** Answers go straight out: the client asked for them and waits for each. */
  answer(msg: Envelope): void { this.sink.send(msg); }

  dispose(): void {
    this.offs.forEach((off) => off());
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.notice = null;
  }

  private batch(b: TraceBatch): void {
    // A cleared store restarts seqs below what a waiting notice covers: send the notice first as it was.
    if (this.notice && b.fromSeq < this.notice.fromSeq) this.flushNotice(true);
    // The recorder's batches are packed from the store's columns only if sent (store-batch.ts).
    const count = b instanceof StoreBatch ? b.count : b.frames.length;
    if (this.notice || this.behind(Math.max(1, count))) {
      this.stats.coalescedBatches++;
      this.stats.framesNotPushed += count;
      if (this.notice) {
        this.notice.toSeq = b.toSeq;
        this.notice.stats = b.stats;
      } else {
        this.notice = { frames: [], fromSeq: b.fromSeq, toSeq: b.toSeq, stats: b.stats };
      }
      this.flushNotice(false);
      return;
    }
    this.windowFrames += count;
    const t0 = performance.now();
    // Summaries go as columns (frame-columns.ts): a fifth of the JSON, and much less to encode.
    this.sink.send({ t: 'evt', name: 'traceBatch', payload: packFrameList(b) }); // a StoreBatch brings its own wire form
    this.windowMs += performance.now() - t0;
  }

  /** Whether summaries should not be pushed now (a notice itself is a few bytes: only the backlog holds it). */
  private behind(frames: number): boolean {
    const now = performance.now();
    if (now - this.windowStart >= 1000) { this.windowStart = now; this.windowFrames = 0; this.windowMs = 0; }
    if (frames > 0 && this.windowMs >= (this.inBurst() ? this.burstSendMs : this.sendMs)) return true;
    const backlog = this.sink.backlog();
    if (backlog !== undefined) return backlog > this.highWater;
    return this.windowFrames + frames > this.framesPerSecond;
  }

  /** Sends the waiting notice once the client has taken what it had (or at once when forced). */
  private flushNotice(force: boolean): void {
    if (!this.notice) return;
    // In a burst a notice waits until one has not gone out for BURST_NOTICE_MS: each is a write to the client
    // and a gap for it to handle, and a batch tick comes ~30 times a second.
    if (!force && (this.behind(0) || (this.inBurst() && performance.now() - this.noticeAt < BURST_NOTICE_MS))) {
      if (!this.retry) {
        this.retry = setTimeout(() => { this.retry = null; this.flushNotice(false); }, this.retryMs);
        this.retry.unref();
      }
      return;
    }
    const n = this.notice;
    this.notice = null;
    this.noticeAt = performance.now();
    this.stats.notices++;
    this.sink.send({ t: 'evt', name: 'traceBatch', payload: n });
  }
}
