// The Messages view follows the document: an opened file lists the PUBLISH frames its sessions received
// (client tap) or, for a broker-only capture, the ones the broker delivered, with the receiving client —
// served by core a page at a time, while the live capture and its message list go on untouched.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseParams } from '../../shared/contract/schemas';
import { startTestCore, type TestCore } from '../support/core';
import { run, startPeer } from '../support/processes';
import { waitFor } from '../support/wait';
import { sessionOptions } from './sessions-helpers';

const BIN = join(import.meta.dirname, '../../bin/mqscope.mjs');
const b64 = (s: string) => Buffer.from(s).toString('base64');
let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'mqscope-doc-msgs-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

/** A session of `t` subscribed to `filter`, connected to t's own broker. */
async function session(t: TestCore, clientId: string, filter: string) {
  const s = await t.core.sessionOpen({ options: sessionOptions(`mqtt://127.0.0.1:${t.port}`, { clientId, protocolVersion: 5 }) });
  await waitFor(async () => (await t.core.sessionList()).find((x) => x.id === s.id && x.state === 'connected'), { what: `${clientId} connected` });
  await t.core.sessionSubscribe({ id: s.id, subscriptions: [{ topic: filter, qos: 1 }] });
  return s;
}

/** What a live session's message list shows (the renderer asks core the same way). */
async function liveMessages(t: TestCore, sessionId: string): Promise<string[]> {
  const conns = (await t.core.sessionList()).find((x) => x.id === sessionId)!.conns;
  const r = await t.core.traceQuery({ conns, side: 'client', dir: 's2c', types: ['PUBLISH'], kinds: ['packet'], limit: 1000 });
  return r.frames.map((f) => f.topic!);
}

test('a file document lists the messages its session received while the live capture keeps its own', async () => {
  // The file: a session received three messages (QoS 0, 1 and a retained one); saved from a first core.
  const file = join(dir, 'received.mqtrace');
  const a = await startTestCore();
  try {
    const s = await session(a, 'file-session', 'f/#');
    await run('mosquitto_pub', ['-p', String(a.port), '-t', 'f/1', '-m', 'first', '-q', '0']);
    await run('mosquitto_pub', ['-p', String(a.port), '-t', 'f/2', '-m', '{"n":2}', '-q', '1']);
    await run('mosquitto_pub', ['-p', String(a.port), '-t', 'f/3', '-m', 'third', '-q', '1']);
    await waitFor(async () => (await liveMessages(a, s.id)).length === 3, { what: 'three messages received' });
    a.core.recorder.flush();
    await a.core.saveTraceFile(file);
  } finally { await a.dispose(); }

  const t = await startTestCore();
  try {
    const live = await session(t, 'live-session', 'live/#');
    await t.core.sessionPublish({ id: live.id, message: { topic: 'live/a', payloadB64: b64('before'), qos: 1, retain: false } });
    await waitFor(async () => (await liveMessages(t, live.id)).length === 1, { what: 'first live message' });

    const doc = await t.core.openTraceFile(file, { name: 'received.mqtrace' });
    // The live capture runs on while the file is open.
    await run('mosquitto_pub', ['-p', String(t.port), '-t', 'live/b', '-m', 'after', '-q', '1']);
    await waitFor(async () => (await liveMessages(t, live.id)).length === 2, { what: 'second live message' });
    assert.deepEqual(await liveMessages(t, live.id), ['live/a', 'live/b'], 'the live list has its own messages, none of the file');

    const page = await t.core.traceDocMessages({ doc: doc.id, offset: 0, limit: 100 });
    assert.equal(page.side, 'client', 'a file with session frames lists what the sessions received');
    assert.deepEqual(page.counts, { client: 3, broker: 3 });
    assert.equal(page.total, 3);
    assert.deepEqual(page.messages.map((m) => m.frame.topic), ['f/1', 'f/2', 'f/3']);
    assert.deepEqual(page.messages.map((m) => m.frame.qos), [0, 1, 1]);
    assert.deepEqual(page.messages.map((m) => m.clientId), ['file-session', 'file-session', 'file-session']);
    assert.deepEqual(page.messages.map((m) => [m.frame.side, m.frame.dir, m.frame.type]), Array(3).fill(['client', 's2c', 'PUBLISH']));
    assert.deepEqual(page.messages.map((m) => m.preview.text), ['first', '{"n":2}', 'third']);
    assert.deepEqual(page.messages.map((m) => m.frame.payloadSize), [5, 7, 5]);
    // The file's own frame numbers: the same frames a filtered query of the document finds.
    const q = await t.core.traceQuery({ doc: doc.id, filter: 'type == PUBLISH && side == client && dir == s2c' });
    assert.deepEqual(page.messages.map((m) => m.frame.seq), q.frames.map((f) => f.seq));
    assert.ok(!page.messages.some((m) => m.frame.topic!.startsWith('live/')));

    // Paged: a window of the list, and past its end.
    const second = await t.core.traceDocMessages({ doc: doc.id, offset: 1, limit: 1 });
    assert.deepEqual(second.messages.map((m) => m.frame.topic), ['f/2']);
    assert.equal(second.total, 3);
    assert.deepEqual((await t.core.traceDocMessages({ doc: doc.id, offset: 3, limit: 10 })).messages, []);
    // The broker's side of the same file: what it delivered, to whom.
    const broker = await t.core.traceDocMessages({ doc: doc.id, offset: 0, limit: 100, side: 'broker' });
    assert.deepEqual(broker.messages.map((m) => [m.frame.side, m.frame.topic, m.clientId]), [['broker', 'f/1', 'file-session'], ['broker', 'f/2', 'file-session'], ['broker', 'f/3', 'file-session']]);

    await assert.rejects(t.core.traceDocMessages({ doc: 'live', offset: 0, limit: 10 }), /reads an opened trace file/);
    assert.throws(() => parseParams('traceDocMessages', { doc: doc.id, offset: 0, limit: 5000 }), /at most 1000 messages a page/);
    await t.core.traceCloseDoc({ doc: doc.id });
    await assert.rejects(t.core.traceDocMessages({ doc: doc.id, offset: 0, limit: 10 }), /is not open/);
    assert.deepEqual(await liveMessages(t, live.id), ['live/a', 'live/b'], 'closing the file leaves the live list as it was');
  } finally { await t.dispose(); }
});

test('a broker-only capture lists the messages the broker delivered, with the receiving client', async () => {
  const file = join(dir, 'broker-only.mqtrace');
  const broker = startPeer(process.execPath, [BIN, 'broker', '-p', '0', '--ws-port', 'off', '-v', '--trace', file]);
  const port = (await broker.waitOut(/listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 20000)).match(/mqtt:\/\/127\.0\.0\.1:(\d+)/)![1];
  const sub = startPeer('mosquitto_sub', ['-p', port, '-i', 'ext-sub', '-t', 'm/#', '-q', '1', '-C', '2', '-v']);
  await broker.waitOut(/SUBACK/, 10000); // -v prints each packet: the subscription is in place
  await run('mosquitto_pub', ['-p', port, '-i', 'ext-pub', '-t', 'm/one', '-m', 'uno', '-q', '1']);
  await run('mosquitto_pub', ['-p', port, '-i', 'ext-pub', '-t', 'm/two', '-m', 'dos', '-q', '0']);
  await sub.waitOut(/m\/two dos/, 10000);
  assert.equal(await broker.kill('SIGINT'), 0);

  const t = await startTestCore();
  try {
    const doc = await t.core.openTraceFile(file, { name: 'broker-only.mqtrace' });
    const page = await t.core.traceDocMessages({ doc: doc.id, offset: 0, limit: 100 });
    assert.equal(page.side, 'broker', 'no session frames: the broker\'s deliveries');
    assert.equal(page.counts.client, 0);
    assert.deepEqual(page.messages.map((m) => [m.frame.topic, m.clientId, m.frame.qos, m.preview.text]), [['m/one', 'ext-sub', 1, 'uno'], ['m/two', 'ext-sub', 0, 'dos']]);
    assert.ok(page.messages.every((m) => m.frame.side === 'broker' && m.frame.dir === 's2c'));
  } finally { await t.dispose(); }
});
