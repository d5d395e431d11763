// The flow engine over one trace store. It folds what was appended at each recorder batch tick (~30 Hz,
// off the socket path) while someone wants flows (a window listens, or a query asked), forgets what the
// store evicted, and turns unanswered exchanges into stalled ones on the store's clock. A headless broker
// nobody watches folds nothing. A backlog (a window opened after a burst) is folded in slices that yield,
// so the broker keeps serving meanwhile. One per store: an opened trace document gets its own.
import { FlowEngine } from '../../../shared/flows/engine';
import { decodeExtras, hashBytes, type FrameExtras } from '../../../shared/flows/frame';
import type { FlowsChanged } from '../../../shared/flows/types';
import type { TraceRecorder } from '../trace/recorder';
import { BURST_TICK_FRAMES, QUIET_MS, mustCatchUp } from '../trace/burst-watch';
import { frameTimeUs } from '../trace/wire-clock';

/** Frames folded in one go (~2.7–5.5 µs each: 14–28 ms) before yielding to the event loop. */
const FOLD_SLICE = 5_000;
/**
 * In a burst (trace/burst-watch.ts) flows fold only BURST_FOLD frames a tick, within BURST_FOLD_MS_PER_SECOND,
 * and catch up once it is quiet. Folding at the burst's own pace would take the same CPU the broker needs to
 * get the burst out; after it, the CPU is free.
 */
const BURST_FOLD = 100;
/**
 * In a burst those small folds may take this much of the event loop per second, no more. Frames folded
 * in the middle of a burst cost 3–4× a quiet fold's (cold caches: ~10 µs a frame), so 100 a tick at every
 * tick was ~4 % of a watched broker's CPU while it had the least to spare; the rest waits for the catch-up.
 */
export const BURST_FOLD_MS_PER_SECOND = 5;

export class FlowIndex {
  engine: FlowEngine;
  private foldedTo: number;
  private announced = -1;
  private stalledMs: number | undefined;
  /** Frames evicted before they could be folded (a burst larger than the budget between two ticks). */
  missed = 0;
  /** Whether the batch tick should fold (set by the owner: someone listens for flow changes). */
  wanted: () => boolean = () => true;
  private lastTickSeq = 0;
  private lastBusyMs = -Infinity;
  /** The second the burst folds' time is counted in, and what they took of it (ms). */
  private burstSecond = -Infinity;
  private burstSpent = 0;
  /** The clock bursts are timed by (tests set their own). */
  clock: () => number = () => performance.now();
  private readonly hook = () => {
    const next = this.recorder.store.nextSeq;
    // Counted from every tick, wanted or not: a backlog found when a window opens is not a burst.
    const busy = next - this.lastTickSeq > BURST_TICK_FRAMES;
    this.lastTickSeq = next;
    if (!this.wanted()) return;
    const now = this.clock();
    if (busy) this.lastBusyMs = now;
    if (!(now - this.lastBusyMs < QUIET_MS) || this.behind()) return this.update(true, FOLD_SLICE, false);
    if (now - this.burstSecond >= 1000) { this.burstSecond = now; this.burstSpent = 0; }
    if (this.burstSpent >= BURST_FOLD_MS_PER_SECOND) return;
    this.update(true, BURST_FOLD, true);
    this.burstSpent += this.clock() - now;
  };
  private continuing = false;
  private disposed = false;
  /**
   * Payload hashes by where the store keeps the bytes, for one fold: a payload fanned out to N subscribers
   * is stored once, so it is hashed once. Only valid while no frame is evicted, i.e. within one update().
   */
  private hashes = new Map<ArrayBufferLike, Map<number, number>>();

  constructor(private recorder: TraceRecorder, private onChanged: (c: FlowsChanged) => void = () => {}) {
    this.engine = this.newEngine();
    this.foldedTo = recorder.store.firstSeq;
    recorder.flushHooks.push(this.hook);
  }

  /**
   * Fold every frame appended since the last call. The batch tick announces changes (so flowsChanged
   * goes out at most once per batch); a query folds first without announcing, the next tick will.
   * What is beyond maxFrames is folded in slices that yield, or, in a burst, by the next ticks.
   */
  update(announce = true, maxFrames = FOLD_SLICE, nextTickGoesOn = false): void {
    const store = this.recorder.store;
    if (this.foldedTo < store.firstSeq) {
      this.missed += store.firstSeq - this.foldedTo;
      this.foldedTo = store.firstSeq;
    }
    const e = this.engine;
    this.hashes.clear();
    const end = Math.min(store.nextSeq, this.foldedTo + maxFrames);
    for (let s = this.foldedTo; s < end; s++) {
      const f = store.summary(s);
      if (f) e.append(f, f.kind === 'packet' ? this.extras(s, f.type, f.conn, f.side) : undefined);
    }
    this.foldedTo = end;
    if (end < store.nextSeq && !this.continuing && !nextTickGoesOn) {
      this.continuing = true;
      setImmediate(() => {
        this.continuing = false;
        // A burst that began since the last tick stops the catch-up: the ticks take over, a little each.
        if (this.disposed || ((this.inBurst() || this.recorder.store.nextSeq - this.lastTickSeq > BURST_TICK_FRAMES) && !this.behind())) return;
        this.update(true);
      });
    }
    // While a backlog is still being folded, time stands at the last folded frame: an exchange whose answer
    // is not folded yet must not look stalled.
    e.tick(this.live() && end === store.nextSeq ? frameTimeUs() : e.nowUs);
    // Charged before forgetting: a rise may evict frames, whose flows must go with them now.
    const perFrame = e.bytesPerFrame(store.nextSeq - store.firstSeq);
    store.chargePerFrame(this, perFrame);
    e.forget(store.firstSeq);
    if (announce && e.version !== this.announced) {
      this.announced = e.version;
      this.onChanged({ counts: { ...e.counts }, total: e.total });
    }
  }

  private inBurst(): boolean { return this.clock() - this.lastBusyMs < QUIET_MS; }

  /** Whether eviction could reach unfolded frames soon (or the lag is too long): then fold now, burst or not. */
  private behind(): boolean {
    return mustCatchUp(this.recorder.store, this.foldedTo);
  }

  /** Fold from scratch (the store was cleared or replaced by a file). */
  reset(): void {
    this.engine = this.newEngine();
    this.foldedTo = this.recorder.store.firstSeq;
    this.announced = -1;
    this.update();
  }

  setStalledMs(ms: number): void {
    this.stalledMs = ms;
    this.engine.setStalledMs(ms);
    this.update();
  }

  get stalledMsSetting(): number { return this.engine.stalledUs / 1000; }

  dispose(): void {
    this.disposed = true;
    this.recorder.store.chargePerFrame(this, 0);
    const i = this.recorder.flushHooks.indexOf(this.hook);
    if (i >= 0) this.recorder.flushHooks.splice(i, 1);
  }

  private newEngine(): FlowEngine {
    return new FlowEngine({ stalledMs: this.stalledMs, connMeta: (id) => this.recorder.conns.get(id)?.info });
  }

  private hashOf(p: Buffer): number {
    if (p.length < 256) return hashBytes(p); // small payloads are copied per frame, never shared
    let byOffset = this.hashes.get(p.buffer);
    if (!byOffset) { byOffset = new Map(); this.hashes.set(p.buffer, byOffset); }
    const key = p.byteOffset * 0x100000 + (p.length % 0x100000);
    let h = byOffset.get(key);
    if (h === undefined) { h = hashBytes(p); byOffset.set(key, h); }
    return h;
  }

  /** A live capture runs on this process's clock; a trace read from a file ends at its last frame. */
  private live(): boolean {
    for (const c of this.recorder.conns.values()) if (!c.imported) return true;
    return false;
  }

  private extras(seq: number, type: string | null, conn: number, side: string): FrameExtras | undefined {
    const store = this.recorder.store;
    const version = this.recorder.conns.get(conn)?.info.protocolVersion ?? 4;
    if (type === 'PUBLISH') {
      // Only v5 can carry a topic alias; the payload identity matters only where journeys are built.
      const x: FrameExtras = version === 5 ? decodeExtras('PUBLISH', store.bytesOf(seq)!, version) ?? {} : {};
      if (side === 'broker') {
        const p = store.payloadOf(seq);
        if (p) x.payloadHash = this.hashOf(p);
      }
      return x;
    }
    if (type !== 'CONNECT' && type !== 'CONNACK' && type !== 'SUBACK' && type !== 'UNSUBACK') return undefined;
    const bytes = store.bytesOf(seq);
    return bytes ? decodeExtras(type, bytes, version) : undefined;
  }
}
