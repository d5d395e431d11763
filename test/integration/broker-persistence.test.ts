// Persistence on: a broker stopped and started again (a new core on the same directory) still has the
// persistent sessions, their subscriptions, the queued QoS 1/2 messages, an unacknowledged in-flight one,
// and the retained messages. Off (the default) none of it survives.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { startTestCore } from '../support/core';
import { ByteClient } from '../support/byte-client';
import { freePort } from '../support/ports';
import { waitFor } from '../support/wait';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'mqscope-persist-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

async function received(port: number, clientId: string, count: number): Promise<{ sessionPresent: boolean; messages: string[] }> {
  const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId, clean: false, reconnectPeriod: 0 });
  const messages: string[] = [];
  c.on('message', (topic, payload, packet) => messages.push(`${topic} q${packet.qos} ${payload}`));
  const connack = await new Promise<mqtt.IConnackPacket>((resolve, reject) => { c.once('connect', resolve); c.once('error', reject); });
  await waitFor(() => messages.length >= count, { what: `${count} messages for ${clientId}, got ${messages.length}` });
  await c.endAsync();
  return { sessionPresent: connack.sessionPresent, messages };
}

test('sessions, subscriptions, queued and in-flight messages and retained messages survive a restart', async () => {
  const port = await freePort();
  const config = { tcpPort: port, wsPort: null, persistence: { dir: join(dir, 'store') } };
  let t = await startTestCore(config);
  try {
    // A persistent subscriber that leaves; another that stays but never acknowledges one QoS 1 message.
    const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'keeper', clean: false, reconnectPeriod: 0 });
    await sub.subscribeAsync('q/#', { qos: 2 });
    await sub.endAsync();
    const { c: slow } = await ByteClient.connect(port, { clientId: 'slow', clean: false, autoAck: false });
    assert.equal((await slow.subscribe('inflight/#', 1)).toString('hex'), '9003000101');

    const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'pub', reconnectPeriod: 0 });
    for (let i = 1; i <= 3; i++) await pub.publishAsync('q/one', `one-${i}`, { qos: 1 });
    for (let i = 1; i <= 3; i++) await pub.publishAsync('q/two', `two-${i}`, { qos: 2 });
    await pub.publishAsync('status/door', 'open', { qos: 1, retain: true });
    await pub.publishAsync('inflight/x', 'not acked yet', { qos: 1 });
    await slow.next(3);
    await pub.endAsync();
    await slow.drop();
  } finally {
    await t.dispose();
  }

  // A new core, same directory: what the first one stored is there.
  t = await startTestCore(config);
  try {
    assert.deepEqual((await t.core.brokerRetained({ filter: '#' })).map((r) => r.topic), ['status/door']);
    // The Broker view's offline-sessions table knows the stored sessions from the start.
    assert.deepEqual((await t.core.brokerOfflineSessions()).map((o) => [o.clientId, o.subscriptions.map((x) => x.topic), o.queued]).sort(),
      [['keeper', ['q/#'], 6], ['slow', ['inflight/#'], 1]]);
    const keeper = await received(port, 'keeper', 6);
    assert.equal(keeper.sessionPresent, true);
    assert.deepEqual(keeper.messages, ['q/one q1 one-1', 'q/one q1 one-2', 'q/one q1 one-3', 'q/two q2 two-1', 'q/two q2 two-2', 'q/two q2 two-3']);
    const { c: slow, connack } = await ByteClient.connect(port, { clientId: 'slow', clean: false });
    assert.equal(connack.toString('hex'), '20020100', 'session present');
    await waitFor(() => slow.publishes().length > 0, { what: 'the in-flight message again' });
    assert.deepEqual(slow.publishes().map((p) => `${p.topic} ${p.payload} q${p.qos}`), ['inflight/x not acked yet q1']);
    await slow.close();
    // And the subscription itself survived: a new message reaches the session that left.
    const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'pub2', reconnectPeriod: 0 });
    await pub.publishAsync('q/after', 'after restart', { qos: 1 });
    await pub.endAsync();
    assert.deepEqual((await received(port, 'keeper', 1)).messages, ['q/after q1 after restart']);
  } finally {
    await t.dispose();
  }
});

test('without persistence a restart forgets sessions and retained messages', async () => {
  const port = await freePort();
  let t = await startTestCore({ tcpPort: port, wsPort: null });
  try {
    const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'gone', clean: false, reconnectPeriod: 0 });
    await sub.subscribeAsync('q/#', { qos: 1 });
    await sub.endAsync();
    const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 });
    await pub.publishAsync('q/r', 'kept?', { qos: 1, retain: true });
    await pub.endAsync();
  } finally { await t.dispose(); }
  t = await startTestCore({ tcpPort: port, wsPort: null });
  try {
    assert.deepEqual(await t.core.brokerRetained({ filter: '#' }), []);
    const { c, connack } = await ByteClient.connect(port, { clientId: 'gone', clean: false });
    assert.equal(connack.toString('hex'), '20020000', 'no session present');
    await c.close();
  } finally { await t.dispose(); }
});

test('two brokers cannot share one persistence directory', async () => {
  const a = await startTestCore({ persistence: { dir: join(dir, 'shared') } });
  const b = await startTestCore();
  try {
    const st = await b.core.brokerStart({ config: { ...b.core.broker.getStatus().config, persistence: { dir: join(dir, 'shared') } } });
    assert.equal(st.state, 'failed');
    assert.match(st.error!, /persistence store .*shared.* is in use by another running broker/);
  } finally { await a.dispose(); await b.dispose(); }
});

test('a held PUBACK never blocks: a publisher subscribed to its own topic gets a 256 KiB QoS 1 message back', { timeout: 20000 }, async () => {
  const t = await startTestCore({ persistence: { dir: join(dir, 'self') } });
  try {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.port}`, { clientId: 'self', clean: false, reconnectPeriod: 0 });
    await c.subscribeAsync('big/#', { qos: 1 });
    const echoed = new Promise<number>((r) => c.once('message', (_t, p) => r(p.length)));
    await c.publishAsync('big/x', Buffer.alloc(256 * 1024, 7), { qos: 1 });
    assert.equal(await echoed, 256 * 1024);
    await c.endAsync();
  } finally { await t.dispose(); }
});
