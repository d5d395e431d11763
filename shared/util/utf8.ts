// Strict UTF-8 checks. TextDecoder with { fatal: true } tells us *that* bytes are invalid but not
// *where*; MQScope points at the offending byte so the hex view can highlight it.

/**
 * Offset (relative to `start`) of the first byte that makes `bytes[start, end)` ill-formed UTF-8
 * (Unicode 15 §3.9 Table 3-7: no overlongs, no surrogates, nothing above U+10FFFF), or -1.
 */
export function firstInvalidUtf8(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let i = start;
  while (i < end) {
    const b = bytes[i];
    if (b < 0x80) { i++; continue; }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b === 0xe0) { need = 2; lo = 0xa0; }
    else if (b === 0xed) { need = 2; hi = 0x9f; } // U+D800..U+DFFF are surrogates
    else if (b >= 0xe1 && b <= 0xef) need = 2;
    else if (b === 0xf0) { need = 3; lo = 0x90; }
    else if (b >= 0xf1 && b <= 0xf3) need = 3;
    else if (b === 0xf4) { need = 3; hi = 0x8f; }
    else return i - start;
    // A sequence cut short by `end` is reported at its lead byte: that is where the broken character starts.
    const b1 = i + 1 < end ? bytes[i + 1] : -1;
    if (b1 < lo || b1 > hi) return i - start;
    for (let k = 2; k <= need; k++) {
      const bk = i + k < end ? bytes[i + k] : -1;
      if (bk < 0x80 || bk > 0xbf) return i - start;
    }
    i += need + 1;
  }
  return -1;
}

let fatal: TextDecoder | null = null;
let lenient: TextDecoder | null = null;

/** Decode UTF-8; invalid sequences become U+FFFD and `invalidAt` says where the first one was. */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): { text: string; invalidAt: number } {
  const view = bytes.subarray(start, end);
  fatal ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return { text: fatal.decode(view), invalidAt: -1 };
  } catch {
    lenient ??= new TextDecoder('utf-8', { ignoreBOM: true });
    return { text: lenient.decode(view), invalidAt: firstInvalidUtf8(view) };
  }
}

let encoder: TextEncoder | null = null;

export function encodeUtf8(text: string): Uint8Array {
  encoder ??= new TextEncoder();
  return encoder.encode(text);
}

/** Byte length of `text` in UTF-8 without allocating. Lone surrogates count as U+FFFD (3 bytes). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n += 4; i++; } else n += 3;
    } else n += 3;
  }
  return n;
}

/** True when the JS string has an unpaired surrogate, i.e. it cannot be encoded as UTF-8 losslessly. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/.test(text);
}
