// Payload as hex bytes; typed hex is parsed tolerantly (spaces, 0x, colons).
import { parseHex, toHex } from '../mqtt/payload/hex';
import { CodecError, type Codec } from './types';

export const hexCodec: Codec = {
  id: 'hex',
  label: 'Hex',
  decode: (bytes) => toHex(bytes),
  encode(text) {
    const r = parseHex(text);
    if (!r.ok) throw new CodecError(r.error, r.position);
    return r.bytes;
  },
};
