// CBOR (RFC 8949) through cbor-x. Encoding takes JSON text, since that is what people type.
import { Decoder, Encoder } from 'cbor-x';
import { parseJsonValue } from './json-input';
import { CodecError, type Codec } from './types';

// mapsAsObjects: text-keyed maps read as objects (what JSON shows); useRecords off so the bytes we
// write are plain CBOR any peer can read, not cbor-x's record extension.
const decoder = new Decoder({ mapsAsObjects: true, useRecords: false });
const encoder = new Encoder({ useRecords: false, mapsAsObjects: true });

type DecodeError = Error & { incomplete?: boolean };

/** 'ok', 'short' (a valid start cut off) or 'bad' for a prefix of the payload. */
function prefixState(bytes: Uint8Array, end: number): 'ok' | 'short' | 'bad' {
  try {
    decoder.decode(bytes.subarray(0, end));
    return 'ok';
  } catch (e) {
    return (e as DecodeError).incomplete ? 'short' : 'bad';
  }
}

/**
 * cbor-x does not expose where a decode failed, so ask it about prefixes: every prefix shorter than
 * the broken byte is a valid start ('short'), so the longest such prefix is the offset (binary search).
 */
function failureOffset(bytes: Uint8Array): number {
  let lo = 0; // known good-or-short
  let hi = bytes.length; // known bad
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (prefixState(bytes, mid) === 'bad') hi = mid; else lo = mid;
  }
  return lo;
}

/** End of the first complete item: the shortest prefix that decodes. */
function firstItemEnd(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (prefixState(bytes, mid) === 'ok') hi = mid; else lo = mid;
  }
  return hi;
}

export const cborCodec: Codec = {
  id: 'cbor',
  label: 'CBOR',
  decode(bytes) {
    if (bytes.length === 0) throw new CodecError('empty payload: CBOR needs at least one data item', 0);
    try {
      return decoder.decode(bytes);
    } catch (e) {
      const err = e as DecodeError;
      if (err.incomplete) throw new CodecError(`CBOR: the data item is cut short at byte ${bytes.length}`, bytes.length);
      if (/end of buffer not reached/.test(err.message)) {
        const end = firstItemEnd(bytes);
        throw new CodecError(`CBOR: one data item ends at byte ${end}, followed by ${bytes.length - end} more byte(s)`, end);
      }
      const at = failureOffset(bytes);
      throw new CodecError(`CBOR: ${err.message} at byte ${at}`, at);
    }
  },
  encode: (text) => encoder.encode(parseJsonValue(text)),
};
