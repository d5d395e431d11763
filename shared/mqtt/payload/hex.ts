// Hex views of payloads and hex input for the publish editor.

const HEX = '0123456789abcdef';

/** "de ad be ef" (or with another separator). */
export function toHex(bytes: Uint8Array, separator = ' '): string {
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return parts.join(separator);
}

export interface HexDumpOptions {
  /** Bytes per line, default 16. */
  width?: number;
  /** Added to the offset column, for dumping a slice of a larger frame. */
  baseOffset?: number;
}

/**
 * Classic `hexdump -C` layout: 8-digit hex offset, the bytes in two groups, and an ASCII gutter
 * where non-printable bytes show as '.'.
 *   00000000  68 65 6c 6c 6f 00 01 02  03                       |hello....|
 */
export function hexDump(bytes: Uint8Array, options: HexDumpOptions = {}): string {
  const width = Math.max(1, Math.floor(options.width ?? 16));
  const base = options.baseOffset ?? 0;
  const half = width >> 1;
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += width) {
    let hexCol = '';
    let ascii = '';
    for (let i = 0; i < width; i++) {
      if (i === half && half > 0) hexCol += ' ';
      const idx = off + i;
      if (idx < bytes.length) {
        const b = bytes[idx];
        hexCol += HEX[b >> 4] + HEX[b & 15] + ' ';
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        hexCol += '   ';
      }
    }
    lines.push(`${(base + off).toString(16).padStart(8, '0')}  ${hexCol} |${ascii}|`);
  }
  return lines.join('\n');
}

export type HexParseResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string; position: number };

/**
 * Parses hex typed by a person: "deadbeef", "de ad be ef", "0xde, 0xad", "de:ad:be:ef".
 * Separators are whitespace, ',', ':' and '-'; a "0x" prefix is allowed per byte. Each byte is
 * exactly two digits once separators are removed within a group, so an odd digit count is an
 * error rather than a guess.
 */
export function parseHex(input: string): HexParseResult {
  const out: number[] = [];
  let pending = -1; // high nibble waiting for its partner
  let pendingPos = 0;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch === '0' && (input[i + 1] === 'x' || input[i + 1] === 'X') && pending < 0) {
      i++;
      continue;
    }
    const code = input.charCodeAt(i);
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === ',' || ch === ':' || ch === '-') {
      if (pending >= 0) {
        return { ok: false, error: `lone hex digit at position ${pendingPos}: bytes need two digits`, position: pendingPos };
      }
      continue;
    }
    const v = nibble(code);
    if (v < 0) return { ok: false, error: `invalid character ${JSON.stringify(ch)} at position ${i}`, position: i };
    if (pending < 0) { pending = v; pendingPos = i; } else { out.push((pending << 4) | v); pending = -1; }
  }
  if (pending >= 0) {
    return { ok: false, error: `odd number of hex digits: lone digit at position ${pendingPos}`, position: pendingPos };
  }
  return { ok: true, bytes: Uint8Array.from(out) };
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
