// Protocol Buffers through protobufjs: the user's .proto text is parsed at run time, and each topic
// names its message type. protobufjs generates its codecs with `new Function`, which the renderer's
// CSP forbids, so these run in core (see electron/core/codecs).
import protobuf from 'protobufjs';
import { parseJsonValue } from './json-input';
import { CodecError, type Codec, type ProtoSchema } from './types';

/** 64-bit integers as decimal strings (never rounded), enums by name, bytes kept as bytes. */
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, bytes: Uint8Array as unknown as StringConstructor, defaults: false, arrays: true, oneofs: false };

/** Parses .proto text; throws an Error naming the line for a syntax error. */
export function compileProto(text: string): ProtoSchema {
  let root: protobuf.Root;
  try {
    root = protobuf.parse(text, { keepCase: true }).root;
    root.resolveAll();
  } catch (e) {
    throw new Error(`.proto: ${(e as Error).message}`);
  }
  const types: string[] = [];
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const o of ns.nestedArray) {
      if (o instanceof protobuf.Type) types.push(o.fullName.replace(/^\./, ''));
      if (o instanceof protobuf.Namespace || o instanceof protobuf.Type) walk(o);
    }
  };
  walk(root);
  const lookup = (name: string): protobuf.Type => {
    try {
      return root.lookupType(name);
    } catch {
      throw new CodecError(`no message type "${name}" in the loaded .proto (it has ${types.slice(0, 8).join(', ') || 'none'}${types.length > 8 ? ', …' : ''})`);
    }
  };
  return {
    types,
    decode(typeName, bytes) {
      const type = lookup(typeName);
      const reader = protobuf.Reader.create(bytes);
      let msg: protobuf.Message;
      try {
        msg = type.decode(reader);
      } catch (e) {
        throw new CodecError(`protobuf ${typeName}: ${(e as Error).message}`, reader.pos);
      }
      return type.toObject(msg, TO_OBJECT);
    },
    encode(typeName, value) {
      const type = lookup(typeName);
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CodecError(`protobuf ${typeName}: the payload must be a JSON object`);
      let msg: protobuf.Message;
      try {
        // fromObject first: it takes 64-bit integers as strings (as decode shows them), verify() would not.
        msg = type.fromObject(value as Record<string, unknown>);
      } catch (e) {
        throw new CodecError(`protobuf ${typeName}: ${(e as Error).message}`);
      }
      const problem = type.verify(msg);
      if (problem) throw new CodecError(`protobuf ${typeName}: ${problem}`);
      return type.encode(msg).finish();
    },
  };
}

export const protobufCodec: Codec = {
  id: 'protobuf',
  label: 'Protobuf',
  decode(bytes, ctx) {
    if (!ctx.proto) throw new CodecError('no .proto loaded: load one in the codec settings');
    if (!ctx.messageType) throw new CodecError('no message type chosen for this topic');
    return ctx.proto.decode(ctx.messageType, bytes);
  },
  encode(text, ctx) {
    if (!ctx.proto) throw new CodecError('no .proto loaded: load one in the codec settings');
    if (!ctx.messageType) throw new CodecError('no message type chosen for this topic');
    return ctx.proto.encode(ctx.messageType, parseJsonValue(text));
  },
};
