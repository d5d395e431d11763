// The embedded broker sends the deliveries queued for one connection in one writev, not one per packet
// (aedes option coalesceWrites, patches/aedes: lib/write.js). On real sockets, with real peers:
// - a burst reaches a raw subscriber and mosquitto_sub as exactly the expected packets, in order, in far
//   fewer socket writes than packets; the trace holds every frame the subscriber got, byte for byte;
// - a QoS 1 subscriber that stops reading does not make the broker buffer the whole burst, and once it
//   reads again it gets every message, in order, and the trace has each of them;
// - a subscriber that leaves (DISCONNECT) during a burst got whole packets in order, exactly the bytes the
//   trace says were sent to it, and the other subscriber gets everything;
// - a QoS 1 publisher's PUBACKs for a batch of PUBLISHes leave in few writes too (a change to mqtt-packet's
//   corking once sent each on its own).
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { startTestCore, type TestCore } from '../support/core';
import { startPeer } from '../support/processes';
import { waitFor } from '../support/wait';

const gen = (p: object) => mqttPacket.generate(p as mqttPacket.Packet);
const connect = (clientId: string) => gen({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId, clean: true, keepalive: 0 });
const CONNACK = Buffer.from([0x20, 0x02, 0x00, 0x00]);

interface Raw { s: net.Socket; got: () => Buffer; size: () => number }

async function raw(port: number, clientId: string): Promise<Raw> {
  const s = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let size = 0;
  s.on('data', (d) => { chunks.push(d); size += d.length; });
  s.on('error', () => {});
  await new Promise<void>((r) => s.once('connect', () => r()));
  s.write(connect(clientId));
  await waitFor(() => size >= 4, { what: `${clientId} CONNACK` });
  return { s, got: () => Buffer.concat(chunks), size: () => size };
}

interface Watched { calls: number; socket: net.Socket | null }

/**
 * Counts the socket writes (writev or write, each one syscall's worth of bytes handed to libuv) the server
 * makes on the connection whose far end is `peer`, by wrapping net.Socket's own methods for this test.
 */
function watchServerSide(peer: net.Socket): { seen: Watched; restore: () => void } {
  const proto = net.Socket.prototype as unknown as Record<'_writev' | '_write', (...a: unknown[]) => unknown>;
  const { _writev: writev, _write: write } = proto;
  const seen: Watched = { calls: 0, socket: null };
  const mine = (s: net.Socket) => s !== peer && s.remotePort === peer.localPort && s.localPort === peer.remotePort;
  proto._writev = function (this: net.Socket, ...a: unknown[]) { if (mine(this)) { seen.calls++; seen.socket = this; } return writev.apply(this, a); };
  proto._write = function (this: net.Socket, ...a: unknown[]) { if (mine(this)) { seen.calls++; seen.socket = this; } return write.apply(this, a); };
  return { seen, restore: () => { proto._writev = writev; proto._write = write; } };
}

/** The bytes of the frames the trace holds that the broker sent to `clientId`, and how many. */
function tracedToClient(t: TestCore, clientId: string): { frames: number; bytes: Buffer } {
  const conn = t.core.recorder.connections().find((c) => c.clientId === clientId && c.side === 'broker');
  assert.ok(conn, `trace connection of ${clientId}`);
  const store = t.core.recorder.store;
  const parts: Buffer[] = [];
  for (let q = store.firstSeq; q < store.nextSeq; q++) {
    const f = store.summary(q)!;
    if (f.conn === conn.id && f.dir === 's2c' && f.kind === 'packet') parts.push(store.bytesOf(q)!);
  }
  return { frames: parts.length, bytes: Buffer.concat(parts) };
}

test('a burst reaches a raw subscriber and mosquitto_sub as the expected packets in order, in few writes, all in the trace', async () => {
  const t = await startTestCore({ wsPort: null }, 256 * 2 ** 20);
  const peers: net.Socket[] = [];
  let restore = () => {};
  try {
    const sub = await raw(t.port, 'raw-sub');
    peers.push(sub.s);
    sub.s.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'burst/#', qos: 0 }] }));
    await waitFor(() => sub.size() >= 4 + 5, { what: 'SUBACK' });
    const N = 5000;
    const mosq = startPeer('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(t.port), '-i', 'mosq-sub', '-t', 'burst/#', '-C', String(N), '-v']);
    await waitFor(async () => (await t.core.brokerSubscriptions()).some((s) => s.clientId === 'mosq-sub' && s.online), { what: 'mosquitto_sub subscribed' });

    const watch = watchServerSide(sub.s);
    restore = watch.restore;
    const pub = await raw(t.port, 'pub');
    peers.push(pub.s);
    const expected: Buffer[] = [];
    const lines: string[] = [];
    let batch: Buffer[] = [];
    for (let i = 0; i < N; i++) {
      const topic = `burst/dev${i % 17}`;
      const payload = Buffer.from(`{"seq":${i}}`);
      const frame = gen({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false });
      expected.push(frame);
      lines.push(`${topic} ${payload}\n`);
      batch.push(frame);
      if (batch.length === 200) { pub.s.write(Buffer.concat(batch)); batch = []; }
    }
    if (batch.length) pub.s.write(Buffer.concat(batch));

    const want = Buffer.concat([CONNACK, Buffer.from([0x90, 0x03, 0x00, 0x01, 0x00]), ...expected]);
    await waitFor(() => sub.size() >= want.length, { what: `raw subscriber got ${want.length} bytes (has ${sub.size()})`, timeoutMs: 30_000 });
    assert.ok(sub.got().equals(want), 'the raw subscriber received exactly CONNACK, SUBACK and the N PUBLISH packets, in order');
    assert.equal(await mosq.exited, 0, `mosquitto_sub: ${mosq.err()}`);
    assert.equal(mosq.out(), lines.join(''), 'mosquitto_sub printed every message in order');

    // One socket write per packet without coalescing; the burst's 5,000 deliveries leave in far fewer.
    assert.ok(watch.seen.calls > 0, 'the server socket was seen writing');
    assert.ok(watch.seen.calls <= N / 10, `${watch.seen.calls} socket writes for ${N} deliveries`);

    // Every frame the subscriber received is in the trace, once, with its bytes, in order.
    await waitFor(() => tracedToClient(t, 'raw-sub').frames >= N + 2, { what: 'the trace has every frame sent to raw-sub' });
    const traced = tracedToClient(t, 'raw-sub');
    assert.equal(traced.frames, N + 2);
    assert.ok(traced.bytes.equals(sub.got()), 'traced bytes = bytes on the subscriber\'s socket');
  } finally {
    restore();
    for (const s of peers) s.destroy();
    await t.dispose();
  }
});

test('a QoS 1 subscriber that stops reading: the broker holds a bounded part of the burst, then delivers all in order, all traced', async () => {
  const t = await startTestCore({ wsPort: null }, 512 * 2 ** 20);
  const peers: net.Socket[] = [];
  let restore = () => {};
  try {
    const sub = await raw(t.port, 'slow-sub');
    peers.push(sub.s);
    sub.s.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'bp/#', qos: 1 }] }));
    await waitFor(() => sub.size() >= 4 + 5, { what: 'SUBACK' });
    sub.s.pause(); // reads nothing from now on
    const watch = watchServerSide(sub.s);
    restore = watch.restore;

    const pub = await raw(t.port, 'bp-pub');
    peers.push(pub.s);
    const N = 1500;
    const SIZE = 16 * 1024; // 24 MiB in all
    let queued = 0;
    for (let i = 0; i < N; i++) {
      const payload = Buffer.alloc(SIZE, i & 0xff);
      payload.writeUInt32BE(i, 0);
      const frame = gen({ cmd: 'publish', topic: `bp/${i % 3}`, payload, qos: 1, messageId: i + 1, retain: false, dup: false });
      queued += frame.length;
      pub.s.write(frame);
    }
    // The broker stops reading the publisher once its deliveries wait for the slow subscriber: the
    // publisher's own socket then keeps most of the burst.
    await waitFor(() => pub.s.writableLength > queued / 2, { what: `the publisher backed up (${pub.s.writableLength} of ${queued} B unsent)`, timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(watch.seen.socket, 'the server wrote to the slow subscriber');
    const held = watch.seen.socket.writableLength;
    assert.ok(held < 8 * 2 ** 20, `the broker holds ${held} B for the slow subscriber, not the ${queued} B burst`);

    // Reading again: every message arrives, in order, and each is acknowledged.
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const order: number[] = [];
    parser.on('packet', (p) => {
      if (p.cmd !== 'publish') return;
      order.push((p.payload as Buffer).readUInt32BE(0));
      sub.s.write(gen({ cmd: 'puback', messageId: p.messageId }));
    });
    sub.s.on('data', (d) => parser.parse(d));
    parser.parse(sub.got());
    sub.s.resume();
    await waitFor(() => order.length >= N, { what: `slow subscriber got all ${N} (has ${order.length})`, timeoutMs: 60_000 });
    assert.deepEqual(order, Array.from({ length: N }, (_, i) => i), 'QoS 1 messages in publish order, none lost');

    await waitFor(() => tracedToClient(t, 'slow-sub').frames >= N + 2, { what: 'the trace has every frame sent to slow-sub' });
    const traced = tracedToClient(t, 'slow-sub');
    assert.equal(traced.frames, N + 2);
    assert.ok(traced.bytes.equals(sub.got()), 'traced bytes = bytes on the subscriber\'s socket');
  } finally {
    restore();
    for (const s of peers) s.destroy();
    await t.dispose();
  }
});

test('a subscriber that disconnects mid-burst gets whole packets in order, exactly what the trace says was sent; others get all', async () => {
  const t = await startTestCore({ wsPort: null }, 256 * 2 ** 20);
  const peers: net.Socket[] = [];
  try {
    const quitter = await raw(t.port, 'quitter');
    const stayer = await raw(t.port, 'stayer');
    peers.push(quitter.s, stayer.s);
    for (const p of [quitter, stayer]) p.s.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'mid/#', qos: 0 }] }));
    await waitFor(() => quitter.size() >= 9 && stayer.size() >= 9, { what: 'SUBACKs' });
    const pub = await raw(t.port, 'mid-pub');
    peers.push(pub.s);
    const N = 4000;
    const frames = Array.from({ length: N }, (_, i) => gen({ cmd: 'publish', topic: `mid/${i % 7}`, payload: Buffer.from(`m${i}`), qos: 0, retain: false, dup: false }));
    const ended = new Promise<void>((r) => quitter.s.once('close', () => r()));
    pub.s.write(Buffer.concat(frames.slice(0, N / 2)));
    // Once the burst is arriving, the quitter says DISCONNECT (and keeps reading until the broker closes).
    await waitFor(() => quitter.size() > 9 + 1000, { what: 'the quitter receiving the burst' });
    quitter.s.write(gen({ cmd: 'disconnect' }));
    await ended;
    pub.s.write(Buffer.concat(frames.slice(N / 2)));

    const expected = Buffer.concat([CONNACK, Buffer.from([0x90, 0x03, 0x00, 0x01, 0x00]), ...frames]);
    await waitFor(() => stayer.size() >= expected.length, { what: `stayer got everything (${stayer.size()} of ${expected.length} B)`, timeoutMs: 30_000 });
    assert.ok(stayer.got().equals(expected), 'the other subscriber got every packet in order');
    const got = quitter.got();
    assert.ok(got.length < expected.length, 'the quitter left before the end of the burst');
    assert.ok(expected.subarray(0, got.length).equals(got), 'the quitter got a prefix of the burst');
    let whole = 0;
    for (const f of [CONNACK, Buffer.from([0x90, 0x03, 0x00, 0x01, 0x00]), ...frames]) { if (whole + f.length > got.length) break; whole += f.length; }
    assert.equal(got.length, whole, 'that prefix ends on a packet boundary');
    await waitFor(() => tracedToClient(t, 'quitter').bytes.length >= got.length, { what: 'the trace has what the quitter got' });
    assert.ok(tracedToClient(t, 'quitter').bytes.equals(got), 'traced bytes = bytes on the quitter\'s socket');
  } finally {
    for (const s of peers) s.destroy();
    await t.dispose();
  }
});

test('the PUBACKs for a batch of QoS 1 PUBLISHes leave in far fewer socket writes than PUBACKs', async () => {
  const t = await startTestCore({ wsPort: null }, 64 * 2 ** 20);
  let restore = () => {};
  const pub = await raw(t.port, 'qos1-pub');
  try {
    const N = 2000;
    const watch = watchServerSide(pub.s);
    restore = watch.restore;
    const batch = Buffer.concat(Array.from({ length: N }, (_, i) => gen({ cmd: 'publish', topic: `acks/${i % 10}`, payload: Buffer.from(`m${i}`), qos: 1, messageId: i + 1, retain: false, dup: false })));
    pub.s.write(batch);
    await waitFor(() => pub.size() >= 4 + 4 * N, { what: `${N} PUBACKs`, timeoutMs: 30_000 });
    const acks = pub.got().subarray(4);
    for (let i = 0; i < N; i++) assert.deepEqual([...acks.subarray(4 * i, 4 * i + 4)], [0x40, 0x02, (i + 1) >> 8, (i + 1) & 0xff], `PUBACK ${i + 1} in order`);
    assert.ok(watch.seen.calls > 0 && watch.seen.calls <= N / 10, `${watch.seen.calls} socket writes for ${N} PUBACKs`);
  } finally {
    restore();
    pub.s.destroy();
    await t.dispose();
  }
});
