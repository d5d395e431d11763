// Payload as UTF-8 text; invalid bytes are an error at their offset, not silently replaced.
import { decodeText, encodeText } from '../mqtt/payload/text';
import { CodecError, type Codec } from './types';

export const textCodec: Codec = {
  id: 'text',
  label: 'Text (UTF-8)',
  decode(bytes) {
    const r = decodeText(bytes);
    if (!r.valid) throw new CodecError(`not valid UTF-8 at byte ${r.invalidAt}`, r.invalidAt);
    return r.text;
  },
  encode: (text) => encodeText(text),
};
