// Base64 without Buffer, atob or btoa, so the same code runs in core, the renderer and the contract.
// Encoding goes through a 4096-entry table (12 bits -> 2 chars), which makes it a few times faster
// than per-character loops on the multi-megabyte payloads the trace ships.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='

let pairTable: Uint16Array | null = null;
let decodeTable: Int16Array | null = null;

function pairs(): Uint16Array {
  if (pairTable) return pairTable;
  const t = new Uint16Array(4096);
  for (let i = 0; i < 4096; i++) {
    // Little-endian so that a Uint16Array over the output writes the chars in order.
    t[i] = ALPHABET.charCodeAt(i >> 6) | (ALPHABET.charCodeAt(i & 63) << 8);
  }
  pairTable = t;
  return t;
}

function decoder(): Int16Array {
  if (decodeTable) return decodeTable;
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[ALPHABET.charCodeAt(i)] = i;
  decodeTable = t;
  return t;
}

/** Chunk size for String.fromCharCode.apply: stays well under every engine's argument limit. */
const CHUNK = 0x4000;

function asciiToString(chars: Uint8Array): string {
  if (typeof TextDecoder !== 'undefined' && chars.length > 256) {
    // All bytes are ASCII, so 'utf-8' decoding is exact and native.
    return new TextDecoder().decode(chars);
  }
  let s = '';
  for (let i = 0; i < chars.length; i += CHUNK) {
    s += String.fromCharCode.apply(null, Array.from(chars.subarray(i, i + CHUNK)));
  }
  return s;
}

/** Standard base64 with padding (RFC 4648 §4). */
export function bytesToBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const outLen = Math.ceil(n / 3) * 4;
  const out = new Uint8Array(outLen);
  const whole = n - (n % 3);
  const table = pairs();
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    const a = table[v >> 12];
    const b = table[v & 0xfff];
    out[o] = a & 0xff; out[o + 1] = a >> 8; out[o + 2] = b & 0xff; out[o + 3] = b >> 8;
    o += 4;
  }
  const rest = n - whole;
  if (rest === 1) {
    const v = bytes[whole] << 16;
    out[o] = ALPHABET.charCodeAt(v >> 18);
    out[o + 1] = ALPHABET.charCodeAt((v >> 12) & 63);
    out[o + 2] = PAD; out[o + 3] = PAD;
  } else if (rest === 2) {
    const v = (bytes[whole] << 16) | (bytes[whole + 1] << 8);
    out[o] = ALPHABET.charCodeAt(v >> 18);
    out[o + 1] = ALPHABET.charCodeAt((v >> 12) & 63);
    out[o + 2] = ALPHABET.charCodeAt((v >> 6) & 63);
    out[o + 3] = PAD;
  }
  return asciiToString(out);
}

/**
 * Strict standard base64 decode. Padding is optional, whitespace is not accepted (callers that
 * take user input strip it first: see payload/base64.ts). Throws an Error naming the first bad
 * character, because silently dropping bytes would corrupt what the user publishes.
 */
export function base64ToBytes(str: string): Uint8Array {
  let len = str.length;
  // Strip up to two '=' of padding.
  if (len > 0 && str.charCodeAt(len - 1) === PAD) len--;
  if (len > 0 && str.charCodeAt(len - 1) === PAD) len--;
  if (str.length % 4 !== 0 && str.length !== len) {
    throw new Error('invalid base64: padding on input whose length is not a multiple of 4');
  }
  if (len % 4 === 1) throw new Error(`invalid base64: length ${len} leaves a dangling character`);
  const table = decoder();
  const outLen = Math.floor((len * 3) / 4);
  const out = new Uint8Array(outLen);
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < len; i++) {
    const c = str.charCodeAt(i);
    const v = c < 128 ? table[c] : -1;
    if (v < 0) {
      throw new Error(`invalid base64: unexpected character ${JSON.stringify(str[i])} at position ${i}`);
    }
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
