// What a payload codec is. Codecs are isomorphic (no node:*, no DOM) so core and tests share them;
// each format's parsing belongs to its library, never to us.

export const CODEC_IDS = ['auto', 'text', 'json', 'hex', 'base64', 'cbor', 'msgpack', 'protobuf', 'sparkplug'] as const;
export type CodecId = (typeof CODEC_IDS)[number];
export const WRAPS = ['gzip', 'deflate'] as const;
export type Wrap = (typeof WRAPS)[number];

/** How one topic's payloads are read: a codec, optionally inside gzip/deflate. */
export interface CodecChoice {
  codec: CodecId;
  wrap?: Wrap;
  /** Protobuf: fully-qualified message type in the loaded .proto text. */
  messageType?: string;
}

/** A topic pattern (MQTT filter with + and #) and the codec for topics it matches; first match wins. */
export interface CodecRule extends CodecChoice {
  pattern: string;
}

export type Decoded =
  | { ok: true; codec: CodecId; value: unknown; text: string }
  | { ok: false; codec: CodecId; error: string; /** Byte offset where decoding stopped, when the library knows. */ offset?: number };

/** Thrown by a codec: the message in plain words and where in the bytes it went wrong. */
export class CodecError extends Error {
  constructor(message: string, readonly offset?: number) {
    super(message);
    this.name = 'CodecError';
  }
}

export interface Codec {
  id: Exclude<CodecId, 'auto'>;
  label: string;
  /** Bytes → a plain value (objects, arrays, strings, numbers, Uint8Array for bytes). Throws CodecError. */
  decode(bytes: Uint8Array, ctx: CodecContext): unknown;
  /** Text the user typed (JSON for structured codecs) → bytes. Throws CodecError. */
  encode(text: string, ctx: CodecContext): Uint8Array;
}

/** Things some codecs need: the compiled protobuf schema (see protobuf.ts). */
export interface CodecContext {
  messageType?: string;
  proto?: ProtoSchema | null;
}

/** A compiled .proto; opaque here so types.ts does not import protobufjs. */
export interface ProtoSchema {
  readonly types: string[];
  decode(typeName: string, bytes: Uint8Array): unknown;
  encode(typeName: string, value: unknown): Uint8Array;
}
