// The embedded broker against mqtt.js (MQTT 3.1.1 and 5, over TCP and WebSocket): QoS 2 flows, retained
// messages, and MQTT 5 user properties / content type arriving intact and decoded in the trace.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { ConnectionInfo, FieldNode, PacketType } from '../../shared/contract/types';
import { startTestCore, type TestCore } from '../support/core';
import { waitFor } from '../support/wait';

let t: TestCore;
const clients: MqttClient[] = [];

before(async () => { t = await startTestCore(); });
after(async () => {
  for (const c of clients) c.end(true);
  await t?.dispose();
});

type Transport = 'tcp' | 'ws';

async function connect(transport: Transport, protocolVersion: 4 | 5, clientId: string, extra: IClientOptions = {}): Promise<MqttClient> {
  const url = transport === 'tcp' ? `mqtt://127.0.0.1:${t.port}` : t.wsUrl;
  const c = await mqtt.connectAsync(url, { protocolVersion, clientId, reconnectPeriod: 0, connectTimeout: 5000, ...extra });
  clients.push(c);
  return c;
}

function nextMessage(c: MqttClient, topic: string): Promise<IPublishPacket> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${topic}`)), 5000);
    const on = (tp: string, _p: Buffer, packet: IPublishPacket): void => {
      if (tp !== topic) return;
      clearTimeout(timer);
      c.off('message', on);
      resolve(packet);
    };
    c.on('message', on);
  });
}

async function connOf(clientId: string): Promise<ConnectionInfo> {
  return waitFor(async () => (await t.core.connectionList()).find((c) => c.side === 'broker' && c.clientId === clientId),
    { what: `broker connection of ${clientId}` });
}

async function types(conn: number, dir: 'c2s' | 's2c'): Promise<PacketType[]> {
  const { frames } = await t.core.traceQuery({ side: 'broker', conns: [conn], dir, kinds: ['packet', 'malformed'], limit: 1000 });
  return frames.map((f) => f.type!);
}

/** Wait until the connection's trace shows exactly these packets (flows finish asynchronously). */
async function expectTrace(conn: number, c2s: PacketType[], s2c: PacketType[]): Promise<void> {
  await waitFor(async () => (await types(conn, 'c2s')).length >= c2s.length && (await types(conn, 's2c')).length >= s2c.length,
    { what: `conn ${conn}: ${c2s.length} c2s and ${s2c.length} s2c packets` }).catch(() => undefined);
  assert.deepEqual(await types(conn, 'c2s'), c2s, `conn ${conn} c2s`);
  assert.deepEqual(await types(conn, 's2c'), s2c, `conn ${conn} s2c`);
}

async function closed(clientId: string): Promise<ConnectionInfo> {
  const conn = await connOf(clientId);
  return waitFor(async () => (await t.core.connectionList()).find((c) => c.id === conn.id && c.closedAtMs !== undefined),
    { what: `${clientId}'s connection closed` });
}

function find(nodes: FieldNode[], name: string): FieldNode[] {
  const out: FieldNode[] = [];
  for (const n of nodes) {
    if (n.name === name) out.push(n);
    if (n.children) out.push(...find(n.children, name));
  }
  return out;
}

function problems(nodes: FieldNode[]): string[] {
  return nodes.flatMap((n) => [...(n.problem ? [`${n.name}: ${n.problem}`] : []), ...problems(n.children ?? [])]);
}

for (const transport of ['tcp', 'ws'] as const) {
  for (const version of [4, 5] as const) {
    describe(`mqtt.js over ${transport}, MQTT ${version === 4 ? '3.1.1' : '5'}`, () => {
      const tag = `${transport}${version}`;
      const ns = `js/${tag}`;

      test('QoS 2 publish → subscribe', async () => {
        const topic = `${ns}/q2`;
        const sub = await connect(transport, version, `jsub-${tag}`);
        const granted = await sub.subscribeAsync(topic, { qos: 2 });
        assert.equal(granted[0].qos, 2);
        const got = nextMessage(sub, topic);
        const pub = await connect(transport, version, `jpub-${tag}`);
        await pub.publishAsync(topic, 'exactly once', { qos: 2 });
        const msg = await got;
        assert.equal(msg.qos, 2);
        assert.equal(msg.payload.toString(), 'exactly once');

        const s = await connOf(`jsub-${tag}`);
        const p = await connOf(`jpub-${tag}`);
        assert.equal(s.transport, transport);
        assert.equal(p.transport, transport);
        assert.equal(s.protocolVersion, version);
        // Let the subscriber's QoS 2 flow finish before it says goodbye.
        await expectTrace(s.id, ['CONNECT', 'SUBSCRIBE', 'PUBREC', 'PUBCOMP'], ['CONNACK', 'SUBACK', 'PUBLISH', 'PUBREL']);
        await pub.endAsync();
        await sub.endAsync();
        await closed(`jpub-${tag}`);
        await closed(`jsub-${tag}`);
        await expectTrace(p.id, ['CONNECT', 'PUBLISH', 'PUBREL', 'DISCONNECT'], ['CONNACK', 'PUBREC', 'PUBCOMP']);
        await expectTrace(s.id, ['CONNECT', 'SUBSCRIBE', 'PUBREC', 'PUBCOMP', 'DISCONNECT'], ['CONNACK', 'SUBACK', 'PUBLISH', 'PUBREL']);
        const { frames } = await t.core.traceQuery({ side: 'broker', conns: [p.id, s.id], types: ['PUBLISH'] });
        assert.deepEqual(frames.map((f) => [f.conn, f.dir, f.topic, f.qos, f.payloadSize]),
          [[p.id, 'c2s', topic, 2, 12], [s.id, 's2c', topic, 2, 12]]);
      });

      test('retained message reaches a later subscriber', async () => {
        const topic = `${ns}/retained`;
        const pub = await connect(transport, version, `jrpub-${tag}`);
        await pub.publishAsync(topic, 'kept', { qos: 1, retain: true });
        await pub.endAsync();
        const listed = await waitFor(async () => (await t.core.brokerRetained({ filter: topic }))[0], { what: 'retained listed' });
        assert.deepEqual({ topic: listed.topic, size: listed.size, qos: listed.qos }, { topic, size: 4, qos: 1 });

        const sub = await connect(transport, version, `jrsub-${tag}`);
        const got = nextMessage(sub, topic);
        await sub.subscribeAsync(topic, { qos: 1 });
        const msg = await got;
        assert.equal(msg.retain, true);
        assert.equal(msg.payload.toString(), 'kept');
        await sub.endAsync();
        const s = await closed(`jrsub-${tag}`);
        await expectTrace(s.id, ['CONNECT', 'SUBSCRIBE', 'PUBACK', 'DISCONNECT'], ['CONNACK', 'SUBACK', 'PUBLISH']);
        const { frames } = await t.core.traceQuery({ side: 'broker', conns: [s.id], types: ['PUBLISH'] });
        assert.equal(frames[0].retain, true);
        assert.deepEqual(await t.core.brokerRetainedDelete({ topic }), { deleted: true });
      });

      if (version === 5) {
        test('MQTT 5 user properties and content type arrive intact and are decoded in the trace', async () => {
          const topic = `${ns}/props`;
          const sub = await connect(transport, 5, `jpsub-${tag}`);
          await sub.subscribeAsync(topic, { qos: 1 });
          const got = nextMessage(sub, topic);
          const pub = await connect(transport, 5, `jppub-${tag}`);
          const userProperties = { trace: ['a', 'b'], 'ü-key': 'wert ✓', empty: '' };
          await pub.publishAsync(topic, '{"ok":true}', { qos: 1, properties: { contentType: 'application/json', userProperties } });
          const msg = await got;
          assert.equal(msg.properties?.contentType, 'application/json');
          assert.deepEqual({ ...msg.properties?.userProperties }, userProperties);
          assert.equal(msg.payload.toString(), '{"ok":true}');

          const expected = ['trace=a', 'trace=b', 'ü-key=wert ✓', 'empty='];
          for (const [clientId, dir] of [[`jppub-${tag}`, 'c2s'], [`jpsub-${tag}`, 's2c']] as const) {
            const conn = await connOf(clientId);
            const { frames } = await t.core.traceQuery({ side: 'broker', conns: [conn.id], dir, types: ['PUBLISH'] });
            assert.equal(frames.length, 1, `${clientId}: one PUBLISH ${dir}`);
            const detail = await t.core.traceFrame({ seq: frames[0].seq });
            assert.ok(detail);
            assert.equal(detail.protocolVersion, 5);
            assert.deepEqual(find(detail.fields, 'Content Type').map((n) => n.value), ['application/json']);
            const users = find(detail.fields, 'User Property');
            assert.deepEqual(users.map((n) => n.value), expected, `${clientId} user properties`);
            assert.deepEqual(users.map((n) => [find(n.children!, 'Key')[0].value, find(n.children!, 'Value')[0].value]),
              [['trace', 'a'], ['trace', 'b'], ['ü-key', 'wert ✓'], ['empty', '']]);
            // Field ranges point at the right bytes.
            const bytes = Buffer.from(detail.bytesB64, 'base64');
            const ct = find(find(detail.fields, 'Content Type')[0].children!, 'Value')[0];
            assert.equal(bytes.subarray(ct.offset, ct.offset + ct.length).toString(), 'application/json');
            assert.deepEqual(problems(detail.fields), [], 'the decoder finds nothing wrong');
          }
          await pub.endAsync();
          await sub.endAsync();
        });
      }
    });
  }
}

test('a WebSocket MQTT 5 publisher reaches a TCP MQTT 3.1.1 subscriber', async () => {
  const sub = await connect('tcp', 4, 'jx-sub');
  await sub.subscribeAsync('js/cross', { qos: 2 });
  const got = nextMessage(sub, 'js/cross');
  const pub = await connect('ws', 5, 'jx-pub');
  await pub.publishAsync('js/cross', 'across', { qos: 2, properties: { userProperties: { dropped: 'for 3.1.1' } } });
  const msg = await got;
  assert.equal(msg.payload.toString(), 'across');
  assert.equal(msg.properties, undefined);
  await pub.endAsync();
  await sub.endAsync();
  const s = await closed('jx-sub');
  const { frames } = await t.core.traceQuery({ side: 'broker', conns: [s.id], types: ['PUBLISH'] });
  const detail = await t.core.traceFrame({ seq: frames[0].seq });
  assert.equal(detail?.protocolVersion, 4);
  assert.equal(find(detail!.fields, 'User Property').length, 0);
});
