// Base64 for the payload editor: tolerant of what people paste (whitespace, line breaks, the
// URL-safe alphabet, missing padding), strict about everything else.
import { base64ToBytes, bytesToBase64 } from '../../util/base64';

export { base64ToBytes, bytesToBase64 };

export type Base64Result = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

export function encodeBase64(bytes: Uint8Array, options: { urlSafe?: boolean } = {}): string {
  const s = bytesToBase64(bytes);
  return options.urlSafe ? s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : s;
}

export function decodeBase64(input: string): Base64Result {
  const compact = input.replace(/\s+/g, '');
  const standard = compact.replace(/-/g, '+').replace(/_/g, '/');
  if (compact !== standard && /[+/]/.test(compact)) {
    return { ok: false, error: 'invalid base64: mixes the standard (+/) and URL-safe (-_) alphabets' };
  }
  try {
    return { ok: true, bytes: base64ToBytes(standard) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
