// The time of the read or write a tap is handling. Every packet in one read (or one writev) reached the
// socket at the same moment, so the tap reads the clock once per call and the store uses it for each
// frame: performance.now() was a quarter of the store's per-frame cost.
export const wireClock = { us: 0, set: false };

/** Now in µs since the process started, or the time of the socket call being handled. */
export function frameTimeUs(): number {
  return wireClock.set ? wireClock.us : performance.now() * 1000;
}
