// One way to show a frame's absolute time, everywhere (UI, `mqscope print`/`decode`, pcap): whole
// microseconds since the epoch, floored once in core (FrameSummary.wallMs = wallUs / 1000 exactly).

/** The frame's whole microseconds since the epoch (exact for a wallMs made as wallUs / 1000). */
export function wallUsOf(wallMs: number): number {
  return Math.round(wallMs * 1000);
}

const p = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local time of day with microseconds: 13:46:42.123456. */
export function clockUs(wallMs: number): string {
  const us = wallUsOf(wallMs);
  const d = new Date(Math.floor(us / 1000));
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(((us % 1e6) + 1e6) % 1e6, 6)}`;
}

/** Local date and time with microseconds: 2026-12-01 13:46:42.123456. */
export function dateTimeUs(wallMs: number): string {
  const d = new Date(Math.floor(wallUsOf(wallMs) / 1000));
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${clockUs(wallMs)}`;
}

/** ISO 8601 in UTC with microseconds: 2026-12-01T13:46:42.123456Z. */
export function isoUs(wallMs: number): string {
  const us = wallUsOf(wallMs);
  return `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${p(((us % 1e6) + 1e6) % 1e6, 6)}Z`;
}

/** A time difference for delta columns: 0.000123 s, 1.500000 s, 75.2 s. */
export function deltaText(us: number): string {
  if (us < 0) return `−${deltaText(-us)}`;
  return us < 60e6 ? `${(us / 1e6).toFixed(6)}` : `${(us / 1e6).toFixed(1)}`;
}
