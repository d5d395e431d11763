// Payload codecs: one file per format, chosen per topic by rules (rules.ts). decodePayload never
// throws: a failure says where it stopped and the caller shows hex.
import { detectPayload } from '../mqtt/payload/detect';
import { base64Codec } from './base64';
import { cborCodec } from './cbor';
import { unwrap, wrapBytes } from './compressed';
import { prettyValue } from './display';
import { hexCodec } from './hex';
import { jsonCodec } from './json';
import { msgpackCodec } from './msgpack';
import { protobufCodec } from './protobuf';
import { isSparkplugTopic, sparkplugCodec } from './sparkplug';
import { textCodec } from './text';
import { CodecError, type Codec, type CodecChoice, type CodecContext, type CodecId, type Decoded } from './types';

export * from './types';
export { compileProto } from './protobuf';
export { isSparkplugTopic } from './sparkplug';
export { compactValue, oneLine, prettyValue, toPlain } from './display';

export const CODECS: Record<Exclude<CodecId, 'auto'>, Codec> = {
  text: textCodec, json: jsonCodec, hex: hexCodec, base64: base64Codec, cbor: cborCodec,
  msgpack: msgpackCodec, protobuf: protobufCodec, sparkplug: sparkplugCodec,
};

/** What "auto" means for these bytes on this topic: Sparkplug by topic, else JSON / text / hex by content. */
export function resolveAuto(topic: string, bytes: Uint8Array): Exclude<CodecId, 'auto'> {
  if (isSparkplugTopic(topic)) return 'sparkplug';
  const v = detectPayload(bytes).view;
  return v === 'binary' ? 'hex' : v;
}

export function decodePayload(bytes: Uint8Array, choice: CodecChoice, topic: string, ctx: CodecContext = {}): Decoded {
  let inner = bytes;
  let id: Exclude<CodecId, 'auto'> = choice.codec === 'auto' ? 'text' : choice.codec;
  try {
    if (choice.wrap) inner = unwrap(choice.wrap, bytes);
    if (choice.codec === 'auto') id = resolveAuto(topic, inner);
    const value = CODECS[id].decode(inner, { ...ctx, messageType: choice.messageType ?? ctx.messageType });
    return { ok: true, codec: id, value, text: prettyValue(value) };
  } catch (e) {
    const offset = e instanceof CodecError ? e.offset : undefined;
    const where = offset !== undefined ? ` (at byte ${offset}${choice.wrap && inner !== bytes ? ` of the ${choice.wrap}-unwrapped payload` : ''})` : '';
    const message = (e as Error).message;
    return { ok: false, codec: id, error: message.includes(`byte ${offset}`) ? message : message + where, offset };
  }
}

/** Text typed in the publish editor → bytes on the wire. Throws CodecError in plain words. */
export function encodePayload(text: string, choice: CodecChoice, topic: string, ctx: CodecContext = {}): Uint8Array {
  const id: Exclude<CodecId, 'auto'> = choice.codec === 'auto' ? (isSparkplugTopic(topic) ? 'sparkplug' : 'text') : choice.codec;
  const raw = CODECS[id].encode(text, { ...ctx, messageType: choice.messageType ?? ctx.messageType });
  return choice.wrap ? wrapBytes(choice.wrap, raw) : raw;
}
