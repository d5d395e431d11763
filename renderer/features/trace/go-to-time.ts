// "Go to 13:46:42.5": a time of day, read in the page's local time zone, to microseconds since midnight, and
// to a wall clock time on a given day (core finds a list's rows by wall clock).

const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;

/** Microseconds since local midnight, or null when `t` is not a time of day. */
export function timeOfDayUs(t: string): number | null {
  const m = TIME_OF_DAY.exec(t);
  return m ? ((+m[1] * 60 + +m[2]) * 60 + +(m[3] ?? 0)) * 1e6 + Number((m[4] ?? '').padEnd(6, '0')) : null;
}

/** That time of day on the local day of `dayOfMs`. */
export function wallMsOnDayOf(dayOfMs: number, dayUs: number): number {
  const d = new Date(dayOfMs);
  d.setHours(0, 0, 0, 0);
  return d.getTime() + dayUs / 1000;
}
