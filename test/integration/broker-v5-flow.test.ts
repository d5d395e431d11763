// Flow control towards a v5 client, against mosquitto 2.0.11 side by side: never more unacknowledged
// QoS 1/2 PUBLISH than the client's Receive Maximum, the rest sent as acks free slots [MQTT-3.3.4-9];
// nothing larger than the client's Maximum Packet Size, such a message dropped as if delivered
// [MQTT-3.1.2-24], [MQTT-3.1.2-25]. And inbound: a packet over the broker's maxPacketSize gets
// DISCONNECT 0x95 [MQTT-3.2.2-15 (advertised)], [MQTT-4.13].
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { startTestCore, type TestCore } from '../support/core';
import { RawPeer, gen, hex, packetIdOf, puback, sansPacketId } from '../support/raw-mqtt';

let t: TestCore;
let mosq: Mosquitto;
before(async () => { [t, mosq] = await Promise.all([startTestCore(), startMosquitto()]); });
after(async () => { await t?.dispose(); await mosq?.stop(); });
const brokers = (): [string, number][] => [['embedded', t.port], ['mosquitto', mosq.port]];

async function subscriber(port: number, id: string, topic: string, properties: Record<string, number>): Promise<RawPeer> {
  const { peer } = await RawPeer.connect(port, { clientId: id, properties });
  peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos: 1 }] }));
  assert.equal(hex(await peer.next()), '90 04 00 01 00 01');
  return peer;
}

async function publisher(port: number): Promise<RawPeer> {
  return (await RawPeer.connect(port, { clientId: `pub-${Math.random().toString(36).slice(2)}` })).peer;
}

describe('Receive Maximum of the client', () => {
  test('Receive Maximum 2: two in flight at a time, the next one per PUBACK, in order (same bytes as mosquitto)', async () => {
    const got: Record<string, string[]> = {};
    for (const [name, port] of brokers()) {
      const sub = await subscriber(port, `rm-${name}`, 'flow/rm', { receiveMaximum: 2 });
      const pub = await publisher(port);
      for (let i = 1; i <= 5; i++) pub.send(gen({ cmd: 'publish', topic: 'flow/rm', payload: `m${i}`, qos: 1, messageId: i }));
      // mosquitto 2.0.11 sends two more after the first PUBACK (four unacknowledged with Receive
      // Maximum 2), so the window is checked on the embedded broker and the bytes against both.
      const strict = name === 'embedded';
      const first = await sub.drain(400);
      assert.equal(first.length, 2, `${name}: only Receive Maximum messages before any PUBACK`);
      const all = [...first];
      sub.send(puback(packetIdOf(first[0])));
      const next = await sub.drain(300);
      if (strict) assert.equal(next.length, 1, `${name}: one slot freed, one more message`);
      all.push(...next);
      for (const f of [first[1], ...next]) sub.send(puback(packetIdOf(f)));
      while (all.length < 5) {
        const more = await sub.drain(300);
        assert.ok(more.length > 0 && (!strict || more.length <= 2), `${name}: ${more.length} after acks`);
        all.push(...more);
        for (const f of more) sub.send(puback(packetIdOf(f)));
      }
      got[name] = all.map((f) => hex(sansPacketId(f)));
      sub.close(); pub.close();
    }
    assert.deepEqual(got.embedded, got.mosquitto);
    assert.deepEqual(got.embedded.map((h) => h.slice(-2)), ['31', '32', '33', '34', '35']);
  });

  test('maxInflightMessages caps the window below the client\'s Receive Maximum and is advertised as Receive Maximum', async () => {
    const small = await (await import('../support/core')).startTestCore({ maxInflightMessages: 1 });
    try {
      const { peer, connack } = await RawPeer.connect(small.port, { clientId: 'win-1', properties: { receiveMaximum: 10 } });
      assert.ok(hex(connack).includes('21 00 01'), `Receive Maximum 1 advertised: ${hex(connack)}`);
      peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'flow/win', qos: 1 }] }));
      await peer.next();
      const pub = await publisher(small.port);
      for (let i = 1; i <= 3; i++) pub.send(gen({ cmd: 'publish', topic: 'flow/win', payload: `w${i}`, qos: 1, messageId: i }));
      const one = await peer.drain(400);
      assert.equal(one.length, 1);
      peer.send(puback(packetIdOf(one[0])));
      assert.equal((await peer.drain(300)).length, 1);
      peer.close(); pub.close();
    } finally { await small.dispose(); }
  });
});

describe('Receive Maximum of the server', () => {
  test('a client with more unacknowledged QoS 2 PUBLISH than the advertised Receive Maximum gets DISCONNECT 0x93', async () => {
    const small = await (await import('../support/core')).startTestCore({ maxInflightMessages: 2 });
    try {
      const { peer, connack } = await RawPeer.connect(small.port, { clientId: 'rm-in' });
      assert.ok(hex(connack).includes('21 00 02'), hex(connack));
      for (let i = 1; i <= 2; i++) {
        peer.send(gen({ cmd: 'publish', topic: 'flow/in2', payload: 'x', qos: 2, messageId: i }));
        assert.equal(hex(await peer.next()).slice(0, 2), '50');
      }
      // releasing one frees its slot
      peer.send(Buffer.from([0x62, 0x02, 0x00, 0x01]));
      assert.equal(hex(await peer.next()), '70 02 00 01');
      peer.send(gen({ cmd: 'publish', topic: 'flow/in2', payload: 'x', qos: 2, messageId: 3 }));
      assert.equal(hex(await peer.next()).slice(0, 2), '50');
      // two outstanding (2 and 3): a third is one too many
      peer.send(gen({ cmd: 'publish', topic: 'flow/in2', payload: 'x', qos: 2, messageId: 4 }));
      assert.equal(hex(await peer.next()), 'e0 02 93 00');
      await peer.closed;
    } finally { await small.dispose(); }
  });
});

describe('Maximum Packet Size', () => {
  test('a PUBLISH larger than the client allows is not sent; the next one is (same as mosquitto)', async () => {
    const got: Record<string, string[]> = {};
    for (const [name, port] of brokers()) {
      for (const qos of [0, 1] as const) {
        const sub = await subscriber(port, `mps-${qos}-${name}`, 'flow/mps', { maximumPacketSize: 200 });
        const pub = await publisher(port);
        pub.send(gen({ cmd: 'publish', topic: 'flow/mps', payload: Buffer.alloc(526, 0x61), qos, messageId: 1 }));
        pub.send(gen({ cmd: 'publish', topic: 'flow/mps', payload: 'small', qos, messageId: 2 }));
        const frames = await sub.drain(400);
        (got[name] ??= []).push(...frames.map((f) => hex(sansPacketId(f))));
        assert.equal(frames.length, 1, `${name} QoS ${qos}: only the small message`);
        assert.ok(frames[0].length <= 200);
        if (qos === 1) sub.send(puback(packetIdOf(frames[0])));
        sub.close(); pub.close();
      }
    }
    assert.deepEqual(got.embedded, got.mosquitto);
  });

  test('the drop is shown in the trace of the client\'s connection', async () => {
    const sub = await subscriber(t.port, 'mps-trace', 'flow/mps2', { maximumPacketSize: 100 });
    const pub = await publisher(t.port);
    pub.send(gen({ cmd: 'publish', topic: 'flow/mps2', payload: Buffer.alloc(300), qos: 1, messageId: 1 }));
    assert.deepEqual(await sub.drain(300), []);
    const page = await t.core.traceQuery({ kinds: ['event'], text: "'flow/mps2'" });
    sub.close(); pub.close();
    assert.equal(page.frames.length, 1, JSON.stringify(page.frames));
    assert.match(JSON.stringify(page.frames[0]), /did not send a 3\d\d B PUBLISH to 'flow\/mps2': the client's Maximum Packet Size is 100 B/);
  });

  test('inbound: maxPacketSize is advertised, a larger packet gets DISCONNECT 0x95 and the connection closes', async () => {
    const small = await (await import('../support/core')).startTestCore({ maxPacketSize: 128 });
    try {
      const { peer, connack } = await RawPeer.connect(small.port, { clientId: 'big-in' });
      assert.ok(hex(connack).includes('27 00 00 00 80'), `Maximum Packet Size 128 in ${hex(connack)}`);
      peer.send(gen({ cmd: 'publish', topic: 'flow/in', payload: Buffer.alloc(200), qos: 0 }));
      // DISCONNECT, Reason Code 0x95 (Packet too large), empty properties
      assert.equal(hex(await peer.next()), 'e0 02 95 00');
      await peer.closed;
    } finally { await small.dispose(); }
  });
});
