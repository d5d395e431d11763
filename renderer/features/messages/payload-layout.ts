// Pure helpers of the payload worker, kept apart so they can be tested without a Worker: the first view
// for some bytes, and rows (line starts, long lines wrapped) of a text.
import { ROW_CHARS, type LargeMode } from './payload-protocol';

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** Text when the bytes are valid UTF-8 without control characters, JSON when that text parses, else hex. */
export function guessMode(bytes: Uint8Array): { guess: LargeMode; text: string | null } {
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { return { guess: 'hex', text: null }; }
  if (CONTROL.test(text)) return { guess: 'hex', text: null };
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try { JSON.parse(text); return { guess: 'json', text }; } catch { /* text that merely starts like JSON */ }
  }
  return { guess: 'text', text };
}

/** Start offset of every row: after each '\n', and every ROW_CHARS characters of a longer line. */
export function rowStarts(text: string, width = ROW_CHARS): Uint32Array {
  const starts: number[] = [0];
  let rowStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (i + 1 < text.length) starts.push((rowStart = i + 1));
    } else if (i - rowStart >= width && !(c >= 0xdc00 && c <= 0xdfff)) {
      starts.push((rowStart = i)); // never between the halves of a surrogate pair
    }
  }
  return Uint32Array.from(starts);
}

/** The row holding character `offset` (binary search over rowStarts). */
export function rowOf(rows: Uint32Array, offset: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (rows[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/** Base64 in lines of 76 characters (MIME style), so the view has rows. */
export function base64Lines(bytes: Uint8Array): string {
  const CHUNK = 57 * 1024; // a multiple of 57 bytes: every chunk ends on a whole 76-character line
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) {
    let bin = '';
    const part = bytes.subarray(i, Math.min(bytes.length, i + CHUNK));
    for (let j = 0; j < part.length; j += 0x8000) bin += String.fromCharCode(...part.subarray(j, j + 0x8000));
    const b64 = btoa(bin);
    for (let k = 0; k < b64.length; k += 76) parts.push(b64.slice(k, k + 76));
  }
  return parts.join('\n');
}
