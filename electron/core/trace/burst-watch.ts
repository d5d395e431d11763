// Whether the broker is in a burst, judged at the recorder's batch ticks (~30 Hz): a tick that finds more
// than BURST_TICK_FRAMES new frames is busy, and a burst lasts until QUIET_MS pass without a busy tick. Work
// a window wants but nobody waits for (indexes a query would build itself) waits for the burst to end: the
// same CPU spent after the burst instead of while the broker has the least of it to spare.

import type { TraceStore } from './trace-store';

/** More frames than this since the last batch tick (~6,000 frames/s) means the broker is busy. */
export const BURST_TICK_FRAMES = 200;
/**
 * A burst is over after this long without a busy tick. One tick alone cannot tell: a tick that fires right
 * after a long one (the timer catching up) sees few frames in the middle of a burst.
 */
export const QUIET_MS = 150;

/** A busy broker that never calms down must not leave deferred work behind for good: beyond this lag, do it. */
const MAX_LAG = 250_000;
/**
 * Eviction must never overtake deferred work: when fewer frames than this may still arrive before the store
 * evicts the oldest frame not yet handled, do it (flows fold ~200,000 frames/s against a burst's 40,000–80,000).
 */
const EVICTION_MARGIN = 50_000;

/**
 * Whether work that reads the store's frames in order and has handled them up to `doneTo` (flows, topic
 * counts) must catch up now, burst or not: it lags MAX_LAG frames, or eviction could soon reach what it has
 * not read.
 */
export function mustCatchUp(store: TraceStore, doneTo: number): boolean {
  return store.nextSeq - doneTo >= MAX_LAG || store.framesUntilEviction() + (doneTo - store.firstSeq) < EVICTION_MARGIN;
}

export class BurstWatch {
  private lastSeq: number;
  private lastBusyMs = -Infinity;
  /** The clock bursts are timed by (tests set their own). */
  clock: () => number = () => performance.now();

  constructor(private nextSeq: () => number) {
    this.lastSeq = nextSeq();
  }

  /** Call once per batch tick, whoever wants anything: a backlog found when a window opens is not a burst. */
  tick(): void {
    const next = this.nextSeq();
    if (next - this.lastSeq > BURST_TICK_FRAMES) this.lastBusyMs = this.clock();
    // A cleared store starts lower: measured from there.
    this.lastSeq = next;
  }

  inBurst(): boolean { return this.clock() - this.lastBusyMs < QUIET_MS; }
}
