// Whether the broker is in a burst, judged at the recorder's batch ticks (~30 Hz): a tick that finds more
// than BURST_TICK_FRAMES new frames is busy, and a burst lasts until QUIET_MS pass without a busy tick. Work
// a window wants but nobody waits for (indexes a query would build itself) waits for the burst to end: the
// same CPU spent after the burst instead of while the broker has the least of it to spare.

/** More frames than this since the last batch tick (~6,000 frames/s) means the broker is busy. */
export const BURST_TICK_FRAMES = 200;
/**
 * A burst is over after this long without a busy tick. One tick alone cannot tell: a tick that fires right
 * after a long one (the timer catching up) sees few frames in the middle of a burst.
 */
export const QUIET_MS = 150;

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
