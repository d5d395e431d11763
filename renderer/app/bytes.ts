// Byte helpers for payloads in the browser (no Buffer here). Base64 comes from shared/util/base64.ts.
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
  const clean = text.replace(/0x/gi, '').replace(/[\s,:]/g, '');
  if (clean.length % 2 !== 0) throw new Error('Hex needs an even number of digits');
  const bad = /[^0-9a-fA-F]/.exec(clean);
  if (bad) throw new Error(`"${bad[0]}" is not a hex digit`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function bytesToHex(bytes: Uint8Array, sep = ' '): string {
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX[bytes[i]];
  return parts.join(sep);
}

export function hexByte(b: number): string { return HEX[b]; }

/** Strict base64 check with a plain message. */
export function parseBase64(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw new Error('Not valid base64');
  return base64ToBytes(clean);
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
