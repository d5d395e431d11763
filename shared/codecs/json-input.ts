// Structured codecs (CBOR, MessagePack, Protobuf) take their publish input as JSON text.
import { parseJson } from '../mqtt/payload/json';
import { CodecError } from './types';

export function parseJsonValue(text: string): unknown {
  const r = parseJson(text);
  if (!r.ok) throw new CodecError(`the payload is typed as JSON for this codec: ${r.error}`);
  return r.value;
}
