// The embedded broker's WebSocket listener against paho-mqtt (Python, MQTT 3.1, 3.1.1 and 5) over a
// recording TCP proxy: QoS 0/1/2 round trips and retained messages; the trace holds exactly the packets each
// side sent on a 'ws' connection, and their bytes equal the MQTT bytes carried in the WebSocket frames.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { ConnectionInfo, PacketType } from '../../shared/contract/types';
import { startTestCore, type TestCore } from '../support/core';
import { startPeer, type Peer } from '../support/processes';
import { startRecordingProxy, type RecordingProxy } from '../support/proxy';
import { waitFor } from '../support/wait';

const PYTHON = '/usr/bin/python3'; // Debian's, with paho-mqtt 1.6
const PAHO = fileURLToPath(new URL('../support/paho_client.py', import.meta.url));

let t: TestCore;
let proxy: RecordingProxy;
const peers: Peer[] = [];

before(async () => {
  t = await startTestCore();
  assert.ok(t.wsPort > 0, 'the test core has a WebSocket listener');
  proxy = await startRecordingProxy(t.wsPort);
});
after(async () => {
  for (const p of peers) await p.kill('SIGKILL');
  await proxy?.close();
  await t?.dispose();
});

interface PahoLine { event: string; [k: string]: unknown }

function paho(version: string, id: string, actions: string[]): Peer {
  const p = startPeer(PYTHON, [PAHO, '--port', String(proxy.port), '--transport', 'websockets', '--path', '/mqtt',
    '--version', version, '--id', id, ...actions]);
  peers.push(p);
  return p;
}

/** Wait for a clean exit and return the JSON lines it printed. */
async function finished(p: Peer, what: string): Promise<PahoLine[]> {
  const code = await Promise.race([p.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000).unref())]);
  assert.equal(code, 0, `${what} exited ${code}\nstdout: ${p.out()}\nstderr: ${p.err()}`);
  return p.out().trim().split('\n').map((l) => JSON.parse(l) as PahoLine);
}

const messages = (lines: PahoLine[]) => lines.filter((l) => l.event === 'message').map(({ event: _e, ...m }) => m);

async function waitSubscribed(clientId: string, topic: string): Promise<void> {
  await waitFor(async () => (await t.core.brokerSubscriptions()).some((s) => s.clientId === clientId && s.topic === topic && s.online),
    { what: `${clientId} subscribed to ${topic}` });
}

/**
 * The MQTT bytes inside a recorded WebSocket stream: skips the HTTP upgrade, unmasks data frames, drops
 * control frames (ping/pong/close).
 */
function wsPayload(chunks: Buffer[]): Buffer {
  const raw = Buffer.concat(chunks);
  const headerEnd = raw.indexOf('\r\n\r\n');
  assert.ok(headerEnd > 0, 'HTTP upgrade seen');
  let i = headerEnd + 4;
  const out: Buffer[] = [];
  while (i < raw.length) {
    assert.ok(i + 2 <= raw.length, 'complete WebSocket frame header');
    const opcode = raw[i] & 0x0f;
    const masked = (raw[i + 1] & 0x80) !== 0;
    let len = raw[i + 1] & 0x7f;
    i += 2;
    if (len === 126) { len = raw.readUInt16BE(i); i += 2; } else if (len === 127) { len = Number(raw.readBigUInt64BE(i)); i += 8; }
    const mask = masked ? raw.subarray(i, i + 4) : null;
    if (masked) i += 4;
    assert.ok(i + len <= raw.length, 'complete WebSocket frame payload');
    const data = Buffer.from(raw.subarray(i, i + len));
    if (mask) for (let k = 0; k < data.length; k++) data[k] ^= mask[k & 3];
    if (opcode === 0x0 || opcode === 0x1 || opcode === 0x2) out.push(data);
    i += len;
  }
  return Buffer.concat(out);
}

async function connOf(clientId: string): Promise<ConnectionInfo> {
  return waitFor(async () => (await t.core.connectionList()).find((c) => c.side === 'broker' && c.clientId === clientId),
    { what: `broker connection of ${clientId}` });
}

/** Exact packet types per direction on a closed 'ws' connection, bytes equal to the WebSocket payloads. */
async function assertTrace(clientId: string, version: 3 | 4 | 5, c2s: PacketType[], s2c: PacketType[]): Promise<void> {
  const conn = await connOf(clientId);
  assert.equal(conn.transport, 'ws');
  assert.equal(conn.protocolVersion, version);
  const port = Number(conn.remote.split(':').pop());
  const rec = await waitFor(() => proxy.connections.find((c) => c.upstreamLocalPort === port), { what: `proxy connection :${port}` });
  await rec.closed;
  await waitFor(async () => (await t.core.connectionList()).find((c) => c.id === conn.id)?.closedAtMs !== undefined,
    { what: `trace connection ${conn.id} closed` });
  const { frames } = await t.core.traceQuery({ side: 'broker', conns: [conn.id], limit: 10_000 });
  assert.ok(frames.some((f) => f.kind === 'event' && /connection closed/.test(f.note ?? '')), 'a close event');
  const wire = frames.filter((f) => f.kind !== 'event');
  assert.deepEqual(wire.filter((f) => f.kind !== 'packet').map((f) => `${f.type}: ${f.note}`), [], 'no malformed frames');
  assert.deepEqual(wire.filter((f) => f.dir === 'c2s').map((f) => f.type), c2s, `${clientId} c2s types`);
  assert.deepEqual(wire.filter((f) => f.dir === 's2c').map((f) => f.type), s2c, `${clientId} s2c types`);
  for (const dir of ['c2s', 's2c'] as const) {
    const parts: Buffer[] = [];
    for (const f of wire.filter((w) => w.dir === dir)) parts.push(Buffer.from((await t.core.traceFrame({ seq: f.seq }))!.bytesB64, 'base64'));
    const traced = Buffer.concat(parts);
    const carried = wsPayload(rec[dir]);
    assert.ok(traced.equals(carried), `${clientId} ${dir}:\ntrace ${traced.toString('hex')}\nws    ${carried.toString('hex')}`);
  }
}

for (const [version, level] of [['31', 3], ['311', 4], ['5', 5]] as const) {
  describe(`paho over WebSocket, MQTT ${version}`, () => {
    const ns = `ws/${version}`;

    test('QoS 0, 1 and 2 publish → subscribe round trip', async () => {
      const topic = `${ns}/qos`;
      const sub = paho(version, `wsub-${version}`, [`sub:2:${ns}/#`, 'wait:3']);
      await waitSubscribed(`wsub-${version}`, `${ns}/#`);
      const pub = paho(version, `wpub-${version}`, [`pub:0:0:${topic}:zero`, `pub:1:0:${topic}:one`, `pub:2:0:${topic}:two`]);
      const pubOut = await finished(pub, 'publisher');
      assert.deepEqual(pubOut.filter((l) => l.event === 'published').map((l) => l.qos), [0, 1, 2]);
      const subOut = await finished(sub, 'subscriber');
      assert.deepEqual(subOut.find((l) => l.event === 'subscribed')?.granted, [2]);
      assert.deepEqual(messages(subOut), [
        { topic, payload: 'zero', qos: 0, retain: false },
        { topic, payload: 'one', qos: 1, retain: false },
        { topic, payload: 'two', qos: 2, retain: false },
      ]);

      await assertTrace(`wpub-${version}`, level,
        ['CONNECT', 'PUBLISH', 'PUBLISH', 'PUBLISH', 'PUBREL', 'DISCONNECT'],
        ['CONNACK', 'PUBACK', 'PUBREC', 'PUBCOMP']);
      await assertTrace(`wsub-${version}`, level,
        ['CONNECT', 'SUBSCRIBE', 'PUBACK', 'PUBREC', 'PUBCOMP', 'DISCONNECT'],
        ['CONNACK', 'SUBACK', 'PUBLISH', 'PUBLISH', 'PUBLISH', 'PUBREL']);
    });

    test('retained: a later subscriber gets it with the retain flag', async () => {
      const topic = `${ns}/retained`;
      await finished(paho(version, `wrpub-${version}`, [`pub:1:1:${topic}:kept`]), 'retained publisher');
      const listed = await waitFor(async () => (await t.core.brokerRetained({ filter: topic }))[0], { what: 'retained message listed' });
      assert.deepEqual({ topic: listed.topic, size: listed.size, qos: listed.qos }, { topic, size: 4, qos: 1 });

      const subOut = await finished(paho(version, `wrsub-${version}`, [`sub:1:${topic}`, 'wait:1']), 'retained subscriber');
      assert.deepEqual(messages(subOut), [{ topic, payload: 'kept', qos: 1, retain: true }]);

      await assertTrace(`wrpub-${version}`, level, ['CONNECT', 'PUBLISH', 'DISCONNECT'], ['CONNACK', 'PUBACK']);
      await assertTrace(`wrsub-${version}`, level, ['CONNECT', 'SUBSCRIBE', 'PUBACK', 'DISCONNECT'], ['CONNACK', 'SUBACK', 'PUBLISH']);
      const { frames } = await t.core.traceQuery({ side: 'broker', types: ['PUBLISH'], topicFilter: topic });
      assert.deepEqual(frames.map((f) => [f.dir, f.retain, f.qos]), [['c2s', true, 1], ['s2c', true, 1]]);
      assert.equal((await t.core.brokerRetainedClear({ filter: topic, dryRun: false })).count, 1);
    });
  });
}
