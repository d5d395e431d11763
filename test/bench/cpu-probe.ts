// A steadier single number than the closed-loop table: broker CPU per message, QoS 0, 1→1, for bare
// aedes and MQScope's core, three interleaved runs of 100,000 messages each (median printed).
//   npx tsx test/bench/cpu-probe.ts [payload bytes, default 64]
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { LoadClient } from './load-client';

async function cpuPerMessage(mode: 'bare' | 'tap', size: number): Promise<number> {
  const child = fork(join(import.meta.dirname, 'broker-proc.ts'), [mode], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<number>((r) => child.once('message', (m: { port: number }) => r(m.port)));
    const cpu = () => new Promise<number>((r) => {
      const h = (m: { cpu?: { user: number; system: number } }) => { if (m.cpu) { child.off('message', h); r(m.cpu.user + m.cpu.system); } };
      child.on('message', h);
      child.send({ cmd: 'cpu' });
    });
    const sub = new LoadClient(port, 'probe-sub');
    await sub.connect();
    await sub.subscribe('probe', 0);
    const pub = new LoadClient(port, 'probe-pub');
    await pub.connect();
    const payload = Buffer.alloc(size, 97);
    const run = (n: number) => new Promise<void>((resolve) => {
      let got = 0, sent = 0;
      const pump = () => { while (sent < n && sent - got < 50) { sent++; pub.publish('probe', payload, 0); } };
      sub.onMessage = () => { if (++got === n) resolve(); else if ((got & 15) === 0) pump(); };
      pump();
    });
    await run(20_000); // warm up the JIT
    const c0 = await cpu();
    await run(100_000);
    const us = ((await cpu()) - c0) / 100_000;
    pub.close();
    sub.close();
    return us;
  } finally {
    child.kill('SIGKILL');
  }
}

const size = Number(process.argv[2] ?? 64);
const runs: Record<'bare' | 'tap', number[]> = { bare: [], tap: [] };
for (let k = 0; k < 3; k++) for (const mode of ['bare', 'tap'] as const) runs[mode].push(await cpuPerMessage(mode, size));
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
console.log(`QoS 0, ${size} B, 1→1, broker CPU per message (median of 3): aedes ${med(runs.bare).toFixed(1)} µs, aedes+tap ${med(runs.tap).toFixed(1)} µs, +${(((med(runs.tap) - med(runs.bare)) / med(runs.bare)) * 100).toFixed(1)} %`);
process.exit(0);
