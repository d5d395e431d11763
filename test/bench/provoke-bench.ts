// `npx tsx test/bench/provoke-bench.ts [--quick]`: what the fault layer costs. Embedded core in this
// process, lean load clients, QoS 1, 64 B, 1 → 1, closed loop. Three ways: no fault (write() untouched),
// fault layer active on the subscriber (every PUBLISH to it reassembled and passed through), and a 0 ms
// look at delay is left out on purpose (a delay is the point of that fault, not a cost).
// Prints a table; no pass/fail (timings are not tests).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../electron/core/core';
import { LoadClient } from './load-client';

const quick = process.argv.includes('--quick');
const MESSAGES = quick ? 5_000 : 20_000;
const TRIALS = quick ? 1 : 3;
const WINDOW = 50;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mqscope-bench-'));
  const core = createCore({ dataDir });
  const status = await core.brokerStart({ config: { host: '127.0.0.1', tcpPort: 0, wsPort: null, wsPath: '/mqtt', tls: null, auth: null } });
  const port = status.listeners[0]!.port;
  const results: Record<string, { rate: number[]; cpu: number[] }> = { 'no fault': { rate: [], cpu: [] }, 'fault layer active': { rate: [], cpu: [] } };
  let n = 0;
  for (let t = 0; t < TRIALS; t++) {
    for (const mode of Object.keys(results)) {
      const subId = `bench-sub-${n++}`;
      const sub = new LoadClient(port, subId);
      const pub = new LoadClient(port, `bench-pub-${n}`);
      await sub.connect(); await pub.connect();
      await sub.subscribe('bench/faults', 1);
      if (mode !== 'no fault') await core.brokerFaultSet({ clientId: subId, fault: { kind: 'drop-acks', count: 65535 } });
      const payload = Buffer.alloc(64, 1);
      let sent = 0; let got = 0;
      const done = new Promise<void>((resolve) => {
        const pump = () => { while (sent < MESSAGES && sent - got < WINDOW) { sent++; pub.publish('bench/faults', payload, 1); } };
        sub.onMessage = () => { got++; if (got === MESSAGES) resolve(); else pump(); };
        pump();
      });
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await done;
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      results[mode]!.rate.push(MESSAGES / (ms / 1000));
      results[mode]!.cpu.push(((cpu.user + cpu.system) / MESSAGES));
      sub.close(); pub.close();
      core.recorder.flush();
      await core.traceClear();
    }
  }
  console.log(`Fault layer cost: QoS 1, 64 B, 1 → 1, ${MESSAGES.toLocaleString('en')} messages, window ${WINDOW}, median of ${TRIALS}; CPU is this whole process (broker + tap + trace + load clients).\n`);
  console.log('| subscriber | deliveries/s | CPU µs/delivery |');
  console.log('|---|---:|---:|');
  for (const [mode, r] of Object.entries(results)) console.log(`| ${mode} | ${Math.round(median(r.rate)).toLocaleString('en')} | ${median(r.cpu).toFixed(1)} |`);
  await core.dispose();
  await rm(dataDir, { recursive: true, force: true });
}

await main();
