// Wall-clock time as a list shows it: milliseconds, or microseconds from the trace's wire clock.
const p = (n: number, w = 2) => String(n).padStart(w, '0');

export function clockMs(ms: number): string {
  const d = new Date(ms);
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** HH:MM:SS.mmmuuu of a frame's wire time (wallMs carries the µs as its fraction: a double keeps ~0.25 µs here). */
export function clockUs(wallMs: number): string {
  const d = new Date(Math.floor(wallMs));
  const frac = Math.floor((wallMs % 1000) * 1000);
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(Math.min(999_999, frac), 6)}`;
}
