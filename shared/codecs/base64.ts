// Payload as base64 text.
import { decodeBase64, encodeBase64 } from '../mqtt/payload/base64';
import { CodecError, type Codec } from './types';

export const base64Codec: Codec = {
  id: 'base64',
  label: 'Base64',
  decode: (bytes) => encodeBase64(bytes),
  encode(text) {
    const r = decodeBase64(text);
    if (!r.ok) throw new CodecError(r.error);
    return r.bytes;
  },
};
