// Sparkplug B payloads (topics under spBv1.0/), read with the official Eclipse Tahu schema.
import { compileProto } from './protobuf';
import { SPARKPLUG_B_PROTO } from './sparkplug-b-schema';
import { parseJsonValue } from './json-input';
import type { Codec, ProtoSchema } from './types';

export const SPARKPLUG_PAYLOAD = 'org.eclipse.tahu.protobuf.Payload';
/** STATE messages (spBv1.0/STATE/<host>) are JSON or text, not protobuf [tck-id-host-topic-phid-birth-payload]. */
export function isSparkplugTopic(topic: string): boolean {
  return topic.startsWith('spBv1.0/') && !topic.startsWith('spBv1.0/STATE/');
}

let schema: ProtoSchema | null = null;
/** Compiled on first use: most sessions never see Sparkplug. */
export function sparkplugSchema(): ProtoSchema {
  return (schema ??= compileProto(SPARKPLUG_B_PROTO));
}

export const sparkplugCodec: Codec = {
  id: 'sparkplug',
  label: 'Sparkplug B',
  decode: (bytes) => sparkplugSchema().decode(SPARKPLUG_PAYLOAD, bytes),
  encode: (text) => sparkplugSchema().encode(SPARKPLUG_PAYLOAD, parseJsonValue(text)),
};
