// MessagePack through @msgpack/msgpack. 64-bit integers beyond 2^53 come back as bigint, not rounded.
import { Decoder, encode } from '@msgpack/msgpack';
import { parseJsonValue } from './json-input';
import { CodecError, type Codec } from './types';

const decoder = new Decoder({ useBigInt64: true });

export const msgpackCodec: Codec = {
  id: 'msgpack',
  label: 'MessagePack',
  decode(bytes) {
    if (bytes.length === 0) throw new CodecError('empty payload: MessagePack needs at least one value', 0);
    try {
      return decoder.decode(bytes);
    } catch (e) {
      // The decoder keeps its read position; it is where the value broke off.
      const pos = (decoder as unknown as { pos?: number }).pos;
      throw new CodecError(`MessagePack: ${(e as Error).message}`, typeof pos === 'number' ? pos : undefined);
    }
  },
  encode: (text) => encode(parseJsonValue(text)),
};
