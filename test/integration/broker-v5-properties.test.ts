// Reason codes, properties and advertised limits, byte for byte; where mosquitto 2.0.11 is right the
// same raw exchange runs against it and must give the same bytes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { startTestCore, type TestCore } from '../support/core';
import { RawPeer, gen, hex, parse, sansPacketId } from '../support/raw-mqtt';

let t: TestCore;
let mosq: Mosquitto;
before(async () => { [t, mosq] = await Promise.all([startTestCore(), startMosquitto()]); });
after(async () => { await t?.dispose(); await mosq?.stop(); });
const brokers = (): [string, number][] => [['embedded', t.port], ['mosquitto', mosq.port]];

describe('CONNECT with an unsupported protocol level [MQTT-3.1.2-2]', () => {
  test('CONNACK 20 02 00 01, then the connection closes (same as mosquitto)', async () => {
    for (const [name, port] of brokers()) {
      for (const [protocolId, level] of [['MQTT', 6], ['MQTT', 2], ['MQTT', 0x7f], ['MQIsdp', 4], ['MQTT', 3]] as const) {
        const peer = await RawPeer.open(port);
        const b = gen({ cmd: 'connect', protocolId: protocolId === 'MQTT' ? 'MQTT' : 'MQIsdp', protocolVersion: protocolId === 'MQTT' ? 4 : 3, keepalive: 60, clean: true, clientId: 'lvl' }, protocolId === 'MQTT' ? 4 : 3);
        b[protocolId === 'MQTT' ? 8 : 10] = level;
        peer.send(b);
        assert.equal(hex(await peer.next()), '20 02 00 01', `${name}: ${protocolId} level ${level}`);
        await peer.closed;
      }
    }
  });
});

describe('PUBACK / PUBREC reason 0x10 (No matching subscribers)', () => {
  test('a v5 QoS 1 publish nobody subscribes to: PUBACK 0x10 (mosquitto sends the same reason code)', async () => {
    for (const [name, port] of brokers()) {
      const { peer } = await RawPeer.connect(port, { clientId: `nomatch-${name}` });
      peer.send(gen({ cmd: 'publish', topic: 'nobody/listens', payload: 'x', qos: 1, messageId: 7 }));
      const ack = await peer.next();
      assert.equal(hex(ack.subarray(0, 5)), '40 ' + hex(ack.subarray(1, 2)) + ' 00 07 10', `${name}: ${hex(ack)}`);
      peer.close();
    }
    // ours, exactly: reason code + empty properties
    const { peer } = await RawPeer.connect(t.port, { clientId: 'nomatch-2' });
    peer.send(gen({ cmd: 'publish', topic: 'nobody/listens', payload: 'x', qos: 2, messageId: 8 }));
    assert.equal(hex(await peer.next()), '50 04 00 08 10 00');
    peer.send(Buffer.from([0x62, 0x02, 0x00, 0x08]));
    assert.equal(hex(await peer.next()), '70 02 00 08');
    peer.close();
  });

  test('0x00 when a subscriber exists, also an offline session; 3.1.1 publishers get the plain 2-byte PUBACK', async () => {
    const s = await RawPeer.connect(t.port, { clientId: 'match-off', properties: { sessionExpiryInterval: 60 } });
    s.peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'some/+/listens', qos: 1 }] }));
    await s.peer.next();
    s.peer.close();
    await s.peer.closed;
    const { peer } = await RawPeer.connect(t.port, { clientId: 'match-pub' });
    peer.send(gen({ cmd: 'publish', topic: 'some/one/listens', payload: 'x', qos: 1, messageId: 9 }));
    assert.equal(hex(await peer.next()), '40 04 00 09 00 00');
    peer.close();
    const v4 = await RawPeer.connect(t.port, { clientId: 'nomatch-v4' }, 4);
    v4.peer.send(gen({ cmd: 'publish', topic: 'nobody/listens', payload: 'x', qos: 1, messageId: 3 }, 4));
    assert.equal(hex(await v4.peer.next()), '40 02 00 03');
    v4.peer.close();
  });
});

describe('DUP is not propagated to subscribers [MQTT-3.3.1-3]', () => {
  test('a QoS 1 PUBLISH arriving with DUP = 1 is forwarded with DUP = 0, 3.1.1 and 5.0 (same bytes as mosquitto)', async () => {
    const got: Record<string, string[]> = {};
    for (const [name, port] of brokers()) {
      for (const v of [4, 5] as const) {
        const s = await RawPeer.connect(port, { clientId: `dup-s${v}-${name}` }, v);
        s.peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'dup/fwd', qos: 1 }] }, v));
        await s.peer.next();
        const p = await RawPeer.connect(port, { clientId: `dup-p${v}-${name}` }, v);
        p.peer.send(gen({ cmd: 'publish', topic: 'dup/fwd', payload: 'z', qos: 1, dup: true, messageId: 3 }, v));
        await p.peer.next();
        const fwd = await s.peer.next();
        assert.equal(fwd[0], 0x32, `${name} v${v}: ${hex(fwd)}`);
        (got[name] ??= []).push(hex(sansPacketId(fwd)));
        s.peer.close(); p.peer.close();
      }
    }
    assert.deepEqual(got.embedded, got.mosquitto);
  });
});

describe('overlapping subscriptions with Subscription Identifiers [MQTT-3.3.4-3], [MQTT-3.3.4-4]', () => {
  test('one copy at the highest granted QoS carrying every matching identifier', async () => {
    const { peer } = await RawPeer.connect(t.port, { clientId: 'overlap' });
    peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'ov/#', qos: 0 }], properties: { subscriptionIdentifier: 5 } }));
    await peer.next();
    peer.send(gen({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'ov/+', qos: 1 }], properties: { subscriptionIdentifier: 9 } }));
    await peer.next();
    peer.send(gen({ cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'ov/x', qos: 0 }] }));
    await peer.next();
    const pub = await RawPeer.connect(t.port, { clientId: 'overlap-pub' });
    pub.peer.send(gen({ cmd: 'publish', topic: 'ov/x', payload: 'hi', qos: 1, messageId: 1 }));
    const frames = (await peer.drain(300)).filter((f) => f[0] >> 4 === 3);
    assert.equal(frames.length, 1, frames.map(hex).join(' | '));
    const p = parse(frames[0]);
    assert.equal(p.qos, 1, '3.1.1 [MQTT-3.3.5-1]: the maximum QoS of the matching subscriptions');
    assert.deepEqual([p.properties.subscriptionIdentifier].flat().sort(), [5, 9]);
    // exact bytes apart from the packet identifier: topic, id, properties (SI 5, SI 9), payload
    assert.equal(hex(frames[0]).replace(/^(32 0f 00 04 6f 76 2f 78) .. .. /, '$1 __ __ '), '32 0f 00 04 6f 76 2f 78 __ __ 04 0b 05 0b 09 68 69');
    peer.close(); pub.peer.close();
  });

  test('the identifiers follow SUBSCRIBE and UNSUBSCRIBE between messages on the same topic', async () => {
    const { peer } = await RawPeer.connect(t.port, { clientId: 'overlap-change' });
    const pub = await RawPeer.connect(t.port, { clientId: 'overlap-change-pub' });
    const idsOfNext = async (): Promise<number[]> => {
      pub.peer.send(gen({ cmd: 'publish', topic: 'oc/x', payload: 'hi', qos: 0 }));
      return [parse(await peer.next()).properties?.subscriptionIdentifier ?? []].flat().sort();
    };
    peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'oc/#', qos: 0 }], properties: { subscriptionIdentifier: 5 } }));
    await peer.next();
    assert.deepEqual(await idsOfNext(), [5]);
    peer.send(gen({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'oc/+', qos: 0 }], properties: { subscriptionIdentifier: 9 } }));
    await peer.next();
    assert.deepEqual(await idsOfNext(), [5, 9]);
    peer.send(gen({ cmd: 'unsubscribe', messageId: 3, unsubscriptions: ['oc/#'] }));
    await peer.next();
    assert.deepEqual(await idsOfNext(), [9]);
    peer.send(gen({ cmd: 'subscribe', messageId: 4, subscriptions: [{ topic: 'oc/+', qos: 0 }], properties: { subscriptionIdentifier: 12 } }));
    await peer.next();
    assert.deepEqual(await idsOfNext(), [12]);
    peer.close(); pub.peer.close();
  });

  test('mosquitto sends one copy per subscription instead; both answers carry each identifier', async () => {
    const { peer } = await RawPeer.connect(mosq.port, { clientId: 'overlap-m' });
    peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'ov/#', qos: 0 }], properties: { subscriptionIdentifier: 5 } }));
    await peer.next();
    peer.send(gen({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'ov/+', qos: 1 }], properties: { subscriptionIdentifier: 9 } }));
    await peer.next();
    const pub = await RawPeer.connect(mosq.port, { clientId: 'overlap-mpub' });
    pub.peer.send(gen({ cmd: 'publish', topic: 'ov/x', payload: 'hi', qos: 0 }));
    const ids = (await peer.drain(300)).map((f) => parse(f).properties.subscriptionIdentifier);
    assert.deepEqual(ids.flat().sort(), [5, 9]);
    peer.close(); pub.peer.close();
  });
});

describe('User Properties keep their order [MQTT-3.3.2-18]', () => {
  test('a=1, b=2, a=3 arrive as a=1, b=2, a=3 (as with mosquitto), for v5 and through a stored session', async () => {
    const pairs = Buffer.from('26000161000131' + '26000162000132' + '26000161000133', 'hex');
    const body = Buffer.concat([Buffer.from([0, 4]), Buffer.from('up/x'), Buffer.from([0, 1, pairs.length]), pairs, Buffer.from('hi')]);
    const publish = Buffer.concat([Buffer.from([0x32, body.length]), body]);
    const got: Record<string, string> = {};
    for (const [name, port] of brokers()) {
      const s = await RawPeer.connect(port, { clientId: `up-${name}` });
      s.peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'up/x', qos: 0 }] }));
      await s.peer.next();
      const p = await RawPeer.connect(port, { clientId: `up-pub-${name}` });
      p.peer.send(publish);
      got[name] = hex(await s.peer.next());
      s.peer.close(); p.peer.close();
    }
    assert.equal(got.embedded, got.mosquitto);
    assert.ok(got.embedded.includes(hex(pairs)), got.embedded);
  });
});

describe('limits advertised in CONNACK and enforced', () => {
  test('maxQos 1, retainAvailable false, maxKeepalive 30, maxInflightMessages 10, maxPacketSize 4096', async () => {
    const c = await startTestCore({ maxQos: 1, retainAvailable: false, maxKeepalive: 30, maxInflightMessages: 10, maxPacketSize: 4096 });
    try {
      const { peer, connack } = await RawPeer.connect(c.port, { clientId: 'limits', keepalive: 0 });
      const props = parse(connack).properties;
      assert.deepEqual(
        { ...props },
        { maximumQoS: 1, retainAvailable: false, serverKeepAlive: 30, receiveMaximum: 10, maximumPacketSize: 4096, topicAliasMaximum: 65535 },
      );
      // granted QoS is capped [MQTT-3.2.2-9]
      peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'lim/q', qos: 2 }] }));
      assert.equal(hex(await peer.next()), '90 04 00 01 00 01');
      // a retained PUBLISH when Retain Available is 0: DISCONNECT 0x9A [MQTT-3.2.2-14]
      peer.send(gen({ cmd: 'publish', topic: 'lim/r', payload: 'x', qos: 0, retain: true }));
      assert.equal(hex(await peer.next()), 'e0 02 9a 00');
      await peer.closed;
      // a QoS above Maximum QoS: DISCONNECT 0x9B [MQTT-3.2.2-11]
      const q = await RawPeer.connect(c.port, { clientId: 'limits-q' });
      q.peer.send(gen({ cmd: 'publish', topic: 'lim/q', payload: 'x', qos: 2, messageId: 1 }));
      assert.equal(hex(await q.peer.next()), 'e0 02 9b 00');
      await q.peer.closed;
      // a will the server cannot honour refuses the CONNECT: 0x9B (QoS), 0x9A (retain) [MQTT-3.2.2-12], [MQTT-3.2.2-13]
      for (const [w, code] of [[{ qos: 2, retain: false }, '9b'], [{ qos: 0, retain: true }, '9a']] as const) {
        const p = await RawPeer.open(c.port);
        p.send(gen({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: `will-${code}`, keepalive: 60, clean: true, will: { topic: 'w', payload: Buffer.from('x'), ...w } }));
        assert.equal(hex(await p.next()), `20 03 00 ${code} 00`);
        await p.closed;
      }
      // keepalive within the limit: no Server Keep Alive
      const k = await RawPeer.connect(c.port, { clientId: 'limits-k', keepalive: 20 });
      assert.equal(parse(k.connack).properties.serverKeepAlive, undefined);
      k.peer.close();
      // 3.1.1 clients are not refused for their keepalive (3.1.1 has no code for it)
      const v4 = await RawPeer.connect(c.port, { clientId: 'limits-4', keepalive: 0 }, 4);
      assert.equal(hex(v4.connack), '20 02 00 00');
      v4.peer.close();
    } finally { await c.dispose(); }
  });

  test('default CONNACK: Topic Alias Maximum only; shared subscriptions, wildcards, identifiers, retain, QoS 2 available by default', async () => {
    const { peer, connack } = await RawPeer.connect(t.port, { clientId: 'defaults' });
    assert.equal(hex(connack), '20 06 00 00 03 22 ff ff');
    peer.close();
  });

  test('Server Keep Alive from maxKeepalive when the client asks for more, like mosquitto\'s max_keepalive', async () => {
    const m = await startMosquitto({ extraConfig: ['max_keepalive 30'] });
    const c = await startTestCore({ maxKeepalive: 30 });
    try {
      for (const [name, port] of [['embedded', c.port], ['mosquitto', m.port]] as const) {
        const { peer, connack } = await RawPeer.connect(port, { clientId: `ka-${name}`, keepalive: 300 });
        assert.equal(parse(connack).properties.serverKeepAlive, 30, `${name}: ${hex(connack)}`);
        assert.ok(hex(connack).includes('13 00 1e'), name);
        peer.close();
      }
    } finally { await c.dispose(); await m.stop(); }
  });
});
