// What a subscriber's other subscriptions cost per delivered message: since deliveries merge overlapping
// subscriptions (one copy, every Subscription Identifier, the best QoS [MQTT-3.3.4-4]), each delivery
// walks the subscriber's filters. Broker CPU per message, QoS 0, 64 B, 1→1, with the subscriber holding
// 1, 10 and 100 filters (one matches), through MQScope's core (median of 3 interleaved runs).
//   npx tsx test/bench/overlap-probe.ts
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { LoadClient } from './load-client';

async function cpuPerMessage(filters: number): Promise<number> {
  const child = fork(join(import.meta.dirname, 'broker-proc.ts'), ['tap'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<number>((r) => child.once('message', (m: { port: number }) => r(m.port)));
    const cpu = () => new Promise<number>((r) => {
      const h = (m: { cpu?: { user: number; system: number } }) => { if (m.cpu) { child.off('message', h); r(m.cpu.user + m.cpu.system); } };
      child.on('message', h);
      child.send({ cmd: 'cpu' });
    });
    const sub = new LoadClient(port, 'overlap-sub');
    await sub.connect();
    await sub.subscribe('probe', 0);
    for (let i = 1; i < filters; i++) await sub.subscribe(`other/${i}/+/#`, 0);
    const pub = new LoadClient(port, 'overlap-pub');
    await pub.connect();
    const payload = Buffer.alloc(64, 97);
    const run = (n: number) => new Promise<void>((resolve) => {
      let got = 0, sent = 0;
      const pump = () => { while (sent < n && sent - got < 50) { sent++; pub.publish('probe', payload, 0); } };
      sub.onMessage = () => { if (++got === n) resolve(); else if ((got & 15) === 0) pump(); };
      pump();
    });
    await run(20_000);
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

const counts = [1, 10, 100];
const runs = new Map<number, number[]>(counts.map((c) => [c, []]));
for (let k = 0; k < 3; k++) for (const c of counts) runs.get(c)!.push(await cpuPerMessage(c));
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
console.log(`QoS 0, 64 B, 1→1, broker CPU per message (median of 3) by the subscriber's number of filters: ${counts.map((c) => `${c}: ${med(runs.get(c)!).toFixed(1)} µs`).join(', ')}`);
process.exit(0);
