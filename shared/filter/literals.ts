// Turning a literal into what a field compares with, or a FilterError pointing at the literal.
import { PACKET_TYPES } from '../contract/types';
import { FilterError, type Literal } from './ast';

const quote = (l: Literal) => (l.kind === 'string' ? `"${l.value}"` : l.kind === 'regex' ? `/${l.source}/` : l.kind === 'number' ? l.text : l.value);

export function numberOf(field: string, l: Literal): number {
  if (l.kind === 'number') return l.value;
  throw new FilterError(`'${field}' compares with a number, not ${quote(l)}`, l.pos);
}

export function boolOf(field: string, l: Literal): boolean {
  if (l.kind === 'number' && (l.value === 0 || l.value === 1)) return l.value === 1;
  if (l.kind === 'word' && (l.value === 'true' || l.value === 'false')) return l.value === 'true';
  throw new FilterError(`'${field}' is true/false (or 1/0), not ${quote(l)}`, l.pos);
}

export function textOf(field: string, l: Literal): string {
  if (l.kind === 'string' || l.kind === 'word') return l.value;
  throw new FilterError(`'${field}' compares with a "string", not ${quote(l)}`, l.pos);
}

export function regexOf(l: Literal): RegExp {
  if (l.kind !== 'regex' && l.kind !== 'string') throw new FilterError(`'~' needs a /regex/ or a "string", not ${quote(l)}`, l.pos);
  try {
    return l.kind === 'regex' ? new RegExp(l.source, l.flags) : new RegExp(l.value);
  } catch (e) {
    throw new FilterError(`bad regex: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`, l.pos);
  }
}

export function packetTypeOf(l: Literal): number {
  if (l.kind === 'number' && Number.isInteger(l.value) && l.value >= 0 && l.value <= 15) return l.value;
  if (l.kind === 'word' || l.kind === 'string') {
    const i = PACKET_TYPES.indexOf(l.value.toUpperCase() as (typeof PACKET_TYPES)[number]);
    if (i > 0) return i;
  }
  throw new FilterError(`${quote(l)} is not a packet type (PUBLISH, CONNECT, SUBSCRIBE, … or 1–15)`, l.pos);
}

export function choiceOf(field: string, l: Literal, choices: readonly string[]): string {
  if ((l.kind === 'word' || l.kind === 'string') && choices.includes(l.value.toLowerCase())) return l.value.toLowerCase();
  throw new FilterError(`'${field}' is one of ${choices.join(', ')}, not ${quote(l)}`, l.pos);
}

/** A time literal: seconds since the trace began, a time of day (local) or an ISO date-time. */
export type TimeValue = { kind: 'relative'; us: number } | { kind: 'timeOfDay'; us: number } | { kind: 'absolute'; us: number };

export function timeOf(l: Literal): TimeValue {
  if (l.kind === 'number') return { kind: 'relative', us: l.value * 1e6 };
  if (l.kind === 'string') {
    const tod = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/.exec(l.value);
    if (tod) {
      const [, h, m, s = '0', frac = ''] = tod;
      if (+h < 24 && +m < 60 && +s < 60) return { kind: 'timeOfDay', us: ((+h * 60 + +m) * 60 + +s) * 1e6 + Number(frac.padEnd(6, '0')) };
    }
    // Date.parse keeps milliseconds only; the microseconds are added back from the text.
    const frac = /\.(\d+)/.exec(l.value);
    const ms = Date.parse(l.value.replace(/\.(\d+)/, (_, d: string) => `.${d.slice(0, 3).padEnd(3, '0')}`));
    if (!Number.isNaN(ms)) return { kind: 'absolute', us: ms * 1000 + (frac ? Number(frac[1].slice(3, 6).padEnd(3, '0')) : 0) };
  }
  throw new FilterError(`'time' takes seconds since the trace began (12.5), a time of day ("13:46:42.123456") or a date ("2026-12-01T13:46:42Z"), not ${quote(l)}`, l.pos);
}

/** Microseconds since local midnight of a wall-clock instant. */
export function timeOfDayUs(wallMs: number): number {
  const d = new Date(wallMs);
  const local = wallMs - d.getTimezoneOffset() * 60000;
  return (((local % 86400000) + 86400000) % 86400000) * 1000;
}
