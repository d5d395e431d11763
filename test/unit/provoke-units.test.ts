// Units of the provoke feature without a network: the fault layer's packet framing and drop/delay on a
// stream, and the step queue's actions.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { BrokerFaults, describePacket } from '../../electron/core/broker/faults';
import { StepQueue } from '../../electron/core/sessions/step-queue';
import type { WireConnection } from '../../electron/core/trace/wire';
import type { StepState } from '../../shared/contract/types';

function sink(): { stream: PassThrough; bytes: () => Buffer } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, bytes: () => Buffer.concat(chunks) };
}
const tick = () => new Promise((r) => setImmediate(r));
function fakeWire(): WireConnection & { events: string[] } {
  const events: string[] = [];
  return { id: 1, events, attach() {}, update() {}, event: (t: string) => { events.push(t); }, closing() {}, close() {} };
}

test('describePacket names acks and publishes with their ids', () => {
  const gen = (p: mqttPacket.Packet) => mqttPacket.generate(p);
  assert.equal(describePacket(gen({ cmd: 'puback', messageId: 7 })), 'PUBACK id 7');
  assert.equal(describePacket(gen({ cmd: 'pubrel', messageId: 300 })), 'PUBREL id 300');
  assert.equal(describePacket(gen({ cmd: 'publish', topic: 'a/b', payload: Buffer.alloc(200), qos: 2, messageId: 9, dup: false, retain: false })), "PUBLISH QoS 2 id 9 'a/b'");
  assert.equal(describePacket(gen({ cmd: 'publish', topic: 't', payload: 'x', qos: 0, dup: false, retain: false })), "PUBLISH QoS 0 't'");
  assert.equal(describePacket(gen({ cmd: 'pingresp' })), 'PINGRESP');
});

test('fault layer: chunked writes are reassembled; the next ack is dropped, others pass; idle hands write() back', async () => {
  const { stream, bytes } = sink();
  const original = stream.write;
  const wire = fakeWire();
  let changes = 0;
  const faults = new BrokerFaults(() => changes++);
  faults.set({ stream, wire }, { kind: 'drop-acks', count: 1 });
  assert.notEqual(stream.write, original);
  assert.deepEqual(faults.of(stream), { delayMs: 0, dropAcks: 1, dropPublishes: 0 });
  const pub = { cmd: 'publish' as const, topic: 'x', payload: Buffer.from('big'.repeat(100)), qos: 1 as const, messageId: 5, dup: false, retain: false };
  mqttPacket.writeToStream({ cmd: 'puback', messageId: 4 }, stream);
  mqttPacket.writeToStream(pub, stream);
  mqttPacket.writeToStream({ cmd: 'puback', messageId: 6 }, stream);
  await tick();
  assert.deepEqual(bytes(), Buffer.concat([mqttPacket.generate(pub), mqttPacket.generate({ cmd: 'puback', messageId: 6 })]));
  assert.deepEqual(wire.events.slice(1), ['fault: dropped PUBACK id 4']);
  assert.equal(faults.of(stream), undefined, 'used up');
  assert.ok(changes >= 2);
  faults.set({ stream, wire }, { kind: 'drop-publish' });
  assert.equal(faults.clear({ stream, wire }), true);
  assert.equal(stream.write, original, 'no fault left: the stream is untouched again');
  assert.equal(faults.clear({ stream, wire }), false);
});

test('fault layer: delay keeps order and releases write() after the last held packet', async (t) => {
  // Mocked timers: a loaded machine must not let the held packet out "early" between two statements.
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { stream, bytes } = sink();
  const original = stream.write;
  const faults = new BrokerFaults(() => undefined);
  const wire = fakeWire();
  faults.set({ stream, wire }, { kind: 'delay', ms: 30 });
  mqttPacket.writeToStream({ cmd: 'puback', messageId: 1 }, stream);
  faults.clear({ stream, wire });
  mqttPacket.writeToStream({ cmd: 'puback', messageId: 2 }, stream); // queued behind the held one
  await tick();
  assert.equal(bytes().length, 0, 'nothing out while held');
  assert.notEqual(stream.write, original);
  t.mock.timers.tick(10);
  await tick();
  assert.equal(bytes().length, 0, 'still held after 10 of 30 ms');
  t.mock.timers.tick(40);
  await tick();
  assert.deepEqual(bytes(), Buffer.concat([1, 2].map((id) => mqttPacket.generate({ cmd: 'puback', messageId: id }))));
  assert.equal(stream.write, original);
});

test('step queue: send, duplicate, drop, delay, off releases, closed connection discards', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const states: StepState[] = [];
  const q = new StepQueue('s1', (s) => states.push(s));
  const wire = fakeWire();
  const ran: string[] = [];
  q.setOn(true, wire);
  let pid = 0;
  const hold = (name: string, conn = 1) => q.hold(wire, { conn, received: 'PUBLISH', packetId: ++pid, reply: 'PUBACK' }, () => ran.push(name));
  hold('a'); hold('b'); hold('c'); hold('d'); hold('e'); hold('f', 2);
  const ids = q.state().items.map((i) => i.id);
  q.act(ids[0]!, 'send');
  q.act(ids[1]!, 'duplicate');
  q.act(ids[2]!, 'drop');
  q.act(ids[3]!, 'delay', 20);
  assert.throws(() => q.act(ids[3]!, 'send'), /already delayed/);
  assert.throws(() => q.act(ids[2]!, 'send'), /not waiting/);
  assert.deepEqual(ran, ['a', 'b', 'b']);
  assert.ok(q.state().items.find((i) => i.id === ids[3])?.dueAtMs);
  q.forgetConnection(2);
  assert.deepEqual(q.state().items.map((i) => i.id), [ids[3], ids[4]]);
  q.setOn(false, wire);
  assert.deepEqual(ran, ['a', 'b', 'b', 'e'], 'off releases what is not delayed');
  t.mock.timers.tick(19);
  assert.deepEqual(ran, ['a', 'b', 'b', 'e'], 'the delayed one waits its 20 ms');
  t.mock.timers.tick(1);
  assert.deepEqual(ran, ['a', 'b', 'b', 'e', 'd']);
  assert.deepEqual(q.state(), { sessionId: 's1', on: false, items: [] });
  assert.ok(wire.events.some((e) => /PUBACK for PUBLISH id 3 — dropped by the user/.test(e)), wire.events.join(' | '));
  assert.ok(states.length > 5);
  q.dispose();
});
