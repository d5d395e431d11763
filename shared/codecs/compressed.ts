// gzip (RFC 1952) and zlib/deflate (RFC 1950/1951) wrappers through fflate, which is pure JS and
// runs in both core and the browser. "deflate" accepts zlib-wrapped and raw streams, as senders mix them.
import { gunzipSync, gzipSync, inflateSync, unzlibSync, zlibSync } from 'fflate';
import { CodecError, type Wrap } from './types';

export function unwrap(wrap: Wrap, bytes: Uint8Array): Uint8Array {
  try {
    if (wrap === 'gzip') return gunzipSync(bytes);
    // zlib header: CMF 0x78 and (CMF*256+FLG) % 31 == 0.
    if (bytes.length >= 2 && (bytes[0] & 0x0f) === 8 && ((bytes[0] << 8) | bytes[1]) % 31 === 0) return unzlibSync(bytes);
    return inflateSync(bytes);
  } catch (e) {
    const hint = wrap === 'gzip' && (bytes[0] !== 0x1f || bytes[1] !== 0x8b) ? ' (no gzip header 1f 8b at byte 0)' : '';
    throw new CodecError(`${wrap}: ${(e as Error).message}${hint}`, hint ? 0 : undefined);
  }
}

export function wrapBytes(wrap: Wrap, bytes: Uint8Array): Uint8Array {
  return wrap === 'gzip' ? gzipSync(bytes) : zlibSync(bytes);
}
