// Decoded values as readable text: bytes as hex, big integers as digits, Maps as objects, so a CBOR or
// MessagePack payload reads like JSON without pretending to be it.
import { toHex } from '../mqtt/payload/hex';

function plain(v: unknown, depth: number): unknown {
  if (depth > 64) return '…';
  if (v instanceof Uint8Array) return `<${v.length} B: ${toHex(v.subarray(0, 64), '')}${v.length > 64 ? '…' : ''}>`;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[typeof k === 'string' ? k : JSON.stringify(plain(k, depth + 1))] = plain(x, depth + 1);
    return o;
  }
  if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1));
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = plain(x, depth + 1);
    return o;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

/** A JSON-safe copy of a decoded value. */
export function toPlain(value: unknown): unknown {
  return plain(value, 0);
}

export function prettyValue(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(toPlain(value), null, 2) ?? String(value);
}

/** One line, at most `max` characters, elided with "…". */
export function oneLine(text: string, max = 200): string {
  const flat = text.length > max * 4 ? text.slice(0, max * 4) : text;
  const line = flat.replace(/\s*\n\s*/g, ' ').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '·');
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}

/** Compact one-line text of a value (no pretty-printing: cheaper for previews). */
export function compactValue(value: unknown, max = 200): string {
  if (typeof value === 'string') return oneLine(value, max);
  return oneLine(JSON.stringify(toPlain(value)) ?? String(value), max);
}
