// The embedded broker against real mosquitto_pub / mosquitto_sub (MQTT 3.1, 3.1.1 and 5), every connection
// going through a recording proxy: messages arrive, and the trace holds exactly the packets each side sent,
// byte for byte what was on the socket.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConnectionInfo, PacketType } from '../../shared/contract/types';
import { startTestCore, type TestCore } from '../support/core';
import { run, startPeer, type Peer } from '../support/processes';
import { startRecordingProxy, type RecordingProxy } from '../support/proxy';
import { waitFor } from '../support/wait';

let t: TestCore;
let proxy: RecordingProxy;
const peers: Peer[] = [];

before(async () => {
  t = await startTestCore();
  proxy = await startRecordingProxy(t.port);
});
after(async () => {
  for (const p of peers) await p.kill('SIGKILL');
  await proxy?.close();
  await t?.dispose();
});

function peer(cmd: string, args: string[], input?: string): Peer {
  const p = startPeer(cmd, args, { input });
  peers.push(p);
  return p;
}

async function exitOk(p: Peer, what: string): Promise<void> {
  const code = await Promise.race([p.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000).unref())]);
  assert.equal(code, 0, `${what} exited ${code}\nstdout: ${p.out()}\nstderr: ${p.err()}`);
}

/** Broker-side connections of a client id, oldest first. */
async function connsOf(clientId: string, count = 1): Promise<ConnectionInfo[]> {
  return waitFor(async () => {
    const found = (await t.core.connectionList()).filter((c) => c.side === 'broker' && c.clientId === clientId);
    return found.length >= count ? found.sort((a, b) => a.id - b.id) : null;
  }, { what: `${count} broker connection(s) of ${clientId}` });
}

async function waitSubscribed(clientId: string, topic: string): Promise<void> {
  await waitFor(async () => (await t.core.brokerSubscriptions()).some((s) => s.clientId === clientId && s.topic === topic && s.online),
    { what: `${clientId} subscribed to ${topic}` });
}

/**
 * Once the connection is closed on both ends: the trace's packet types per direction are exactly the expected
 * ones, and the concatenated bytes of its frames equal what the proxy saw on the socket each way.
 * `racingS2c`: a server packet whose place among the others is a race (it must be there exactly once).
 */
async function assertTrace(conn: ConnectionInfo, c2s: PacketType[], s2c: PacketType[], racingS2c?: PacketType): Promise<void> {
  const port = Number(conn.remote.split(':').pop());
  const rec = await waitFor(() => proxy.connections.find((c) => c.upstreamLocalPort === port), { what: `proxy connection :${port}` });
  await rec.closed;
  await waitFor(async () => (await t.core.connectionList()).find((c) => c.id === conn.id)?.closedAtMs !== undefined,
    { what: `trace connection ${conn.id} closed` });
  const { frames } = await t.core.traceQuery({ side: 'broker', conns: [conn.id], limit: 10_000 });
  assert.ok(frames.some((f) => f.kind === 'event' && /connection closed/.test(f.note ?? '')), 'a close event');
  const wire = frames.filter((f) => f.kind !== 'event');
  assert.deepEqual(wire.filter((f) => f.kind !== 'packet').map((f) => `${f.type}: ${f.note}`), [], 'no malformed frames');
  const label = `${conn.clientId} (conn ${conn.id})`;
  assert.deepEqual(wire.filter((f) => f.dir === 'c2s').map((f) => f.type), c2s, `${label} c2s types`);
  let s2cTypes = wire.filter((f) => f.dir === 's2c').map((f) => f.type);
  if (racingS2c) {
    assert.equal(s2cTypes.filter((x) => x === racingS2c).length, 1, `${label}: one ${racingS2c} in ${s2cTypes.join(' ')}`);
    s2cTypes = s2cTypes.filter((x) => x !== racingS2c);
  }
  assert.deepEqual(s2cTypes, s2c, `${label} s2c types`);
  for (const dir of ['c2s', 's2c'] as const) {
    const parts: Buffer[] = [];
    for (const f of wire.filter((w) => w.dir === dir)) {
      const d = await t.core.traceFrame({ seq: f.seq });
      assert.ok(d, `frame ${f.seq}`);
      const bytes = Buffer.from(d.bytesB64, 'base64');
      assert.equal(bytes.length, f.length, `frame ${f.seq} length`);
      parts.push(bytes);
    }
    const traced = Buffer.concat(parts);
    const onSocket = Buffer.concat(rec[dir]);
    assert.ok(traced.equals(onSocket), `${label} ${dir} bytes:\ntrace  ${traced.toString('hex')}\nsocket ${onSocket.toString('hex')}`);
  }
}

const VERSIONS = [['mqttv31', '31'], ['mqttv311', '311'], ['mqttv5', '5']] as const;

for (const [version, short] of VERSIONS) {
  describe(`mosquitto clients, ${version}`, () => {
    const base = (id: string): string[] => ['-h', '127.0.0.1', '-p', String(proxy.port), '-V', version, '-i', id];
    const ns = `mq/${short}`;

    test('QoS 0, 1 and 2 from mosquitto_pub to mosquitto_sub', async () => {
      const topic = `${ns}/qos`;
      const sub = peer('mosquitto_sub', [...base(`sub-${short}`), '-t', topic, '-q', '2', '-C', '3', '-v']);
      await waitSubscribed(`sub-${short}`, topic);
      for (const q of [0, 1, 2]) await run('mosquitto_pub', [...base(`pub${q}-${short}`), '-t', topic, '-q', String(q), '-m', `m${q}`]);
      await exitOk(sub, 'mosquitto_sub');
      assert.equal(sub.out(), `${topic} m0\n${topic} m1\n${topic} m2\n`);

      const [pub0] = await connsOf(`pub0-${short}`);
      await assertTrace(pub0, ['CONNECT', 'PUBLISH', 'DISCONNECT'], ['CONNACK']);
      const [pub1] = await connsOf(`pub1-${short}`);
      await assertTrace(pub1, ['CONNECT', 'PUBLISH', 'DISCONNECT'], ['CONNACK', 'PUBACK']);
      const [pub2] = await connsOf(`pub2-${short}`);
      await assertTrace(pub2, ['CONNECT', 'PUBLISH', 'PUBREL', 'DISCONNECT'], ['CONNACK', 'PUBREC', 'PUBCOMP']);
      const [s] = await connsOf(`sub-${short}`);
      assert.equal(s.protocolVersion, short === '31' ? 3 : short === '311' ? 4 : 5);
      assert.equal(s.transport, 'tcp');
      await assertTrace(s,
        ['CONNECT', 'SUBSCRIBE', 'PUBACK', 'PUBREC', 'PUBCOMP', 'DISCONNECT'],
        ['CONNACK', 'SUBACK', 'PUBLISH', 'PUBLISH', 'PUBLISH', 'PUBREL']);
      // The broker delivered each message at the QoS it was published with.
      const { frames } = await t.core.traceQuery({ side: 'broker', conns: [s.id], types: ['PUBLISH'] });
      assert.deepEqual(frames.map((f) => [f.topic, f.qos, f.retain, f.payloadSize]), [[topic, 0, false, 2], [topic, 1, false, 2], [topic, 2, false, 2]]);
    });

    test('retained: stored, listed, delivered to a later subscriber with the retain flag', async () => {
      const topic = `${ns}/retained`;
      await run('mosquitto_pub', [...base(`rpub-${short}`), '-t', topic, '-q', '1', '-r', '-m', 'kept']);
      const listed = await waitFor(async () => (await t.core.brokerRetained({ filter: `${ns}/#` })).find((r) => r.topic === topic),
        { what: 'retained message listed' });
      assert.equal(listed.size, 4);
      assert.equal(listed.qos, 1);

      const sub = peer('mosquitto_sub', [...base(`rsub-${short}`), '-t', topic, '-q', '1', '-C', '1', '-F', '%r %q %t %p']);
      await exitOk(sub, 'mosquitto_sub');
      assert.equal(sub.out(), `1 1 ${topic} kept\n`);

      const [p] = await connsOf(`rpub-${short}`);
      await assertTrace(p, ['CONNECT', 'PUBLISH', 'DISCONNECT'], ['CONNACK', 'PUBACK']);
      const [s] = await connsOf(`rsub-${short}`);
      await assertTrace(s, ['CONNECT', 'SUBSCRIBE', 'PUBACK', 'DISCONNECT'], ['CONNACK', 'SUBACK', 'PUBLISH']);
      const { frames } = await t.core.traceQuery({ side: 'broker', conns: [p.id, s.id], types: ['PUBLISH'] });
      assert.deepEqual(frames.map((f) => [f.dir, f.topic, f.retain, f.qos]), [['c2s', topic, true, 1], ['s2c', topic, true, 1]]);

      assert.deepEqual(await t.core.brokerRetainedDelete({ topic }), { deleted: true });
      assert.deepEqual(await t.core.brokerRetained({ filter: `${ns}/#` }), []);
    });

    test('will: a client killed with SIGKILL has its will delivered', async () => {
      const willTopic = `${ns}/will`;
      const watcher = peer('mosquitto_sub', [...base(`watch-${short}`), '-t', willTopic, '-q', '1', '-C', '1', '-v']);
      const doomed = peer('mosquitto_sub', [...base(`doomed-${short}`), '-t', `${ns}/nothing`,
        '--will-topic', willTopic, '--will-payload', 'gone', '--will-qos', '1']);
      await waitSubscribed(`watch-${short}`, willTopic);
      await waitSubscribed(`doomed-${short}`, `${ns}/nothing`);
      const client = (await t.core.brokerClients()).find((c) => c.clientId === `doomed-${short}`);
      assert.deepEqual(client?.will, { topic: willTopic, qos: 1, retain: false, size: 4 });

      await doomed.kill('SIGKILL');
      await exitOk(watcher, 'will watcher');
      assert.equal(watcher.out(), `${willTopic} gone\n`);

      const [d] = await connsOf(`doomed-${short}`);
      await assertTrace(d, ['CONNECT', 'SUBSCRIBE'], ['CONNACK', 'SUBACK']);
      const [w] = await connsOf(`watch-${short}`);
      await assertTrace(w, ['CONNECT', 'SUBSCRIBE', 'PUBACK', 'DISCONNECT'], ['CONNACK', 'SUBACK', 'PUBLISH']);
    });

    test('persistent session: messages queued while offline arrive on reconnect', async () => {
      const id = `pers-${short}`;
      const topic = `${ns}/persist`;
      const subArgs = [...base(id), '-c', '-q', '1', '-t', topic, ...(short === '5' ? ['-x', '60'] : [])];
      const first = peer('mosquitto_sub', subArgs);
      await waitSubscribed(id, topic);
      await first.kill('SIGTERM');
      const offline = await waitFor(async () => (await t.core.brokerOfflineSessions()).find((s) => s.clientId === id),
        { what: `${id} listed as an offline session` });
      assert.deepEqual(offline.subscriptions, [{ topic, qos: 1 }]);
      assert.equal(offline.queued, 0);

      await run('mosquitto_pub', [...base(`ppub-${short}`), '-t', topic, '-q', '1', '-l'], 10_000, 'one\ntwo\nthree\n');
      await waitFor(async () => (await t.core.brokerOfflineSessions()).find((s) => s.clientId === id)?.queued === 3,
        { what: `3 messages queued for ${id}` });

      // No -C: mosquitto_sub could stop before the SUBACK comes; wait for it, then stop the client.
      const again = peer('mosquitto_sub', [...subArgs, '-v']);
      await again.waitOut(`${topic} one\n${topic} two\n${topic} three\n`);
      const [, c2] = await connsOf(id, 2);
      await waitFor(async () => (await t.core.traceQuery({ side: 'broker', conns: [c2.id], types: ['SUBACK'] })).frames.length === 1,
        { what: 'SUBACK to the resumed session' });
      assert.equal((await t.core.brokerOfflineSessions()).some((s) => s.clientId === id), false, 'online again');
      assert.equal(await again.kill('SIGTERM'), 0);
      assert.equal(again.out(), `${topic} one\n${topic} two\n${topic} three\n`);
      // A clean DISCONNECT of a persistent session leaves it offline again, with nothing queued.
      const left = await waitFor(async () => (await t.core.brokerOfflineSessions()).find((s) => s.clientId === id), { what: `${id} offline again` });
      assert.equal(left.queued, 0);

      const [c1] = await connsOf(id, 2);
      await assertTrace(c1, ['CONNECT', 'SUBSCRIBE', 'DISCONNECT'], ['CONNACK', 'SUBACK']);
      const [p] = await connsOf(`ppub-${short}`);
      await assertTrace(p, ['CONNECT', 'PUBLISH', 'PUBLISH', 'PUBLISH', 'DISCONNECT'], ['CONNACK', 'PUBACK', 'PUBACK', 'PUBACK']);
      // The broker flushes the queue right after CONNACK, racing the SUBACK for the client's SUBSCRIBE.
      await assertTrace(c2,
        ['CONNECT', 'SUBSCRIBE', 'PUBACK', 'PUBACK', 'PUBACK', 'DISCONNECT'],
        ['CONNACK', 'PUBLISH', 'PUBLISH', 'PUBLISH'], 'SUBACK');
      const { frames } = await t.core.traceQuery({ side: 'broker', conns: [c2.id], types: ['CONNACK'] });
      const connack = await t.core.traceFrame({ seq: frames[0].seq });
      // CONNACK's session-present flag (first byte of the variable header) is set for the resumed session.
      assert.equal(Buffer.from(connack!.bytesB64, 'base64')[2], 1);
    });
  });
}
