// Sessions, byte for byte, against the embedded broker and mosquitto 2.0.11 side by side: Session Present
// for a stored session without subscriptions [MQTT-3.2.2-2], a v5 session resumed with Clean Start 0 and
// no Session Expiry delivers its queue and then ends with the connection [MQTT-3.1.2-5], [MQTT-3.1.2-11],
// and unacknowledged QoS 1 messages are re-sent on reconnect with their packet identifier and DUP = 1
// [MQTT-4.4.0-1], [MQTT-3.3.1-1].
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { startTestCore, type TestCore } from '../support/core';
import { RawPeer, gen, hex, packetIdOf, puback, sansPacketId, type Version } from '../support/raw-mqtt';

let t: TestCore;
let mosq: Mosquitto;
before(async () => { [t, mosq] = await Promise.all([startTestCore(), startMosquitto()]); });
after(async () => { await t?.dispose(); await mosq?.stop(); });

const brokers = (): [string, number][] => [['embedded', t.port], ['mosquitto', mosq.port]];

async function connack(port: number, connect: Record<string, unknown>, v: Version = 5): Promise<{ peer: RawPeer; connack: Buffer }> {
  return RawPeer.connect(port, connect, v);
}

/** Publishes QoS 1 messages from a throwaway v5 client and waits for each PUBACK. */
async function publishQos1(port: number, topic: string, payloads: string[]): Promise<void> {
  const { peer } = await connack(port, { clientId: `pub-${Math.random().toString(36).slice(2)}` });
  let id = 1;
  for (const p of payloads) {
    peer.send(gen({ cmd: 'publish', topic, payload: p, qos: 1, messageId: id++ }));
    assert.equal((await peer.next())[0], 0x40);
  }
  peer.close();
}

describe('Session Present for a stored session', () => {
  test('v5: a session kept by Session Expiry but holding no subscription is present on reconnect (like mosquitto)', async () => {
    for (const [name, port] of brokers()) {
      const id = `nosubs-v5-${name}`;
      const first = await connack(port, { clientId: id, properties: { sessionExpiryInterval: 300 } });
      assert.equal(first.connack[2], 0x00, name);
      first.peer.send(Buffer.from([0xe0, 0x00]));
      await first.peer.closed;
      const second = await connack(port, { clientId: id, clean: false, properties: { sessionExpiryInterval: 300 } });
      // byte 2 = Connect Acknowledge Flags: Session Present = 1 [MQTT-3.2.2-2]
      assert.equal(second.connack[2], 0x01, `${name}: ${hex(second.connack)}`);
      assert.equal(second.connack[3], 0x00, name);
      second.peer.close();
    }
  });

  test('3.1.1: a Clean Session 0 session without subscriptions is present on reconnect: 20 02 01 00', async () => {
    for (const [name, port] of brokers()) {
      const id = `nosubs-v4-${name}`;
      const first = await connack(port, { clientId: id, clean: false }, 4);
      assert.equal(hex(first.connack), '20 02 00 00', name);
      first.peer.send(Buffer.from([0xe0, 0x00]));
      await first.peer.closed;
      const second = await connack(port, { clientId: id, clean: false }, 4);
      assert.equal(hex(second.connack), '20 02 01 00', name);
      second.peer.close();
    }
  });
});

describe('Session Expiry Interval ends a stored session [MQTT-3.1.2-23]', () => {
  test('expiry 1 s: back after it, Session Present 0 and nothing queued; back before it, Session Present 1 (like mosquitto)', async () => {
    for (const [name, port] of brokers()) {
      const id = `expiry-${name}`;
      const s = await connack(port, { clientId: id, properties: { sessionExpiryInterval: 1 } });
      s.peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'expiry/x', qos: 1 }] }));
      await s.peer.next();
      s.peer.send(Buffer.from([0xe0, 0x00]));
      await s.peer.closed;
      const soon = await connack(port, { clientId: id, clean: false, properties: { sessionExpiryInterval: 1 } });
      assert.equal(soon.connack[2], 1, `${name}: still there`);
      soon.peer.send(Buffer.from([0xe0, 0x00]));
      await soon.peer.closed;
      await publishQos1(port, 'expiry/x', ['late']);
      await new Promise((r) => setTimeout(r, 2200));
      const late = await connack(port, { clientId: id, clean: false });
      assert.equal(late.connack[2], 0, `${name}: expired: ${hex(late.connack)}`);
      assert.deepEqual((await late.peer.drain(300)).map(hex), [], name);
      late.peer.close();
    }
  });
});

describe('v5 Clean Start 0 without Session Expiry resumes the stored session once', () => {
  test('Session Present 1 and the queued QoS 1 messages are delivered; the session then ends with the connection', async () => {
    const seen: Record<string, string[]> = {};
    for (const [name, port] of brokers()) {
      const id = `resume-once-${name}`;
      const s = await connack(port, { clientId: id, properties: { sessionExpiryInterval: 300 } });
      s.peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'resume/once', qos: 1 }] }));
      assert.equal(hex(await s.peer.next()), '90 04 00 01 00 01', name);
      s.peer.send(Buffer.from([0xe0, 0x00]));
      await s.peer.closed;
      await publishQos1(port, 'resume/once', ['q1', 'q2']);

      // Clean Start 0, no Session Expiry Interval property (= 0)
      const r = await connack(port, { clientId: id, clean: false });
      assert.equal(r.connack[2], 0x01, `${name}: Session Present must be 1: ${hex(r.connack)}`);
      const got = [await r.peer.next(), await r.peer.next()];
      seen[name] = got.map((f) => hex(sansPacketId(f)));
      for (const f of got) r.peer.send(puback(packetIdOf(f)));
      r.peer.send(Buffer.from([0xe0, 0x00]));
      await r.peer.closed;

      // The session ended with that connection [MQTT-3.1.2-11]: nothing stored, nothing queued.
      await publishQos1(port, 'resume/once', ['q3']);
      const again = await connack(port, { clientId: id, clean: false });
      assert.equal(again.connack[2], 0x00, `${name}: Session Present must be 0: ${hex(again.connack)}`);
      assert.deepEqual((await again.peer.drain(400)).map(hex), [], name);
      again.peer.close();
    }
    // q1, q2 as QoS 1 PUBLISH, identical bytes apart from the packet identifier
    assert.deepEqual(seen.embedded, seen.mosquitto);
    assert.equal(seen.embedded[0], '32 12 00 0b 72 65 73 75 6d 65 2f 6f 6e 63 65 00 00 00 71 31');
  });
});

describe('unacknowledged QoS 1 re-sent on reconnect [MQTT-4.4.0-1]', () => {
  test('same packet identifier, DUP = 1, then the never-sent one with DUP = 0 (like mosquitto)', async () => {
    const seen: Record<string, string[]> = {};
    for (const [name, port] of brokers()) {
      for (const v of [4, 5] as const) {
        const id = `dup-${v}-${name}`;
        const connect = v === 5 ? { clientId: id, properties: { sessionExpiryInterval: 300, receiveMaximum: 1 } } : { clientId: id, clean: false };
        const s = await connack(port, connect, v);
        s.peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: `dup/${v}`, qos: 1 }] }, v));
        await s.peer.next();
        await publishQos1(port, `dup/${v}`, ['first']);
        const sent = await s.peer.next();
        assert.equal(sent[0], 0x32, `${name}: first delivery has DUP 0`);
        s.peer.close(); // no PUBACK
        await s.peer.closed;
        await publishQos1(port, `dup/${v}`, ['second']);

        const r = await connack(port, { ...connect, clean: false }, v);
        assert.equal(r.connack[2], 0x01);
        const resent = await r.peer.next();
        assert.equal(resent[0], 0x3a, `${name} v${v}: re-delivery has DUP 1: ${hex(resent)}`);
        assert.equal(packetIdOf(resent), packetIdOf(sent), `${name}: original packet identifier`);
        assert.deepEqual(resent.subarray(1), sent.subarray(1), `${name}: otherwise the same bytes`);
        r.peer.send(puback(packetIdOf(resent)));
        const fresh = await r.peer.next();
        assert.equal(fresh[0], 0x32, `${name}: a message never sent before has DUP 0`);
        (seen[`${v}-${name}`] ??= []).push(hex(sansPacketId(resent)), hex(sansPacketId(fresh)));
        r.peer.send(puback(packetIdOf(fresh)));
        r.peer.close();
      }
    }
    assert.deepEqual(seen['4-embedded'], seen['4-mosquitto']);
    assert.deepEqual(seen['5-embedded'], seen['5-mosquitto']);
  });
});

describe('QoS 2 re-delivery on reconnect [MQTT-4.4.0-1]', () => {
  test('a PUBLISH not yet PUBREC-ed comes again with DUP = 1; a PUBREL not yet PUBCOMP-ed comes again (like mosquitto)', async () => {
    const seen: Record<string, string[]> = {};
    for (const [name, port] of brokers()) {
      const id = `qos2-${name}`;
      const connect = { clientId: id, properties: { sessionExpiryInterval: 300 } };
      const s = await connack(port, connect);
      s.peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'q2/re', qos: 2 }] }));
      await s.peer.next();
      const pub = await connack(port, { clientId: `q2pub-${name}` });
      pub.peer.send(gen({ cmd: 'publish', topic: 'q2/re', payload: 'a', qos: 2, messageId: 1 }));
      assert.equal(hex(await pub.peer.next()).slice(0, 2), '50');
      pub.peer.send(Buffer.from([0x62, 0x02, 0x00, 0x01]));
      await pub.peer.next();
      pub.peer.send(gen({ cmd: 'publish', topic: 'q2/re', payload: 'b', qos: 2, messageId: 2 }));
      await pub.peer.next();
      pub.peer.send(Buffer.from([0x62, 0x02, 0x00, 0x02]));
      await pub.peer.next();
      const a = await s.peer.next();
      const b = await s.peer.next();
      // acknowledge 'a' with PUBREC (the broker answers PUBREL), leave 'b' without anything
      const aid = packetIdOf(a);
      s.peer.send(Buffer.from([0x50, 0x02, aid >> 8, aid & 0xff]));
      assert.equal(hex(await s.peer.next()).slice(0, 11), '62 02 ' + hex(Buffer.from([aid >> 8, aid & 0xff])));
      s.peer.close();
      await s.peer.closed;
      pub.peer.close();

      const r = await connack(port, { ...connect, clean: false });
      assert.equal(r.connack[2], 1);
      const again = await r.peer.drain(400);
      const kinds = again.map((f) => f[0]).sort();
      assert.deepEqual(kinds, [0x3c, 0x62], `${name}: PUBREL for a, PUBLISH b with DUP: ${again.map(hex)}`);
      const rel = again.find((f) => f[0] === 0x62)!;
      const pb = again.find((f) => f[0] === 0x3c)!;
      assert.equal(rel.readUInt16BE(2), aid, `${name}: PUBREL keeps a's packet identifier`);
      assert.equal(packetIdOf(pb), packetIdOf(b), `${name}: b keeps its packet identifier`);
      seen[name] = [hex(sansPacketId(pb))];
      r.peer.close();
    }
    assert.deepEqual(seen.embedded, seen.mosquitto);
  });
});

