// How the patched mqtt-packet writes a PUBLISH to a stream (patches/mqtt-packet: writeToStream.js): everything
// before the payload as one Buffer, with a payload under 256 bytes inside it, a larger payload as its own write
// of the very Buffer it was given (the tap stores a fanned-out payload once by that identity). The bytes are
// checked against an encoding written here from the spec's layout [MQTT-2.2, 3.3], not against the library.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';

interface Case { topic: string | Buffer; payload: Buffer | string; qos: 0 | 1 | 2; retain: boolean; dup: boolean; messageId?: number; v: 3 | 4 | 5 }

function expected(c: Case): Buffer {
  const topic = Buffer.isBuffer(c.topic) ? c.topic : Buffer.from(c.topic, 'utf8');
  const payload = Buffer.isBuffer(c.payload) ? c.payload : Buffer.from(c.payload, 'utf8');
  const rest = [Buffer.from([topic.length >> 8, topic.length & 255]), topic];
  if (c.qos) rest.push(Buffer.from([c.messageId! >> 8, c.messageId! & 255]));
  if (c.v === 5) rest.push(Buffer.from([0])); // Property Length 0
  rest.push(payload);
  const body = Buffer.concat(rest);
  const len: number[] = [];
  let n = body.length;
  do { let d = n % 128; n = Math.floor(n / 128); if (n > 0) d |= 0x80; len.push(d); } while (n > 0);
  return Buffer.concat([Buffer.from([0x30 | (c.dup ? 8 : 0) | (c.qos << 1) | (c.retain ? 1 : 0), ...len]), body]);
}

/** The chunks one writeToStream call hands the stream, in order. */
function writes(c: Case): unknown[] {
  const chunks: unknown[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { cb(); }, decodeStrings: false });
  const write = sink.write.bind(sink);
  sink.write = ((chunk: unknown, ...rest: unknown[]) => { chunks.push(chunk); return (write as (...a: unknown[]) => boolean)(chunk, ...rest); }) as typeof sink.write;
  mqttPacket.writeToStream({ cmd: 'publish', topic: c.topic as string, payload: c.payload, qos: c.qos, retain: c.retain, dup: c.dup, messageId: c.messageId },
    sink, { protocolVersion: c.v });
  return chunks;
}

const asBytes = (chunks: unknown[]) => Buffer.concat(chunks.map((x) => (Buffer.isBuffer(x) ? x : Buffer.from(x as string, 'utf8'))));

test('a PUBLISH with a payload under 256 bytes is one write of exactly its bytes, at every version, QoS and topic kind', () => {
  const topics: (string | Buffer)[] = ['a', 'plant/line-4/temp', 'ü/größe', '\u{1F600}/x', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(300), Buffer.from('buf/topic')];
  let n = 0;
  for (const v of [3, 4, 5] as const) for (const qos of [0, 1, 2] as const) for (const topic of topics) for (const size of [0, 1, 64, 65, 255]) {
    const c: Case = { topic, payload: Buffer.alloc(size, size & 255), qos, retain: (n & 1) === 1, dup: (n & 2) === 2, messageId: qos ? 1 + ((n * 7919) % 65535) : undefined, v };
    const chunks = writes(c);
    assert.equal(chunks.length, 1, `${JSON.stringify({ v, qos, size })}: ${chunks.length} writes`);
    assert.deepEqual(asBytes(chunks), expected(c), `bytes of ${JSON.stringify({ v, qos, topic: String(topic), size })}`);
    n++;
  }
  assert.equal(n, 3 * 3 * topics.length * 5);
});

test('a payload of 256 bytes or more is a write of its own, the same Buffer object, after one write of everything before it', () => {
  for (const v of [3, 4, 5] as const) for (const size of [256, 4096, 200_000]) {
    const payload = Buffer.alloc(size, 0x5a);
    const c: Case = { topic: 'fan/out', payload, qos: 1, retain: false, dup: false, messageId: 300, v };
    const chunks = writes(c);
    assert.equal(chunks.length, 2);
    assert.equal(chunks[1], payload, 'the payload Buffer itself, not a copy');
    assert.deepEqual(asBytes(chunks), expected(c));
  }
});

test('a string payload and MQTT 5 properties still encode exactly (their own writes)', () => {
  const s: Case = { topic: 't', payload: 'héllo', qos: 0, retain: false, dup: false, v: 4 };
  assert.deepEqual(asBytes(writes(s)), expected(s));
  const props = { cmd: 'publish' as const, topic: 'p', payload: Buffer.from('x'), qos: 1 as const, messageId: 9, retain: false, dup: false,
    properties: { contentType: 'text/plain', userProperties: { a: 'b' } } };
  const bytes = mqttPacket.generate(props, { protocolVersion: 5 });
  const parser = mqttPacket.parser({ protocolVersion: 5 });
  let got: mqttPacket.IPublishPacket | null = null;
  parser.on('packet', (p) => { got = p as mqttPacket.IPublishPacket; });
  parser.parse(bytes);
  assert.ok(got, 'parsed back');
  const p = got as mqttPacket.IPublishPacket;
  assert.equal(p.topic, 'p');
  assert.equal(p.messageId, 9);
  assert.equal(p.properties?.contentType, 'text/plain');
  assert.deepEqual({ ...p.properties?.userProperties }, { a: 'b' });
  assert.deepEqual(p.payload, Buffer.from('x'));
});

test('a remaining length over the 268,435,455 MQTT allows destroys the stream with an error, as before', () => {
  let error: Error | null = null;
  const sink = new Writable({ write(_c, _e, cb) { cb(); } });
  sink.on('error', (e) => { error = e; });
  const huge = { length: 268_435_456 } as unknown as Buffer; // never read: the length check comes first
  const fake = Object.setPrototypeOf(huge, Buffer.prototype) as Buffer;
  mqttPacket.writeToStream({ cmd: 'publish', topic: 't', payload: fake, qos: 0, retain: false, dup: false }, sink, { protocolVersion: 4 });
  return new Promise<void>((resolve) => setImmediate(() => {
    assert.match(String((error as Error | null)?.message), /Invalid variable byte integer/);
    resolve();
  }));
});

/** A stream that records what each flush hands it: one entry per _write or _writev call, the bytes of each. */
function flushes(): { sink: Writable; calls: Buffer[][] } {
  const calls: Buffer[][] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) { calls.push([chunk]); cb(); },
    writev(chunks, cb) { calls.push(chunks.map((c) => c.chunk as Buffer)); cb(); },
  });
  return { sink, calls };
}
const big = (n: number) => ({ cmd: 'publish' as const, topic: 'fan/out', payload: Buffer.alloc(300, n), qos: 1 as const, messageId: n, retain: false, dup: false });

test('on a stream nobody corked, a packet of two writes corks it and leaves in one flush on the next tick', async () => {
  const { sink, calls } = flushes();
  mqttPacket.writeToStream(big(1), sink, { protocolVersion: 4 });
  assert.equal(sink.writableCorked, 1, 'corked for the packet');
  assert.equal(calls.length, 0, 'nothing flushed inside the call');
  await new Promise((r) => process.nextTick(r));
  assert.equal(sink.writableCorked, 0);
  assert.equal(calls.length, 1, 'header and payload in one writev');
  assert.deepEqual(Buffer.concat(calls[0]), expected({ topic: 'fan/out', payload: Buffer.alloc(300, 1), qos: 1, retain: false, dup: false, messageId: 1, v: 4 }));
});

test('on a stream corked already (a broker turn), packets add no cork of their own and leave when its owner uncorks', async () => {
  const { sink, calls } = flushes();
  sink.cork();
  for (let n = 1; n <= 3; n++) mqttPacket.writeToStream(big(n), sink, { protocolVersion: 4 });
  assert.equal(sink.writableCorked, 1, 'still only the owner\'s cork');
  await new Promise((r) => setImmediate(r));
  assert.equal(calls.length, 0, 'nothing leaves while the owner holds the stream corked');
  sink.uncork();
  assert.equal(calls.length, 1, 'all three packets in one flush, at once when the owner uncorks');
  const want = [1, 2, 3].map((n) => expected({ topic: 'fan/out', payload: Buffer.alloc(300, n), qos: 1, retain: false, dup: false, messageId: n, v: 4 }));
  assert.deepEqual(Buffer.concat(calls[0]), Buffer.concat(want), 'in order, byte for byte');
  await new Promise((r) => setImmediate(r));
  assert.equal(sink.writableCorked, 0, 'no stray uncork or cork left behind');
});
