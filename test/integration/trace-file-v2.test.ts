// Finding 6 of issue 9: trace files v2 (a CRC-32 per record), v1 still readable, streamed reading with
// progress and cancel, plain-words errors for any damage, the cut-short warning through the contract,
// and `mqscope print | head` ending quietly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { TraceRecorder } from '../../electron/core/trace/recorder';
import { TraceStore } from '../../electron/core/trace/trace-store';
import { crc32 } from '../../electron/core/trace/crc32';
import { TraceFileError } from '../../electron/core/trace/trace-file';
import { collectTrace, readTraceFile, TraceReadCancelled } from '../../electron/core/trace/trace-reader';
import { exportTrace, writeTraceFile } from '../../electron/core/trace/trace-io';
import { loadTraceFile } from '../../electron/core/trace/trace-load';
import { createCore } from '../../electron/core/core';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'mqscope-tracev2-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

/** A recorder holding one broker connection with a few real packets. */
function sampleRecorder(n = 20): TraceRecorder {
  const rec = new TraceRecorder(new TraceStore(), () => {});
  const conn = rec.openConnection({ side: 'broker', transport: 'tcp', remote: '127.0.0.1:5000', local: '127.0.0.1:1883' });
  const ctx = rec.conns.get(conn.id)!;
  const g = (p: object) => mqttPacket.generate(p as mqttPacket.Packet);
  const feed = (b: Buffer, s2c = false) => { const pos = rec.store.reserve(b.length); b.copy(rec.store.bufferAt(pos), rec.store.offsetAt(pos)); rec.store.commitPacket(ctx, s2c, pos, b.length, 2); };
  feed(g({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'v2', clean: true, keepalive: 0 }));
  for (let k = 0; k < n; k++) feed(g({ cmd: 'publish', topic: `t/${k}`, payload: Buffer.from(`payload ${k}`), qos: 0, retain: false, dup: false }));
  conn.close('done');
  return rec;
}

/** What a file holds, to compare two loads. */
async function content(source: string | Buffer): Promise<string> {
  const t = await collectTrace(source);
  return JSON.stringify([t.frameList.map((f) => [f.seq, f.timeUs, f.conn, f.kind, f.s2c, f.bytes.toString('hex'), f.note]), [...t.connectionMap.values()]]);
}

test('v2 round trip, and a v1 file (no checksums) is still read', async () => {
  const rec = sampleRecorder();
  const file = exportTrace(rec);
  assert.equal(file.readUInt16BE(8), 2);
  const t = await collectTrace(file);
  assert.equal(t.frameList.length, rec.store.stats().frames);
  assert.equal(t.warning, undefined);
  // v1: the same records without the header and record checksums.
  const parts: Buffer[] = [];
  const head = Buffer.from(file.subarray(0, 18));
  head.writeUInt16BE(1, 8);
  parts.push(head);
  for (let p = 22; p < file.length;) {
    const len = file.readUInt32BE(p + 1);
    parts.push(file.subarray(p, p + 5 + len));
    p += 5 + len + 4;
  }
  const v1 = Buffer.concat(parts);
  assert.equal((await collectTrace(v1)).version, 1);
  assert.equal(await content(v1), await content(file));
  rec.dispose();
});

test('400 seeded random corruptions: every one is refused in plain words or reported as cut short; none loads different content silently', async () => {
  const rec = sampleRecorder(40);
  const good = exportTrace(rec);
  const want = await content(good);
  let seed = 12345;
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  let refused = 0, warned = 0, silent = 0;
  const messages = new Set<string>();
  for (let k = 0; k < 400; k++) {
    const bad = Buffer.from(good);
    const at = Math.floor(rnd() * bad.length);
    bad[at] ^= 1 + Math.floor(rnd() * 255); // always a different byte
    try {
      const t = await collectTrace(bad);
      if (t.warning) warned++;
      else if (await content(bad) !== want) silent++;
    } catch (e) {
      assert.ok(e instanceof TraceFileError, `not a TraceFileError: ${(e as Error).stack}`);
      messages.add((e as Error).message.replace(/\d+/g, 'N'));
      refused++;
    }
  }
  assert.equal(silent, 0, 'a damaged file loaded different content without a word');
  assert.equal(refused + warned, 400);
  for (const m of messages) assert.doesNotMatch(m, /Cannot read|undefined|Invalid time|NaN|TypeError|RangeError/, m);
  rec.dispose();
});

test('damaged connection records and impossible values get plain-words errors, not JavaScript ones', async () => {
  const hdr = exportTrace(new TraceRecorder(new TraceStore(), () => {})).subarray(0, 22);
  const rec = (type: number, body: Buffer) => {
    const out = Buffer.alloc(5 + body.length + 4);
    out[0] = type; out.writeUInt32BE(body.length, 1); body.copy(out, 5);
    out.writeUInt32BE(crc32(out, 0, 5 + body.length), 5 + body.length);
    return out;
  };
  const cases: [string, Buffer, RegExp][] = [
    ['JSON null', rec(2, Buffer.from('null')), /connection record at byte 22 is damaged: it is not an object/],
    ['no side', rec(2, Buffer.from('{"id":1}')), /side is neither broker nor client/],
    ['bad time', rec(2, Buffer.from('{"id":1,"side":"broker","transport":"tcp","remote":"a","local":"b","openedAtMs":"soon"}')), /opening time is not a number/],
    ['NaN frame time', (() => { const b = Buffer.alloc(23); b.writeDoubleBE(NaN, 4); return rec(1, b); })(), /its time is not a number/],
    ['unknown record', rec(9, Buffer.alloc(3)), /unknown type 9/],
    ['huge claim', Buffer.from([1, 0xff, 0xff, 0xff, 0xff]), /claims 4294967295 bytes/],
  ];
  for (const [name, body, want] of cases) {
    await assert.rejects(collectTrace(Buffer.concat([hdr, body])), (e: Error) => e instanceof TraceFileError && want.test(e.message), name);
  }
  await assert.rejects(collectTrace(Buffer.from('PK\x03\x04 a zip file')), /not an MQScope trace file/);
  await assert.rejects(collectTrace(Buffer.alloc(0)), /not an MQScope trace file|empty/);
  await assert.rejects(collectTrace(join(dir, 'missing.mqtrace')), /there is no file/);
});

test('a big file is streamed: bounded memory, progress reported, cancel stops it and changes nothing', async () => {
  const rec = sampleRecorder(1);
  const big = join(dir, 'big.mqtrace');
  // ~160 MiB: the same 64 KiB frame record many times after a real header.
  const small = exportTrace(rec);
  const store = new TraceStore();
  const c = rec.conns.values().next().value!;
  const payload = mqttPacket.generate({ cmd: 'publish', topic: 'big', payload: Buffer.alloc(64 * 1024, 1), qos: 0, retain: false, dup: false } as mqttPacket.Packet);
  const pos = store.reserve(payload.length);
  payload.copy(store.bufferAt(pos), store.offsetAt(pos));
  c.sawConnect = true;
  store.commitPacket(c, false, pos, payload.length, 4);
  const { encodeFrame } = await import('../../electron/core/trace/trace-file');
  const one = encodeFrame(store, 0)!;
  const { open } = await import('node:fs/promises');
  const fh = await open(big, 'w');
  await fh.write(small);
  const block = Buffer.concat(Array.from({ length: 64 }, () => one));
  for (let k = 0; k < 40; k++) await fh.write(block);
  await fh.close();

  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let maxRss = rss0;
  const progress: number[] = [];
  const r = await readTraceFile(big, { onFrame: () => { maxRss = Math.max(maxRss, process.memoryUsage.rss()); }, onProgress: (read) => progress.push(read) });
  assert.equal(r.frames, rec.store.stats().frames + 64 * 40);
  assert.ok(progress.length >= 10 && progress.at(-1) === r.bytes, 'progress in steps up to the whole file');
  assert.ok(maxRss - rss0 < 80 * 2 ** 20, `RSS grew by ${Math.round((maxRss - rss0) / 2 ** 20)} MiB reading a ${Math.round(r.bytes / 2 ** 20)} MiB file`);

  // Cancel while opening it as a document: nothing is opened and the live trace is untouched.
  const live = sampleRecorder(3);
  const before = await content(exportTrace(live));
  const stop = new AbortController();
  await assert.rejects(loadTraceFile(big, { signal: stop.signal, onProgress: () => stop.abort() }), (e: Error) => e instanceof TraceReadCancelled && /cancelled/.test(e.message));
  assert.equal(await content(exportTrace(live)), before);
  live.dispose();
  rec.dispose();
});

test('a file cut short opens with what it has, and the warning reaches the contract answer', async () => {
  const rec = sampleRecorder(10);
  const file = exportTrace(rec);
  const cut = file.subarray(0, file.length - 7);
  const core = createCore({ dataDir: dir });
  try {
    const cutPath = join(dir, 'cut-first.mqtrace');
    await writeFile(cutPath, cut);
    const opened = await core.openTraceFile(cutPath, { name: 'cut.mqtrace' });
    const n = rec.store.stats().frames - 1;
    assert.match(opened.warning ?? '', new RegExp(`last record \\(at byte \\d+\\) is cut short: the writer stopped mid-record; the ${n} frames before it were loaded`));
    assert.equal(opened.stats.frames, n);
    const path = join(dir, 'cut.mqtrace');
    await writeFile(path, cut);
    const byPath = await core.openTraceFile(path);
    assert.match(byPath.warning ?? '', /cut short/);
    const saved = join(dir, 'saved.mqtrace');
    await core.saveTraceFile(saved, byPath.id);
    assert.equal((await collectTrace(saved)).frames, n);
    assert.equal((await readFile(saved)).readUInt16BE(8), 2);
  } finally {
    await core.dispose();
    rec.dispose();
  }
});

test('mqscope print | head: the reader leaving is not an error', async () => {
  const rec = sampleRecorder(5000);
  const path = join(dir, 'many.mqtrace');
  await writeTraceFile(rec, path);
  rec.dispose();
  const bin = join(import.meta.dirname, '../../bin/mqscope.mjs');
  const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${bin}" print "${path}" | head -n 2`], { encoding: 'utf8' });
  assert.equal(r.stdout.trim().split('\n').length, 2);
  assert.doesNotMatch(r.stderr, /EPIPE|Error|at /, r.stderr);
  assert.equal(r.status, 0, r.stderr);
});

test('a save while the live capture evicts says how many frames it could not write', async () => {
  // 12 MiB budget; 8,000 frames of ~1 KiB fill most of it, so frames recorded during the save evict old ones.
  const rec = new TraceRecorder(new TraceStore(12 * 2 ** 20), () => {});
  const conn = rec.openConnection({ side: 'broker', transport: 'tcp', remote: '127.0.0.1:5000', local: '127.0.0.1:1883' });
  const ctx = rec.conns.get(conn.id)!;
  const feed = (b: Buffer) => { const pos = rec.store.reserve(b.length); b.copy(rec.store.bufferAt(pos), rec.store.offsetAt(pos)); rec.store.commitPacket(ctx, false, pos, b.length, 2); };
  const publish = (k: number) => mqttPacket.generate({ cmd: 'publish', topic: `t/${k % 9}`, payload: Buffer.alloc(1000, k), qos: 0, retain: false, dup: false } as mqttPacket.Packet);
  feed(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'ev', clean: true, keepalive: 0 } as mqttPacket.Packet));
  let k = 0;
  for (; k < 8_000; k++) feed(publish(k));
  const heldAtStart = rec.store.nextSeq - rec.store.firstSeq;
  const firstAtStart = rec.store.firstSeq;
  const path = join(dir, 'evicting.mqtrace');
  // After the first piece is written, the capture goes on: 6,000 more frames push the budget.
  let pushed = false;
  const r = await writeTraceFile(rec, path, {
    onProgress: () => { if (!pushed) { pushed = true; for (let j = 0; j < 6_000; j++) feed(publish(k++)); } },
  });
  try {
    assert.ok(pushed);
    assert.ok(r.evicted > 0, 'frames were evicted before their turn');
    assert.equal(r.frames + r.evicted, heldAtStart, 'every frame held when the save began is written or counted');
    const t = await collectTrace(path);
    assert.equal(t.frames, r.frames);
    const seqs = t.frameList.map((f) => f.seq);
    assert.equal(seqs[0], firstAtStart, 'the first piece was written before the eviction');
    assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]), 'frames in order, none twice');
  } finally {
    rec.dispose();
  }
});
