// `mqscope broker` as people put it in CI: real clients, -v lines, a trace file that survives a kill.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { collectTrace } from '../../electron/core/trace/trace-reader';
import { run, startPeer } from '../support/processes';
import { waitFor } from '../support/wait';

const BIN = join(import.meta.dirname, '../../bin/mqscope.mjs');
let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'mqscope-cli-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

test('broker -v prints decoded packets, Ctrl-C stops cleanly and the trace file holds every frame', async () => {
  const file = join(dir, 'run.mqtrace');
  const broker = startPeer(process.execPath, [BIN, 'broker', '-p', '0', '--ws-port', 'off', '--trace', file, '-v']);
  const out = await broker.waitOut(/listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 20000);
  const port = out.match(/mqtt:\/\/127\.0\.0\.1:(\d+)/)![1];
  await run('mosquitto_pub', ['-p', port, '-i', 'cli-pub', '-t', 'plant/line1/temp', '-m', '{"c":21.5}', '-q', '1']);
  await broker.waitOut(/cli-pub → PUBLISH \(d0, q1, r0, m\d+, 'plant\/line1\/temp', 10 bytes\) "\{\\"c\\":21\.5\}"/);
  await broker.waitOut(/cli-pub ← PUBACK \(m\d+\)/);
  assert.equal(await broker.kill('SIGINT'), 0);
  assert.match(broker.out(), /wrote \d+ frames/);
  const trace = await collectTrace(file);
  assert.equal(trace.warning, undefined);
  assert.equal(trace.version, 2);
  const types = trace.frameList.filter((f) => f.kind === 'packet').map((f) => f.bytes[0] >> 4);
  assert.deepEqual(types, [1, 2, 3, 4, 14]); // CONNECT CONNACK PUBLISH PUBACK DISCONNECT
  const printed = await run(process.execPath, [BIN, 'print', file]);
  assert.match(printed, /PUBLISH \(d0, q1, r0, m\d+, 'plant\/line1\/temp'/);
  const pcap = join(dir, 'run.pcap');
  await run(process.execPath, [BIN, 'pcap', file, pcap]);
  const seen = await run('tshark', ['-r', pcap, '-d', `tcp.port==${port},mqtt`, '-T', 'fields', '-e', 'mqtt.msgtype', '-e', 'mqtt.topic']);
  assert.deepEqual(seen.trimEnd().split('\n').map((l) => l.trimEnd()), ['1', '2', '3\tplant/line1/temp', '4', '14']);
});

test('a killed broker loses at most the last second of its trace', async () => {
  const file = join(dir, 'killed.mqtrace');
  const broker = startPeer(process.execPath, [BIN, 'broker', '-p', '0', '--ws-port', 'off', '--trace', file]);
  const out = await broker.waitOut(/listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 20000);
  const port = out.match(/mqtt:\/\/127\.0\.0\.1:(\d+)/)![1];
  await run('mosquitto_pub', ['-p', port, '-t', 'k/1', '-m', 'before kill', '-q', '2']);
  // Flushes happen every 0.5 s: wait for the PUBCOMP to reach the file, then kill -9.
  await waitFor(async () => {
    const t = await collectTrace(file);
    return t.frameList.some((f) => f.kind === 'packet' && f.bytes[0] >> 4 === 7);
  }, { timeoutMs: 3000, what: 'PUBCOMP flushed to the trace file' });
  await broker.kill('SIGKILL');
  // Whatever the kill cut, the file reads: at most the unflushed tail is lost, and a torn record is a warning.
  const t = await collectTrace(file);
  assert.ok(t.frameList.some((f) => f.kind === 'packet' && f.bytes[0] >> 4 === 3 && f.bytes.includes(Buffer.from('before kill'))));
});

test('bad arguments and a taken port give one clear line and a non-zero exit', async () => {
  const bad = startPeer(process.execPath, [BIN, 'broker', '-p', '99999']);
  assert.equal(await bad.exited, 1);
  assert.match(bad.err(), /--port must be 0–65535, got "99999"/);
  const first = startPeer(process.execPath, [BIN, 'broker', '-p', '0', '--ws-port', 'off']);
  const port = (await first.waitOut(/mqtt:\/\/127\.0\.0\.1:(\d+)/, 20000)).match(/:(\d+)/)![1];
  const second = startPeer(process.execPath, [BIN, 'broker', '-p', port, '--ws-port', 'off']);
  assert.equal(await second.exited, 1);
  assert.match(second.err(), new RegExp(`port ${port} on 127.0.0.1 is already in use.*Pick another port, or 0`));
  await first.kill('SIGINT');
});
