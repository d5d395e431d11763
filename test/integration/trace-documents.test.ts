// A trace file is a document of its own: opened beside a running live capture, each keeps its frames,
// frame numbers, connection ids and times. A trace written by `mqscope broker --trace` shows the same
// absolute time for the same frame in core (the UI's source), `mqscope print`, and the pcap (tshark).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readTrace } from '../support/trace-file';
import { clockUs } from '../../shared/util/clock';
import { startTestCore } from '../support/core';
import { run, startPeer } from '../support/processes';
import { waitFor } from '../support/wait';

const BIN = join(import.meta.dirname, '../../bin/mqscope.mjs');
let dir: string;
let file: string;
let brokerPort: string;
let startedMs: number;
let stoppedMs: number;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqscope-docs-'));
  file = join(dir, 'captured.mqtrace');
  startedMs = Date.now();
  const broker = startPeer(process.execPath, [BIN, 'broker', '-p', '0', '--ws-port', 'off', '--trace', file]);
  const out = await broker.waitOut(/listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 20000);
  brokerPort = out.match(/mqtt:\/\/127\.0\.0\.1:(\d+)/)![1];
  await run('mosquitto_pub', ['-p', brokerPort, '-i', 'file-pub', '-t', 'from/file', '-m', 'in the file', '-q', '1']);
  assert.equal(await broker.kill('SIGINT'), 0);
  stoppedMs = Date.now();
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

test('the file keeps its own clock: core, print and pcap agree on the microsecond', async () => {
  const trace = await readTrace(file);
  assert.ok(trace.originMs <= stoppedMs && trace.originMs > startedMs - 60_000, 'the header holds the capture process clock');
  const pub = trace.frames.find((f) => f.kind === 'packet' && f.bytes[0] >> 4 === 3)!;
  const wallUs = Math.floor(trace.originMs * 1000 + pub.timeUs);
  assert.ok(wallUs / 1000 >= startedMs && wallUs / 1000 <= stoppedMs, 'the PUBLISH happened while the broker ran');

  const t = await startTestCore();
  try {
    const doc = await t.core.openTraceFile(file, { name: 'captured.mqtrace' });
    const frame = (await t.core.traceFrame({ doc: doc.id, seq: pub.seq }))!;
    assert.equal(frame.summary.type, 'PUBLISH');
    assert.equal(Math.round(frame.summary.wallMs * 1000), wallUs, 'core reports the capture time, not the time it was opened');
    assert.equal(doc.originMs, trace.originMs);
  } finally { await t.dispose(); }

  const printed = await run(process.execPath, [BIN, 'print', file]);
  const line = printed.split('\n').find((l) => l.includes(`#${pub.seq} `))!;
  assert.ok(line.startsWith(`${clockUs(wallUs / 1000)} #${pub.seq} `), `print shows the same time and number: ${line}`);
  assert.match(line, /PUBLISH/);

  const pcap = join(dir, 'captured.pcap');
  await run(process.execPath, [BIN, 'pcap', file, pcap]);
  const rows = (await run('tshark', ['-r', pcap, '-d', `tcp.port==${brokerPort},mqtt`, '-T', 'fields', '-E', 'separator=|', '-e', 'frame.time_epoch', '-e', 'mqtt.msgtype'])).trim().split('\n');
  const pubRow = rows.map((r) => r.split('|')).find(([, type]) => type === '3')!;
  assert.equal(pubRow[0].replace(/0+$/, ''), `${Math.floor(wallUs / 1e6)}.${String(wallUs % 1e6).padStart(6, '0')}`.replace(/0+$/, ''), 'tshark reads the same microsecond');
});

test('opening a file while the live capture runs: both keep their own frames, numbers and times', async () => {
  const t = await startTestCore();
  try {
    await run('mosquitto_pub', ['-p', String(t.port), '-i', 'live-pub', '-t', 'live/a', '-m', 'live one', '-q', '1']);
    await waitFor(async () => (await t.core.connectionList()).some((c) => c.clientId === 'live-pub' && c.closedAtMs), { what: 'live publisher done' });
    const liveBefore = await t.core.traceQuery({ limit: 10000 });
    const liveConns = await t.core.connectionList();

    const fileTrace = await readTrace(file);
    const doc = await t.core.openTraceFile(file, { name: 'captured.mqtrace' });
    assert.notEqual(doc.id, 'live');
    assert.equal(doc.readOnly, true);
    const inDoc = await t.core.traceQuery({ doc: doc.id, limit: 10000 });
    assert.deepEqual(inDoc.frames.map((f) => f.seq), fileTrace.frames.map((f) => f.seq), 'the file keeps its own frame numbers');
    assert.deepEqual(inDoc.frames.map((f) => f.conn), fileTrace.frames.map((f) => f.conn), 'and its own connection ids');
    assert.deepEqual(inDoc.frames.map((f) => Math.round(f.wallMs * 1000)), fileTrace.frames.map((f) => Math.floor(fileTrace.originMs * 1000 + f.timeUs)), 'and its own times');
    const docConns = await t.core.connectionList({ doc: doc.id });
    assert.ok(docConns.some((c) => c.clientId === 'file-pub') && !docConns.some((c) => c.clientId === 'live-pub'));

    // The live capture is untouched by the open, and goes on alone.
    const liveAfter = await t.core.traceQuery({ limit: 10000 });
    assert.deepEqual(liveAfter.frames.map((f) => [f.seq, f.wallMs, f.type]), liveBefore.frames.map((f) => [f.seq, f.wallMs, f.type]));
    assert.deepEqual((await t.core.connectionList()).map((c) => c.id), liveConns.map((c) => c.id));
    assert.equal(liveAfter.stats.evictedFrames, 0);
    await run('mosquitto_pub', ['-p', String(t.port), '-i', 'live-pub-2', '-t', 'live/b', '-m', 'live two', '-q', '0']);
    await waitFor(async () => (await t.core.traceQuery({ filter: 'topic == "live/b"' })).matching === 1, { what: 'second live message' });
    assert.equal((await t.core.traceQuery({ doc: doc.id, filter: 'topic == "live/b"' })).matching, 0, 'live frames never land in the file');
    assert.equal((await t.core.traceStats({ doc: doc.id })).frames, fileTrace.frames.length);
    const livePubs = await t.core.traceQuery({ filter: 'type == PUBLISH && client ~ /^live-pub/' });
    // (no subscriber: each message is one inbound PUBLISH on the broker tap)
    assert.deepEqual(livePubs.frames.map((f) => f.topic), ['live/a', 'live/b'], 'the live message from before the open is still there');

    // The same filter language runs on the document, with the file's numbers.
    const filePub = await t.core.traceQuery({ doc: doc.id, filter: 'type == PUBLISH && client == "file-pub"' });
    assert.deepEqual(filePub.frames.map((f) => f.seq), fileTrace.frames.filter((f) => f.kind === 'packet' && f.bytes[0] >> 4 === 3).map((f) => f.seq));

    assert.deepEqual((await t.core.traceDocs()).map((d) => d.id), ['live', doc.id]);
    await assert.rejects(t.core.traceCloseDoc({ doc: 'live' }), /live capture cannot be closed/);
    assert.deepEqual(await t.core.traceCloseDoc({ doc: doc.id }), { closed: true });
    await assert.rejects(t.core.traceQuery({ doc: doc.id }), /is not open/);
  } finally { await t.dispose(); }
});
