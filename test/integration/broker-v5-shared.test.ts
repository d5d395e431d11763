// Shared subscriptions `$share/{group}/{filter}` [MQTT-4.8.2] for v5 and, with the same syntax, 3.1.1
// clients (as mosquitto allows): round robin within a group, each member at its own QoS, no retained
// messages on a shared subscribe, every group gets each message once, and a message is not lost when
// members go away. Round robin and QoS are compared with mosquitto 2.0.11.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { startTestCore, type TestCore } from '../support/core';
import { RawPeer, gen, hex, packetIdOf, puback, sansPacketId, type Version } from '../support/raw-mqtt';

const run = promisify(execFile);
let t: TestCore;
let mosq: Mosquitto;
before(async () => { [t, mosq] = await Promise.all([startTestCore(), startMosquitto()]); });
after(async () => { await t?.dispose(); await mosq?.stop(); });
const brokers = (): [string, number][] => [['embedded', t.port], ['mosquitto', mosq.port]];

async function member(port: number, id: string, topic: string, qos: 0 | 1 | 2, v: Version = 5, connect: Record<string, unknown> = {}): Promise<RawPeer> {
  const { peer, connack } = await RawPeer.connect(port, { clientId: id, ...connect }, v);
  assert.equal(connack[3], 0);
  peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos }] }, v));
  const suback = await peer.next();
  assert.equal(suback[suback.length - 1], qos, `granted QoS ${qos}: ${hex(suback)}`);
  return peer;
}

async function publish(port: number, topic: string, payloads: string[], qos: 0 | 1 = 1, retain = false): Promise<void> {
  const { peer } = await RawPeer.connect(port, { clientId: `pub-${Math.random().toString(36).slice(2)}` });
  let id = 1;
  for (const p of payloads) {
    peer.send(gen({ cmd: 'publish', topic, payload: p, qos, retain, messageId: id++ }));
    if (qos) await peer.next();
  }
  peer.close();
}

describe('shared subscriptions', () => {
  test('CONNACK no longer says Shared Subscription Available = 0; v5 and 3.1.1 members share round robin, each at its QoS (like mosquitto)', async () => {
    const got: Record<string, string[]> = {};
    for (const [name, port] of brokers()) {
      const { peer, connack } = await RawPeer.connect(port, { clientId: `caps-${name}` });
      assert.ok(!hex(connack).includes('2a 00'), `${name}: ${hex(connack)}`);
      peer.close();
      const a = await member(port, `sh-a-${name}`, '$share/g1/sh/rr', 1);
      const b = await member(port, `sh-b-${name}`, '$share/g1/sh/rr', 0, 4);
      await publish(port, 'sh/rr', ['1', '2', '3', '4']);
      const fa = await a.drain(400);
      const fb = await b.drain(200);
      for (const f of fa) a.send(puback(packetIdOf(f)));
      assert.equal(fa.length, 2, `${name}: a got ${fa.map(hex)}`);
      assert.equal(fb.length, 2, `${name}: b got ${fb.map(hex)}`);
      assert.ok(fa.every((f) => f[0] === 0x32), `${name}: member a at QoS 1`);
      assert.ok(fb.every((f) => f[0] === 0x30), `${name}: member b (3.1.1) at QoS 0`);
      got[name] = [...fa.map((f) => hex(sansPacketId(f))), ...fb.map(hex)].sort();
      a.close(); b.close();
    }
    assert.deepEqual(got.embedded, got.mosquitto);
  });

  test('each group gets every message once, and a plain subscription of a member gets its own copy', async () => {
    const a = await member(t.port, 'grp-a', '$share/ga/sh/groups', 0);
    const b = await member(t.port, 'grp-b', '$share/gb/sh/groups', 0);
    a.send(gen({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'sh/groups', qos: 0 }] }));
    await a.next();
    await publish(t.port, 'sh/groups', ['x'], 0);
    assert.equal((await a.drain(300)).length, 2, 'a: one copy through its group, one through its own subscription');
    assert.equal((await b.drain(100)).length, 1, 'b: one copy through its group');
    a.close(); b.close();
  });

  test('no retained message on a shared subscribe; a plain subscribe still gets it', async () => {
    // (mosquitto 2.0.11 sends the retained message to a shared subscriber; checked here on the embedded broker)
    await publish(t.port, 'sh/retained', ['kept'], 0, true);
    const m = await member(t.port, 'ret-shared', '$share/g/sh/retained', 1);
    assert.deepEqual((await m.drain(300)).map(hex), []);
    m.send(gen({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'sh/retained', qos: 1 }] }));
    const frames = await m.drain(300);
    assert.equal(hex(frames[0]), '90 04 00 02 00 01');
    assert.equal(hex(frames[1]), '31 12 00 0b 73 68 2f 72 65 74 61 69 6e 65 64 00 6b 65 70 74');
    m.close();
  });

  test('a member that left: the next message goes to one still connected', async () => {
    const a = await member(t.port, 'gone-a', '$share/gg/sh/gone', 1);
    const b = await member(t.port, 'gone-b', '$share/gg/sh/gone', 1);
    a.close();
    await a.closed;
    await publish(t.port, 'sh/gone', ['1', '2', '3']);
    const fb = await b.drain(400);
    assert.equal(fb.length, 3, `all three reach b: ${fb.map(hex)}`);
    b.close();
  });

  test('all members offline with kept sessions: QoS 1 messages wait in a member session and arrive on reconnect', async () => {
    const opts = { properties: { sessionExpiryInterval: 300 } };
    const a = await member(t.port, 'off-a', '$share/go/sh/off', 1, 5, opts);
    const b = await member(t.port, 'off-b', '$share/go/sh/off', 1, 4, { clean: false });
    a.close(); b.close();
    await Promise.all([a.closed, b.closed]);
    await publish(t.port, 'sh/off', ['1', '2', '3', '4']);
    const ra = await RawPeer.connect(t.port, { clientId: 'off-a', clean: false, ...opts });
    const rb = await RawPeer.connect(t.port, { clientId: 'off-b', clean: false }, 4);
    assert.equal(ra.connack[2], 1);
    assert.equal(hex(rb.connack), '20 02 01 00');
    const fa = await ra.peer.drain(400);
    const fb = await rb.peer.drain(200);
    assert.deepEqual([...fa, ...fb].map((f) => f.subarray(-1).toString()).sort(), ['1', '2', '3', '4']);
    assert.ok(fa.length > 0 && fb.length > 0, 'spread over both sessions');
    ra.peer.close(); rb.peer.close();
  });

  test('a member with a kept session that did not acknowledge gets the message again on reconnect, DUP = 1', async () => {
    const opts = { properties: { sessionExpiryInterval: 300 } };
    const a = await member(t.port, 'keep-a', '$share/gk/sh/keep', 1, 5, opts);
    await publish(t.port, 'sh/keep', ['1']);
    const first = await a.next();
    assert.equal(first[0], 0x32);
    a.close();
    await a.closed;
    const r = await RawPeer.connect(t.port, { clientId: 'keep-a', clean: false, ...opts });
    const again = await r.peer.next();
    assert.equal(hex(again), hex(Buffer.concat([Buffer.from([0x3a]), first.subarray(1)])));
    r.peer.send(puback(packetIdOf(again)));
    assert.deepEqual((await r.peer.drain(300)).map(hex), []);
    r.peer.close();
  });

  test('mosquitto_sub -V mqttv5 and mosquitto_sub -V mqttv311 as members of one group', async () => {
    const subs = ['mqttv5', 'mqttv311'].map((v) => run('mosquitto_sub', ['-p', String(t.port), '-V', v, '-t', '$share/cli/sh/cli', '-q', '1', '-C', '2', '-W', '10', '-i', `cli-${v}`]));
    // both subscribed: the group has two members
    const { waitFor } = await import('../support/wait');
    await waitFor(async () => (await t.core.brokerSubscriptions()).filter((s) => s.topic === '$share/cli/sh/cli').length === 2);
    await publish(t.port, 'sh/cli', ['a', 'b', 'c', 'd']);
    const outs = await Promise.all(subs);
    assert.deepEqual(outs.map((o) => o.stdout.trim().split('\n').length), [2, 2]);
    assert.deepEqual(outs.flatMap((o) => o.stdout.trim().split('\n')).sort(), ['a', 'b', 'c', 'd']);
  });

  test('No Local on a shared subscription is a Protocol Error: DISCONNECT 0x82 and close [MQTT-3.8.3-4]', async () => {
    const { peer } = await RawPeer.connect(t.port, { clientId: 'nl-shared' });
    peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: '$share/g/nl/x', qos: 0, nl: true }] }));
    assert.equal(hex(await peer.next()), 'e0 02 82 00');
    await peer.closed;
  });

  test('invalid share names are refused: v5 SUBACK 0x8F, 3.1.1 SUBACK 0x80', async () => {
    // mosquitto treats a malformed share name as a protocol error and closes; a SUBACK failure code is
    // the gentler of the two answers the spec allows, and tells a debugging user why.
    const seenMosquitto: string[] = [];
    for (const [name, port] of brokers()) {
      for (const v of [4, 5] as const) {
        const { peer } = await RawPeer.connect(port, { clientId: `bad-share-${v}-${name}` }, v);
        peer.send(gen({ cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: '$share/a+b/x', qos: 0 }] }, v));
        const suback = await peer.next().catch(() => null);
        if (name === 'embedded') assert.equal(hex(suback!), v === 5 ? '90 04 00 03 00 8f' : '90 03 00 03 80');
        else seenMosquitto.push(suback ? hex(suback) : 'closed');
        peer.close();
      }
    }
  });
});
