// Bad bytes written straight to the embedded broker's TCP port: the trace keeps them exactly, flags them with
// the reason, records the connection closing (and aedes' reason where it gives one), and the broker keeps
// serving well-behaved clients. Also: the tap frames correctly whatever the read boundaries are.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import mqtt from 'mqtt';
import mqttPacket, { type Packet } from 'mqtt-packet';
import type { FrameSummary } from '../../shared/contract/types';
import { startTestCore, type TestCore } from '../support/core';
import { waitFor } from '../support/wait';

let t: TestCore;
before(async () => { t = await startTestCore(); });
after(async () => { await t?.dispose(); });

const gen = (p: Packet, protocolVersion: 4 | 5 = 4): Buffer => mqttPacket.generate(p, { protocolVersion });
const connect = (clientId: string, protocolVersion: 4 | 5 = 4): Buffer =>
  gen({ cmd: 'connect', protocolId: 'MQTT', protocolVersion, clientId, clean: true, keepalive: 60 }, protocolVersion);
const PINGREQ = Buffer.from([0xc0, 0x00]);

/** mulberry32: a small fixed-seed generator, so the "random" bytes are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A raw TCP client: everything it sent and received is the ground truth the trace must equal. */
class Raw {
  readonly sent: Buffer[] = [];
  readonly received: Buffer[] = [];
  readonly closed: Promise<void>;
  /** Our local port = the remote port the broker sees (kept: a closed socket forgets it). */
  readonly port: number;
  private constructor(readonly socket: net.Socket) {
    this.port = socket.localPort!;
    socket.setNoDelay(true);
    socket.on('data', (b) => this.received.push(Buffer.from(b)));
    socket.on('error', () => { /* a reset by the broker shows up as close */ });
    this.closed = new Promise((r) => socket.once('close', () => r()));
  }

  static async open(): Promise<Raw> {
    const socket = net.connect(t.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    return new Raw(socket);
  }

  get isClosed(): boolean { return this.socket.closed; }
  receivedBytes(): Buffer { return Buffer.concat(this.received); }

  async write(b: Buffer): Promise<void> {
    this.sent.push(b);
    await new Promise<void>((resolve, reject) => this.socket.write(b, (e) => (e ? reject(e) : resolve())));
  }

  /** Wait until the received bytes end with `tail` (e.g. a CONNACK or PINGRESP). */
  async expectReceived(tail: Buffer, what: string): Promise<void> {
    await waitFor(() => { const r = this.receivedBytes(); return r.length >= tail.length && r.subarray(r.length - tail.length).equals(tail); },
      { what: `${what} (received ${this.receivedBytes().toString('hex')})` });
  }

  async connected(clientId: string, protocolVersion: 4 | 5 = 4): Promise<void> {
    await this.write(connect(clientId, protocolVersion));
    await waitFor(() => this.receivedBytes().length >= 4 && this.receivedBytes()[0] === 0x20, { what: 'CONNACK' });
  }

  async end(): Promise<void> {
    if (!this.isClosed) this.socket.end();
    await this.closed;
  }

  /** The broker closes the connection by itself. */
  async closedByBroker(): Promise<void> {
    await Promise.race([this.closed, new Promise((_r, reject) => setTimeout(() => reject(new Error('broker did not close the connection')), 5000).unref())]);
  }
}

interface Traced { frames: FrameSummary[]; wire: FrameSummary[]; bytes: Map<number, Buffer> }

/** All frames of the raw client's connection once the trace has it closed, with each frame's bytes. */
async function traced(raw: Raw): Promise<Traced> {
  const conn = await waitFor(async () => (await t.core.connectionList())
    .find((c) => c.side === 'broker' && c.remote === `127.0.0.1:${raw.port}` && c.closedAtMs !== undefined),
  { what: `closed trace connection for :${raw.port}` });
  const { frames } = await t.core.traceQuery({ side: 'broker', conns: [conn.id], limit: 100_000 });
  const wire = frames.filter((f) => f.kind !== 'event');
  const bytes = new Map<number, Buffer>();
  for (const f of wire) {
    const d = await t.core.traceFrame({ seq: f.seq });
    assert.ok(d, `frame ${f.seq}`);
    bytes.set(f.seq, Buffer.from(d.bytesB64, 'base64'));
  }
  // Both directions, frame after frame, are exactly the bytes on the socket.
  const dirBytes = (dir: 'c2s' | 's2c') => Buffer.concat(wire.filter((f) => f.dir === dir).map((f) => bytes.get(f.seq)!));
  assert.equal(dirBytes('c2s').toString('hex'), Buffer.concat(raw.sent).toString('hex'), 'c2s trace bytes = bytes sent');
  assert.equal(dirBytes('s2c').toString('hex'), raw.receivedBytes().toString('hex'), 's2c trace bytes = bytes received');
  const closeEvents = frames.filter((f) => f.kind === 'event' && /^connection closed/.test(f.note ?? ''));
  assert.equal(closeEvents.length, 1, 'one "connection closed" event');
  return { frames, wire, bytes };
}

/** The one malformed frame: its note matches, its bytes are exactly `expected`. */
function malformed(tr: Traced, note: RegExp, expected: Buffer): FrameSummary {
  const bad = tr.wire.filter((f) => f.kind === 'malformed');
  assert.equal(bad.length, 1, `one malformed frame: ${bad.map((f) => f.note).join(' | ')}`);
  assert.match(bad[0].note ?? '', note);
  assert.equal(bad[0].dir, 'c2s');
  assert.equal(tr.bytes.get(bad[0].seq)!.toString('hex'), expected.toString('hex'), 'malformed bytes kept exactly');
  assert.equal(bad[0].length, expected.length);
  return bad[0];
}

function brokerReason(tr: Traced, reason: RegExp): void {
  const events = tr.frames.filter((f) => f.kind === 'event').map((f) => f.note ?? '');
  assert.ok(events.some((e) => reason.test(e)), `an event with the broker's reason ${reason}; events: ${events.join(' | ')}`);
}

/** A well-behaved client can still connect, subscribe and get a message. */
async function brokerStillServes(tag: string): Promise<void> {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.port}`, { clientId: `ok-${tag}`, reconnectPeriod: 0, connectTimeout: 5000 });
  try {
    const topic = `alive/${tag}`;
    await c.subscribeAsync(topic, { qos: 1 });
    const got = new Promise<string>((r) => c.once('message', (_t, p) => r(p.toString())));
    await c.publishAsync(topic, 'still here', { qos: 1 });
    assert.equal(await got, 'still here');
  } finally {
    await c.endAsync();
  }
}

describe('malformed input', () => {
  test('(a) random bytes (fixed seed)', async () => {
    const rnd = seeded(42);
    const bytes = Buffer.from(Array.from({ length: 64 }, () => Math.floor(rnd() * 256)));
    const raw = await Raw.open();
    await raw.write(bytes);
    await raw.end();
    const tr = await traced(raw);
    // Seed 42 starts like a SUBACK claiming 116 bytes: cut short by the close, and aedes refuses it.
    malformed(tr, /closed after 64 of 116 bytes/, bytes);
    brokerReason(tr, /broker rejected the connection: Invalid header flag bits/);
    await brokerStillServes('random');
  });

  test('(b) a truncated remaining length', async () => {
    const bytes = Buffer.from([0x30, 0xff]);
    const raw = await Raw.open();
    await raw.write(bytes);
    await raw.end();
    const tr = await traced(raw);
    malformed(tr, /closed inside a fixed header/, bytes);
    await brokerStillServes('truncated');
  });

  test('(c) a remaining length beyond 268,435,455 (5 length bytes)', async () => {
    const bytes = Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    const raw = await Raw.open();
    await raw.write(bytes);
    await raw.closedByBroker();
    const tr = await traced(raw);
    malformed(tr, /remaining length longer than 4 bytes/, bytes);
    brokerReason(tr, /broker rejected the connection: Invalid variable byte integer/);
    await brokerStillServes('huge');
  });

  test('(d) PUBLISH with QoS 3', async () => {
    const raw = await Raw.open();
    await raw.connected('bad-qos3');
    const bad = Buffer.from([0x36, 0x07, 0x00, 0x03, 0x61, 0x2f, 0x62, 0x00, 0x01]); // topic "a/b", packet id 1
    await raw.write(bad);
    await raw.closedByBroker();
    const tr = await traced(raw);
    assert.deepEqual(tr.wire.map((f) => [f.dir, f.type, f.kind]),
      [['c2s', 'CONNECT', 'packet'], ['s2c', 'CONNACK', 'packet'], ['c2s', 'PUBLISH', 'malformed']]);
    malformed(tr, /QoS 3 is reserved/, bad);
    brokerReason(tr, /broker closed the connection: .*QoS/);
    await brokerStillServes('qos3');
  });

  test('(e) PUBLISH with a topic that is not UTF-8', async () => {
    const raw = await Raw.open();
    await raw.connected('bad-utf8');
    const bad = Buffer.concat([Buffer.from([0x30, 0x06, 0x00, 0x02, 0xff, 0xfe]), Buffer.from('hi')]);
    await raw.write(bad);
    // [MQTT-1.5.3-1]: the server must close. aedes alone would carry on; our broker acts on what the tap saw.
    await raw.closedByBroker();
    const tr = await traced(raw);
    const frame = malformed(tr, /UTF-8/, bad);
    assert.equal(frame.type, 'PUBLISH');
    brokerReason(tr, /broker closed the connection: topic is not valid UTF-8/);
    const info = (await t.core.connectionList()).find((c) => c.id === frame.conn)!;
    assert.match(info.closeReason!, /topic is not valid UTF-8/);
    await brokerStillServes('utf8');
  });

  test('(f) a second CONNECT', async () => {
    const raw = await Raw.open();
    await raw.connected('twice');
    const again = connect('twice-again');
    await raw.write(again);
    await raw.closedByBroker();
    const tr = await traced(raw);
    const frame = malformed(tr, /second CONNECT/, again);
    assert.equal(frame.type, 'CONNECT');
    brokerReason(tr, /broker closed the connection: Invalid protocol/);
    await brokerStillServes('second-connect');
  });

  test('(g) the first packet is not CONNECT', async () => {
    const raw = await Raw.open();
    await raw.write(PINGREQ);
    await raw.closedByBroker();
    const tr = await traced(raw);
    const frame = malformed(tr, /first packet from a client must be CONNECT/, PINGREQ);
    assert.equal(frame.type, 'PINGREQ');
    brokerReason(tr, /broker rejected the connection: Invalid protocol/);
    await brokerStillServes('not-connect');
  });
});

describe('stream splitting', () => {
  test('one byte per read: MQTT 5 CONNECT + PUBLISH + PINGREQ', async () => {
    const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.port}`, { protocolVersion: 5, clientId: 'split-watch', reconnectPeriod: 0 });
    try {
      await watcher.subscribeAsync('split/one', { qos: 0 });
      const got = new Promise<{ payload: string; props: unknown }>((r) => watcher.once('message', (_t, p, packet) =>
        r({ payload: p.toString(), props: { ...packet.properties?.userProperties } })));
      const packets = [
        connect('split-bytes', 5),
        gen({ cmd: 'publish', topic: 'split/one', payload: Buffer.from('byte by byte'), qos: 0, retain: false, dup: false,
          properties: { userProperties: { k: 'v' } } } as Packet, 5),
        PINGREQ,
      ];
      const raw = await Raw.open();
      for (const p of packets) {
        for (let i = 0; i < p.length; i++) {
          // The write callback plus a turn of the event loop lets the broker read each byte on its own.
          await new Promise<void>((resolve, reject) => raw.socket.write(p.subarray(i, i + 1), (e) => (e ? reject(e) : resolve())));
          await new Promise((r) => setImmediate(r));
        }
        raw.sent.push(p);
      }
      await raw.expectReceived(Buffer.from([0xd0, 0x00]), 'PINGRESP');
      assert.deepEqual(await got, { payload: 'byte by byte', props: { k: 'v' } });
      await raw.end();
      const tr = await traced(raw);
      assert.deepEqual(tr.wire.map((f) => [f.dir, f.kind, f.type]), [
        ['c2s', 'packet', 'CONNECT'], ['s2c', 'packet', 'CONNACK'], ['c2s', 'packet', 'PUBLISH'],
        ['c2s', 'packet', 'PINGREQ'], ['s2c', 'packet', 'PINGRESP'],
      ]);
      const c2s = tr.wire.filter((f) => f.dir === 'c2s');
      c2s.forEach((f, i) => assert.ok(tr.bytes.get(f.seq)!.equals(packets[i]), `c2s frame ${i} is packet ${i}`));
      assert.equal(c2s[1].topic, 'split/one');
      assert.equal(c2s[1].payloadSize, 12);
    } finally {
      await watcher.endAsync();
    }
  });

  test('many packets in one write', async () => {
    const rnd = seeded(7);
    const packets: Buffer[] = [connect('coalesced'),
      gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'coal/in', qos: 1 }] } as Packet)];
    // Payload sizes cover 1-, 2- and 3-byte remaining lengths.
    const sizes = [0, 1, 100, 125, 126, 127, 128, 300, 16_380, 16_383, 16_384, 40_000];
    for (let i = 0; i < 60; i++) sizes.push(Math.floor(rnd() * 2000));
    sizes.forEach((n, i) => {
      const qos = (i % 3) as 0 | 1 | 2;
      packets.push(gen({ cmd: 'publish', topic: `coal/out/${i}`, payload: Buffer.alloc(n, i), qos, messageId: qos ? i + 10 : undefined,
        retain: false, dup: false } as Packet));
    });
    packets.push(PINGREQ);
    const acks = { puback: sizes.filter((_n, i) => i % 3 === 1).length, pubrec: sizes.filter((_n, i) => i % 3 === 2).length };
    const raw = await Raw.open();
    await raw.write(Buffer.concat(packets));
    raw.sent.splice(0, raw.sent.length, ...packets);
    // aedes answers asynchronously: wait for every reply before saying goodbye, or DISCONNECT would cut them off.
    await waitFor(() => {
      const got: Record<string, number> = {};
      const parser = mqttPacket.parser({ protocolVersion: 4 });
      parser.on('packet', (p: Packet) => { got[p.cmd] = (got[p.cmd] ?? 0) + 1; });
      parser.parse(raw.receivedBytes());
      return got.connack === 1 && got.suback === 1 && got.puback === acks.puback && got.pubrec === acks.pubrec && got.pingresp === 1;
    }, { what: 'all replies to the coalesced packets' });
    const disconnect = gen({ cmd: 'disconnect' } as Packet);
    packets.push(disconnect);
    await raw.write(disconnect);
    await raw.closedByBroker();
    const tr = await traced(raw);
    const c2s = tr.wire.filter((f) => f.dir === 'c2s');
    assert.deepEqual(c2s.map((f) => f.kind), packets.map(() => 'packet'));
    assert.equal(c2s.length, packets.length);
    c2s.forEach((f, i) => assert.ok(tr.bytes.get(f.seq)!.equals(packets[i]), `c2s frame ${i} (${f.type}, ${f.length} bytes) is packet ${i}`));
    assert.deepEqual(c2s.slice(2, -2).map((f) => [f.topic, f.payloadSize, f.qos]), sizes.map((n, i) => [`coal/out/${i}`, n, i % 3]));
    // Replies: CONNACK, then SUBACK, a PUBACK or PUBREC per QoS 1/2 PUBLISH and a PINGRESP in the order aedes'
    // asynchronous handlers finish (its SUBACK comes after some PUBACKs).
    const s2c = tr.wire.filter((f) => f.dir === 's2c').map((f) => f.type!);
    assert.equal(s2c[0], 'CONNACK');
    const count = (ty: string) => s2c.filter((x) => x === ty).length;
    assert.equal(count('SUBACK'), 1);
    assert.equal(count('PUBACK'), acks.puback);
    assert.equal(count('PUBREC'), acks.pubrec);
    assert.equal(count('PINGRESP'), 1);
    await brokerStillServes('coalesced');
  });
});
