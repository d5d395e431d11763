// Byte helpers for payloads in the browser (no Buffer here); the parsing itself lives in shared/.
import { decodeBase64 } from '../../shared/mqtt/payload/base64';
import { parseHex, toHex } from '../../shared/mqtt/payload/hex';
import { base64ToBytes, bytesToBase64 } from '../../shared/util/base64';

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });
const strictDec = new TextDecoder('utf-8', { fatal: true });

export function utf8Encode(text: string): Uint8Array { return enc.encode(text); }
export function utf8Decode(bytes: Uint8Array): string { return dec.decode(bytes); }

/** True when the bytes are valid UTF-8 without control characters other than tab/CR/LF. */
export function looksLikeText(bytes: Uint8Array): boolean {
  try {
    const s = strictDec.decode(bytes);
    return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s);
  } catch { return false; }
}

export { bytesToBase64, base64ToBytes };

/** Parses "de ad be ef" / "deadbeef" / "0xde,0xad"; throws with a plain message on bad input. */
export function hexToBytes(text: string): Uint8Array {
  const r = parseHex(text);
  if (!r.ok) throw new Error(r.error);
  return r.bytes;
}

export function bytesToHex(bytes: Uint8Array, sep = ' '): string { return toHex(bytes, sep); }

// One table lookup per byte: the hex view renders thousands of cells.
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
export function hexByte(b: number): string { return HEX_BYTE[b]; }

/** Base64 (standard or URL-safe, whitespace ignored) with a plain message on bad input. */
export function parseBase64(text: string): Uint8Array {
  const r = decodeBase64(text);
  if (!r.ok) throw new Error(r.error);
  return r.bytes;
}

/**
 * 1234567 → "1,234,567", as toLocaleString('en') writes whole numbers, without Intl: its first use in a page
 * loads ICU data in one long task (35–800 ms measured in Chromium here), which the status bar paid at start-up.
 */
export function groupDigits(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n.toLocaleString('en');
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
