// JSON payloads; a syntax error names its byte offset (UTF-8), so the hex view can point at it.
import { decodeText, encodeText } from '../mqtt/payload/text';
import { parseJson } from '../mqtt/payload/json';
import { utf8Length } from '../util/utf8';
import { CodecError, type Codec } from './types';

export const jsonCodec: Codec = {
  id: 'json',
  label: 'JSON',
  decode(bytes) {
    const t = decodeText(bytes);
    if (!t.valid) throw new CodecError(`not valid UTF-8 at byte ${t.invalidAt}`, t.invalidAt);
    const r = parseJson(t.text);
    if (!r.ok) throw new CodecError(r.error, utf8Length(t.text.slice(0, r.offset)));
    return r.value;
  },
  encode(text) {
    const r = parseJson(text);
    if (!r.ok) throw new CodecError(r.error, r.offset);
    return encodeText(text); // as typed: whitespace is the sender's choice
  },
};
