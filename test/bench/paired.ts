// Paired rounds for the tap table. This 2-core machine is shared: the same broker's CPU per delivery moves
// by ±30 % from one minute to the next, so medians of two separate sets of runs compare two different
// machines. Each round runs every broker once, back to back, in an order reversed every other round (so
// none always runs first, or always right after the same neighbour); "tap vs aedes" is the median of
// the per-round ratios, with the middle half of them as its spread.
// (Running aedes and the tap at the same moment was tried: with ~16 runnable processes on 2 cores the
// shared load client and the scheduler, not the brokers, set the pace, a few thousand deliveries/s.)

/** The items in round k's order: forward on even rounds, reversed on odd ones. */
export function roundOrder<T>(items: T[], k: number): T[] {
  return k % 2 === 0 ? items : [...items].reverse();
}

export interface Spread { mid: number; lo: number; hi: number }

/** Median and interquartile range (nearest rank). */
export function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.round((s.length - 1) * q)];
  return { mid: at(0.5), lo: at(0.25), hi: at(0.75) };
}

/** Per-round ratios a[k] / b[k]. */
export function ratios(a: number[], b: number[]): number[] {
  return a.map((x, k) => x / b[k]);
}
