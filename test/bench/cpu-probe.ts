// A steadier single number than the closed-loop table: broker CPU per delivery for one cell, aedes with
// MQScope's write coalescing (the tap's fair baseline) against MQScope's core with its trace at the
// bench's 64 MiB budget (warmed past it, so it evicts as it records). Interleaved runs, median printed.
//   npx tsx test/bench/cpu-probe.ts [--size=64] [--fanout=1] [--qos=0] [--runs=3] [--messages=100000] [--prof=DIR]
// --prof writes a CPU profile of each broker process (measured window and warm-up alike) into DIR.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { LoadClient } from './load-client';

const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);
const profDir = process.argv.find((a) => a.startsWith('--prof='))?.slice(7);
const SIZE = arg('size', 64), FANOUT = arg('fanout', 1), QOS = arg('qos', 0) as 0 | 1 | 2;
const RUNS = arg('runs', 3), MESSAGES = arg('messages', 100_000);
const BUDGET = 64 * 2 ** 20;

type Mode = 'bare-coalesce' | 'tap';

async function cpuPerDelivery(mode: Mode, k: number): Promise<number> {
  const prof = profDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, `${mode}-${k}`)}`] : [];
  const child = fork(join(import.meta.dirname, 'broker-proc.ts'), [mode, String(BUDGET)], { execArgv: ['--import', 'tsx', ...prof], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<number>((r) => child.once('message', (m: { port: number }) => r(m.port)));
    const cpu = () => new Promise<number>((r) => {
      const h = (m: { cpu?: { user: number; system: number } }) => { if (m.cpu) { child.off('message', h); r(m.cpu.user + m.cpu.system); } };
      child.on('message', h);
      child.send({ cmd: 'cpu' });
    });
    const subs = await Promise.all(Array.from({ length: FANOUT }, async (_, i) => {
      const s = new LoadClient(port, `probe-sub-${i}`);
      await s.connect();
      await s.subscribe('probe', QOS);
      return s;
    }));
    const pub = new LoadClient(port, 'probe-pub');
    await pub.connect();
    const payload = Buffer.alloc(SIZE, 97);
    const run = (n: number) => new Promise<void>((resolve) => {
      let got = 0, sent = 0, acked = 0;
      const total = n * FANOUT;
      const pump = () => { while (sent < n && sent - Math.floor(got / FANOUT) < 50 && sent - acked < 50) { sent++; pub.publish('probe', payload, QOS); } };
      pub.onAck = () => { acked++; };
      for (const s of subs) s.onMessage = () => { if (++got === total) resolve(); else if ((got & 15) === 0) pump(); };
      const timer = setInterval(pump, 1);
      pump();
      void new Promise<void>((r) => { const t = setInterval(() => { if (got === total) { clearInterval(t); clearInterval(timer); r(); } }, 5); });
    });
    // Warm the JIT and fill the trace past its budget (a 4 KiB payload is kept once per message).
    await run(Math.max(20_000, Math.ceil((BUDGET / Math.max(SIZE, 200)) * 1.2)));
    const c0 = await cpu();
    await run(MESSAGES);
    const us = ((await cpu()) - c0) / (MESSAGES * FANOUT);
    pub.close();
    subs.forEach((s) => s.close());
    return us;
  } finally {
    if (profDir) { child.send({ cmd: 'exit' }); await new Promise((r) => child.once('exit', r)); }
    else child.kill('SIGKILL');
  }
}

const runs: Record<Mode, number[]> = { 'bare-coalesce': [], tap: [] };
for (let k = 0; k < RUNS; k++) {
  const order: Mode[] = k % 2 ? ['tap', 'bare-coalesce'] : ['bare-coalesce', 'tap'];
  for (const mode of order) runs[mode].push(await cpuPerDelivery(mode, k));
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratios = runs.tap.map((t, i) => t / runs['bare-coalesce'][i]);
const a = med(runs['bare-coalesce']), t = med(runs.tap);
console.log(`QoS ${QOS}, ${SIZE} B, 1→${FANOUT}, broker CPU per delivery (median of ${RUNS}): aedes co ${a.toFixed(2)} µs, aedes+tap ${t.toFixed(2)} µs, ` +
  `tap cost ${(((t - a) / a) * 100).toFixed(1)} % (per run: ${ratios.map((r) => `${((r - 1) * 100).toFixed(0)} %`).join(', ')})`);
process.exit(0);
