// Payload codecs against fixtures made by each format's own encoder (cbor-x, @msgpack/msgpack,
// protobufjs, node:zlib), and a Sparkplug B payload encoded from the official Tahu .proto file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync, deflateSync, deflateRawSync } from 'node:zlib';
import { encode as cborEncode } from 'cbor-x';
import { encode as msgpackEncode } from '@msgpack/msgpack';
import protobuf from 'protobufjs';
import { compileProto, decodePayload, encodePayload, resolveAuto, compactValue } from '../../shared/codecs';
import { SPARKPLUG_B_PROTO } from '../../shared/codecs/sparkplug-b-schema';
import { choiceFor, checkRules } from '../../shared/codecs/rules';
import { numberAt, numericPaths } from '../../shared/codecs/fields';

const sample = { temp: 21.5, unit: '°C', ok: true, list: [1, 2, 3], nested: { n: -7 } };
const u8 = (b: Uint8Array | Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

const PROTO = `syntax = "proto3";
package plant;
message Reading { string sensor = 1; double value = 2; int64 at = 3; repeated uint32 flags = 4; }`;

function okValue(r: ReturnType<typeof decodePayload>): unknown {
  if (!r.ok) assert.fail(`decode failed: ${r.error}`);
  return r.value;
}

describe('codecs: round trips with the libraries\' own encoders', () => {
  it('CBOR from cbor-x decodes to the same value, and our encoding decodes back', () => {
    const bytes = u8(cborEncode(sample));
    assert.deepEqual(okValue(decodePayload(bytes, { codec: 'cbor' }, 't')), sample);
    const ours = encodePayload(JSON.stringify(sample), { codec: 'cbor' }, 't');
    assert.deepEqual(okValue(decodePayload(ours, { codec: 'cbor' }, 't')), sample);
  });

  it('MessagePack from @msgpack/msgpack round-trips, 64-bit integers exactly', () => {
    const bytes = msgpackEncode(sample);
    assert.deepEqual(okValue(decodePayload(bytes, { codec: 'msgpack' }, 't')), sample);
    const big = msgpackEncode(2n ** 60n + 1n, { useBigInt64: true });
    assert.equal(okValue(decodePayload(big, { codec: 'msgpack' }, 't')), 2n ** 60n + 1n);
    const ours = encodePayload('{"a":[1,"x"]}', { codec: 'msgpack' }, 't');
    assert.deepEqual(okValue(decodePayload(ours, { codec: 'msgpack' }, 't')), { a: [1, 'x'] });
  });

  it('Protobuf encoded by protobufjs from the same .proto decodes with the chosen message type', () => {
    const type = protobuf.parse(PROTO).root.lookupType('plant.Reading');
    const bytes = type.encode(type.fromObject({ sensor: 's1', value: 3.25, at: '9007199254740993', flags: [1, 5] })).finish();
    const proto = compileProto(PROTO);
    assert.deepEqual(proto.types, ['plant.Reading']);
    const v = okValue(decodePayload(bytes, { codec: 'protobuf', messageType: 'plant.Reading' }, 't', { proto }));
    assert.deepEqual(v, { sensor: 's1', value: 3.25, at: '9007199254740993', flags: [1, 5] });
    const ours = encodePayload('{"sensor":"s2","value":1.5}', { codec: 'protobuf', messageType: 'plant.Reading' }, 't', { proto });
    assert.deepEqual(type.toObject(type.decode(ours)), { sensor: 's2', value: 1.5 });
  });

  it('Sparkplug B: a payload encoded from the official sparkplug_b.proto decodes automatically on spBv1.0/ topics', () => {
    const file = readFileSync(new URL('../../shared/codecs/sparkplug_b.proto', import.meta.url), 'utf8');
    assert.equal(SPARKPLUG_B_PROTO, file, 'the bundled schema string is the data file, licence header included');
    assert.match(file, /SPDX-License-Identifier: EPL-2.0/);
    const Payload = protobuf.parse(file).root.lookupType('org.eclipse.tahu.protobuf.Payload');
    const bytes = Payload.encode(Payload.fromObject({
      timestamp: 1700000000123, seq: 7,
      metrics: [{ name: 'Temperature', alias: 1, datatype: 10, doubleValue: 48.5 }, { name: 'Running', datatype: 11, booleanValue: true }],
    })).finish();
    const topic = 'spBv1.0/plant/DDATA/edge1/dev1';
    assert.equal(resolveAuto(topic, bytes), 'sparkplug');
    const r = decodePayload(bytes, { codec: 'auto' }, topic);
    assert.equal(r.codec, 'sparkplug');
    const v = okValue(r) as { timestamp: string; seq: string; metrics: Record<string, unknown>[] };
    assert.equal(v.timestamp, '1700000000123');
    assert.equal(v.seq, '7');
    assert.deepEqual(v.metrics[0], { name: 'Temperature', alias: '1', datatype: 10, double_value: 48.5 });
    assert.deepEqual(v.metrics[1], { name: 'Running', datatype: 11, boolean_value: true });
    assert.equal(numberAt(v, 'metrics[0].double_value'), 48.5);
    // And back: what we encode, protobufjs reads with the official schema.
    const ours = encodePayload('{"seq":"8","metrics":[{"name":"x","datatype":3,"int_value":5}]}', { codec: 'auto' }, topic);
    const back = Payload.toObject(Payload.decode(ours), { longs: String });
    assert.deepEqual(back, { seq: '8', metrics: [{ name: 'x', datatype: 3, intValue: 5 }] });
  });

  it('gzip and deflate (zlib and raw) from node:zlib unwrap before the inner codec', () => {
    const json = Buffer.from(JSON.stringify(sample));
    assert.deepEqual(okValue(decodePayload(u8(gzipSync(json)), { codec: 'json', wrap: 'gzip' }, 't')), sample);
    assert.deepEqual(okValue(decodePayload(u8(deflateSync(json)), { codec: 'auto', wrap: 'deflate' }, 't')), sample);
    assert.deepEqual(okValue(decodePayload(u8(deflateRawSync(json)), { codec: 'json', wrap: 'deflate' }, 't')), sample);
    const cbor = u8(gzipSync(cborEncode(sample)));
    assert.deepEqual(okValue(decodePayload(cbor, { codec: 'cbor', wrap: 'gzip' }, 't')), sample);
    const ours = encodePayload('{"a":1}', { codec: 'json', wrap: 'gzip' }, 't');
    assert.deepEqual(okValue(decodePayload(ours, { codec: 'json', wrap: 'gzip' }, 't')), { a: 1 });
  });

  it('text, hex and base64', () => {
    const b = new Uint8Array([0xde, 0xad, 0xbe, 0xef]);
    assert.equal(okValue(decodePayload(b, { codec: 'hex' }, 't')), 'de ad be ef');
    assert.deepEqual(encodePayload('de:ad:be:ef', { codec: 'hex' }, 't'), b);
    assert.equal(okValue(decodePayload(b, { codec: 'base64' }, 't')), Buffer.from(b).toString('base64'));
    assert.deepEqual(encodePayload('3q2+7w==', { codec: 'base64' }, 't'), b);
    assert.equal(okValue(decodePayload(Buffer.from('héllo'), { codec: 'text' }, 't')), 'héllo');
  });
});

describe('codecs: failures say where, never throw', () => {
  it('truncated CBOR reports the end, trailing bytes report the item end, bad bytes their offset', () => {
    const bytes = u8(cborEncode(sample));
    const cut = decodePayload(bytes.subarray(0, bytes.length - 3), { codec: 'cbor' }, 't');
    assert.equal(cut.ok, false);
    assert.equal(!cut.ok && cut.offset, bytes.length - 3);
    const extra = decodePayload(new Uint8Array([...bytes, 0x01, 0x02]), { codec: 'cbor' }, 't');
    assert.equal(!extra.ok && extra.offset, bytes.length);
    assert.match(!extra.ok ? extra.error : '', new RegExp(`ends at byte ${bytes.length}`));
    // 0x1c is a reserved additional-information value: invalid right at the first byte of the 2nd element.
    const bad = decodePayload(new Uint8Array([0x82, 0x01, 0x1c]), { codec: 'cbor' }, 't');
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.offset, 2);
  });

  it('truncated MessagePack and protobuf name a byte offset', () => {
    const m = msgpackEncode({ key: 'a long enough string value' });
    const r = decodePayload(m.subarray(0, 10), { codec: 'msgpack' }, 't');
    assert.equal(r.ok, false);
    assert.equal(typeof (!r.ok && r.offset), 'number');
    const proto = compileProto(PROTO);
    // field 1 (string) claims 50 bytes but only 2 follow.
    const p = decodePayload(new Uint8Array([0x0a, 50, 0x41, 0x42]), { codec: 'protobuf', messageType: 'plant.Reading' }, 't', { proto });
    assert.equal(p.ok, false);
    assert.equal(!p.ok && p.offset, 2);
    assert.match(!p.ok ? p.error : '', /at byte 2/);
  });

  it('JSON errors give the byte offset (UTF-8), gzip without its header says so', () => {
    const r = decodePayload(Buffer.from('{"é": 1,, }'), { codec: 'json' }, 't');
    assert.equal(!r.ok && r.offset, 9);
    const g = decodePayload(Buffer.from('plain'), { codec: 'json', wrap: 'gzip' }, 't');
    assert.equal(g.ok, false);
    assert.match(!g.ok ? g.error : '', /gzip.*1f 8b/);
    const t = decodePayload(new Uint8Array([0x61, 0xff]), { codec: 'text' }, 't');
    assert.equal(!t.ok && t.offset, 1);
  });

  it('protobuf without a loaded schema or with an unknown type explains itself', () => {
    const r = decodePayload(new Uint8Array([8, 1]), { codec: 'protobuf', messageType: 'x.Y' }, 't');
    assert.match(!r.ok ? r.error : '', /no \.proto loaded/);
    const s = decodePayload(new Uint8Array([8, 1]), { codec: 'protobuf', messageType: 'x.Y' }, 't', { proto: compileProto(PROTO) });
    assert.match(!s.ok ? s.error : '', /no message type "x.Y".*plant.Reading/);
    assert.throws(() => compileProto('message {'), /\.proto:/);
  });
});

describe('codecs: rules, previews and numeric fields', () => {
  it('first matching MQTT filter wins, else auto; bad rules are explained', () => {
    const rules = [{ pattern: 'plant/+/cbor', codec: 'cbor' as const }, { pattern: 'plant/#', codec: 'json' as const, wrap: 'gzip' as const }];
    assert.equal(choiceFor(rules, 'plant/a/cbor').codec, 'cbor');
    assert.deepEqual(choiceFor(rules, 'plant/a/b'), rules[1]);
    assert.equal(choiceFor(rules, 'other').codec, 'auto');
    assert.match(checkRules([{ pattern: 'a/#/b', codec: 'json' }]), /rule 1/);
    assert.match(checkRules([{ pattern: 'a', codec: 'protobuf' }]), /message type/);
    assert.equal(checkRules(rules), '');
  });

  it('one-line previews and numeric paths', () => {
    assert.equal(compactValue({ a: 1, b: 'x\ny' }), '{"a":1,"b":"x\\ny"}');
    assert.equal(compactValue('x'.repeat(300), 10), 'xxxxxxxxx…');
    assert.deepEqual(numericPaths(sample), ['temp', 'ok', 'list[0]', 'list[1]', 'list[2]', 'nested.n']);
    assert.equal(numberAt('21.5', ''), 21.5);
    assert.equal(numberAt(sample, 'nested.n'), -7);
    assert.equal(numberAt(sample, 'unit'), null);
  });
});
