// `mqscope broker` as people put it in CI: real clients, -v lines, a trace file that survives a kill.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { collectTrace } from '../../electron/core/trace/trace-reader';
import { TRACE_LOSS_BOUND_MS, TRACE_WRITE_EVERY_MS } from '../../electron/core/trace/trace-writer';
import { readTrace } from '../support/trace-file';
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

test('kill -9 of broker --trace loses only frames of the last flush interval, and the file reads', async (t) => {
  const file = join(dir, 'killed.mqtrace');
  const broker = startPeer(process.execPath, [BIN, 'broker', '-p', '0', '--ws-port', 'off', '--trace', file]);
  const out = await broker.waitOut(/listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 20000);
  const port = Number(out.match(/mqtt:\/\/127\.0\.0\.1:(\d+)/)![1]);
  // A QoS 1 publisher keeping 10 messages in flight; message i has packet id i and payload "m<i>", and the
  // time its PUBACK arrived is noted. It is still publishing when the broker is killed.
  const pub = await qos1Publisher(port, 10);
  await waitFor(() => pub.acked() >= 2000, { timeoutMs: 30000, what: '2,000 PUBACKs' });
  // The kill comes from a timer, not right after a PUBACK: wherever it falls between the writer's ticks.
  await delay(TRACE_LOSS_BOUND_MS + 37);
  const killedAt = performance.now();
  broker.proc.kill('SIGKILL');
  await broker.exited;
  pub.stop();

  // (a) The file reads: at most its last record is torn, and that is a warning, not an error.
  const trace = await readTrace(file);
  if (trace.warning !== undefined) assert.match(trace.warning, /the last record \(at byte [\d,]+\) is cut short|ends inside a record header/);
  const packets = trace.frames.filter((f) => f.kind === 'packet');
  const publishes = new Set<number>();
  const pubacks = new Set<number>();
  for (const f of packets) {
    const type = f.bytes[0] >> 4;
    if (type === 3 && !f.s2c) publishes.add(Number(/m(\d+)$/.exec(f.bytes.toString('latin1'))![1]));
    if (type === 4 && f.s2c) pubacks.add(f.bytes.readUInt16BE(2));
  }
  // (b) Every PUBLISH whose PUBACK reached the publisher more than the bound before the kill is in the file.
  const acked = [...pub.ackedAt.entries()];
  const missingOld = acked.filter(([id, at]) => killedAt - at > TRACE_LOSS_BOUND_MS && !publishes.has(id)).map(([id]) => id);
  assert.deepEqual(missingOld, [], `PUBLISHes acknowledged more than ${TRACE_LOSS_BOUND_MS} ms before the kill are missing from the file`);
  // Nothing recorded after a gap: the file holds a prefix of what the broker saw.
  const maxInFile = Math.max(...publishes);
  for (let id = 1; id <= maxInFile; id++) assert.ok(publishes.has(id), `PUBLISH ${id} is missing though a later one was written`);
  // The publishes the kill cost, stated: acknowledged but not in the file, and how long before the kill.
  const lost = acked.filter(([id]) => !publishes.has(id));
  const lostPubacks = acked.filter(([id]) => !pubacks.has(id)).length;
  const oldestLostMs = lost.length ? Math.max(...lost.map(([, at]) => killedAt - at)) : 0;
  t.diagnostic(`sent ${pub.sent()} PUBLISHes, ${acked.length} acknowledged before the kill; the file holds ${publishes.size} PUBLISHes, ${pubacks.size} PUBACKs, ${trace.frames.length} frames${trace.warning ? ` and a warning: ${trace.warning}` : ''}`);
  const bound = `the bound is ${TRACE_LOSS_BOUND_MS} ms, the writer writes every ${TRACE_WRITE_EVERY_MS} ms`;
  t.diagnostic(lost.length || lostPubacks
    ? `lost to kill -9: ${lost.length} acknowledged PUBLISHes and ${lostPubacks} PUBACKs (${lost.length + lostPubacks} frames), all acknowledged within the last ${oldestLostMs.toFixed(0)} ms before the kill (${bound})`
    : `lost to kill -9: no acknowledged PUBLISH and no PUBACK (the kill fell just after a write; ${bound})`);
  t.diagnostic(`${pub.sent() - acked.length} PUBLISHes were still unacknowledged when the broker died`);
});

/** A raw QoS 1 publisher over mqtt-packet, with the arrival time of each PUBACK by packet id. */
async function qos1Publisher(port: number, window: number) {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.setNoDelay(true);
  socket.on('error', () => { /* the broker is killed under it */ });
  const ackedAt = new Map<number, number>();
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  let sent = 0;
  let stopped = false;
  const send = () => {
    // Packet ids stay below 65,536, so one id names one message for the whole run.
    if (stopped || sent >= 65000) return;
    sent++;
    socket.write(mqttPacket.generate({ cmd: 'publish', topic: 'k/1', payload: Buffer.from(`m${sent}`), qos: 1, messageId: sent, retain: false, dup: false } as mqttPacket.Packet));
  };
  const connack = new Promise<void>((resolve) => parser.on('packet', (p) => {
    if (p.cmd === 'connack') resolve();
    if (p.cmd === 'puback') { ackedAt.set(p.messageId!, performance.now()); send(); }
  }));
  socket.on('data', (b) => parser.parse(b));
  socket.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'kill-pub', clean: true, keepalive: 0 } as mqttPacket.Packet));
  await connack;
  for (let i = 0; i < window; i++) send();
  return {
    ackedAt,
    acked: () => ackedAt.size,
    sent: () => sent,
    stop: () => { stopped = true; socket.destroy(); },
  };
}

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
