// Trace files by path through the contract (the desktop app's in-page Open…/Save…): core writes and reads
// the file streamed, reports progress as traceFileProgress events, and a traceFileCancel stops it with
// nothing changed: no document opened, no file replaced, no temporary file left behind.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import type { TraceFileProgress } from '../../shared/contract/types';
import { answer } from '../../shared/contract/rpc';
import { createCore } from '../../electron/core/core';
import { exportPcap } from '../../electron/core/trace/pcap-export';
import { startTestCore, type TestCore } from '../support/core';
import { readTrace } from '../support/trace-file';
import { waitFor } from '../support/wait';

let t: TestCore;
let dir: string;
const MESSAGES = 3000;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqscope-bypath-'));
  t = await startTestCore();
  // ~3 MiB of trace: 3,000 PUBLISHes of 1 KiB, so reading and writing take several pieces.
  const socket = net.connect(t.port, '127.0.0.1');
  await once(socket, 'connect');
  const connack = once(socket, 'data');
  socket.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'bulk', clean: true, keepalive: 0 } as mqttPacket.Packet));
  await connack;
  for (let i = 0; i < MESSAGES; i++) {
    socket.write(mqttPacket.generate({ cmd: 'publish', topic: `bulk/${i % 7}`, payload: Buffer.alloc(1024, i), qos: 0, retain: false, dup: false } as mqttPacket.Packet));
  }
  await waitFor(async () => (await t.core.traceStats()).frames >= MESSAGES + 2, { what: 'every PUBLISH recorded', timeoutMs: 20000 });
  socket.destroy();
});
after(async () => {
  await t.dispose();
  await rm(dir, { recursive: true, force: true });
});

function progressOf(transfer: string): TraceFileProgress[] {
  const seen: TraceFileProgress[] = [];
  t.core.events.on('traceFileProgress', (p) => { if (p.transfer === transfer) seen.push(p); });
  return seen;
}

test('traceFileSave writes the trace streamed, with progress in frames, and the file reads back whole', async () => {
  const path = join(dir, 'saved.mqtrace');
  const progress = progressOf('save-1');
  const held = (await t.core.traceStats()).frames;
  const r = await t.core.traceFileSave({ saveFile: path, transfer: 'save-1' });
  assert.equal(r.path, path);
  assert.equal(r.bytes, (await stat(path)).size);
  const back = await readTrace(path);
  assert.equal(back.warning, undefined);
  assert.equal(back.frames.length, r.frames);
  assert.ok(r.frames >= held, 'every frame held when the save began is in the file');
  assert.equal(back.frames.filter((f) => f.kind === 'packet' && f.bytes[0] >> 4 === 3).length, MESSAGES);
  assert.ok(progress.length >= 2, `progress was reported along the way (${progress.length} events)`);
  assert.ok(progress.every((p) => p.unit === 'frames' && p.done <= p.total));
  assert.deepEqual(progress.map((p) => p.done), [...progress.map((p) => p.done)].sort((a, b) => a - b), 'progress only goes forward');
  assert.equal(progress.at(-1)!.done, r.frames, 'the last event says all of it');
  assert.deepEqual((await readdir(dir)).sort(), ['saved.mqtrace'], 'no temporary file is left');

  const pcap = join(dir, 'saved.pcap');
  const p = await t.core.traceFileSave({ saveFile: pcap, transfer: 'save-pcap', format: 'pcap' });
  assert.deepEqual(await readFile(pcap), exportPcap(t.core.recorder), 'the same pcap the web download gives');
  assert.equal(p.bytes, (await stat(pcap)).size);
});

test('traceFileOpen reads the file streamed into a document of its own, with progress in bytes', async () => {
  const path = join(dir, 'saved.mqtrace');
  const size = (await stat(path)).size;
  const progress = progressOf('open-1');
  const announced: string[] = [];
  t.core.events.on('traceDocOpened', (d) => announced.push(d.id));
  const info = await t.core.traceFileOpen({ openFile: path, transfer: 'open-1' });
  assert.equal(info.name, 'saved.mqtrace');
  assert.equal(info.readOnly, true);
  assert.equal(info.stats.frames, (await readTrace(path)).frames.length);
  assert.deepEqual(announced, [info.id]);
  assert.ok(progress.length >= 1 && progress.every((p) => p.unit === 'bytes' && p.total === size));
  assert.equal(progress.at(-1)!.done, size);
  assert.ok((await t.core.traceDocs()).some((d) => d.id === info.id));
  await t.core.traceCloseDoc({ doc: info.id });
});

test('a cancelled open opens nothing; a cancelled save leaves the file that was there and no temporary file', async () => {
  const path = join(dir, 'saved.mqtrace');
  const before = (await t.core.traceDocs()).map((d) => d.id);
  // Cancel from the first progress event: the read is then in its first MiB of ~3.
  const off = (p: TraceFileProgress) => { if (p.transfer === 'open-2') void t.core.traceFileCancel({ transfer: 'open-2' }); };
  t.core.events.on('traceFileProgress', off);
  await assert.rejects(t.core.traceFileOpen({ openFile: path, transfer: 'open-2' }), (e: Error & { code?: string }) => e.code === 'cancelled' && /cancelled, nothing was changed/.test(e.message));
  t.core.events.off('traceFileProgress', off);
  assert.deepEqual((await t.core.traceDocs()).map((d) => d.id), before);

  const target = join(dir, 'keep.mqtrace');
  await writeFile(target, 'what was there before');
  const stop = (p: TraceFileProgress) => { if (p.transfer === 'save-2') void t.core.traceFileCancel({ transfer: 'save-2' }); };
  t.core.events.on('traceFileProgress', stop);
  await assert.rejects(t.core.traceFileSave({ saveFile: target, transfer: 'save-2' }), (e: Error & { code?: string }) => e.code === 'cancelled');
  t.core.events.off('traceFileProgress', stop);
  assert.equal(await readFile(target, 'utf8'), 'what was there before');
  assert.deepEqual((await readdir(dir)).filter((n) => n.endsWith('.part')), []);
  assert.deepEqual(await t.core.traceFileCancel({ transfer: 'save-2' }), { cancelled: false }, 'a finished transfer is not running any more');
});

test('through the contract: bad files and params are errors in words; the web host refuses paths', async () => {
  const call = (method: string, params: unknown) => answer(t.core, { t: 'req', id: 1, method, params });
  const missing = await call('traceFileOpen', { openFile: join(dir, 'nope.mqtrace'), transfer: 'x' });
  assert.deepEqual(missing && missing.t === 'res' && !missing.ok && missing.error.message, `there is no file ${join(dir, 'nope.mqtrace')}`);
  const extra = await call('traceFileSave', { saveFile: join(dir, 'a.mqtrace'), transfer: 'x', fileB64: 'AAAA' });
  assert.ok(extra && extra.t === 'res' && !extra.ok && /traceFileSave: Unrecognized key/.test(extra.error.message), JSON.stringify(extra));
  const noDir = await call('traceFileSave', { saveFile: join(dir, 'no', 'such', 'dir.mqtrace'), transfer: 'y' });
  assert.ok(noDir && noDir.t === 'res' && !noDir.ok && noDir.error.message === `cannot write ${join(dir, 'no', 'such', 'dir.mqtrace')}: there is no folder ${join(dir, 'no', 'such')}`, JSON.stringify(noDir));

  const web = createCore({ host: 'web', dataDir: dir });
  try {
    const r = await answer(web, { t: 'req', id: 2, method: 'traceFileSave', params: { saveFile: join(dir, 'evil.mqtrace'), transfer: 'w' } });
    assert.ok(r && r.t === 'res' && !r.ok && r.error.code === 'unsupported' && /move the file over HTTP/.test(r.error.message), JSON.stringify(r));
    await assert.rejects(web.traceFileOpen({ openFile: join(dir, 'saved.mqtrace'), transfer: 'w' }), /does not open or write files by name/);
    assert.equal((await readdir(dir)).includes('evil.mqtrace'), false);
  } finally { await web.dispose(); }
});
