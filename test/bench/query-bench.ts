// Queries at millions of frames, through the contract's traceQuery on a real core: how long each takes at
// 100 k, 1 M and 2 M frames, and what a client's MQTT round trip does while searches run back to back.
// Goals (issue 11, not asserted): each query ≤ 300 ms at 1 M; round trip during a search ≤ 2× idle.
//   npx tsx test/bench/query-bench.ts [--sizes 100000,1000000]
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { TraceQuery } from '../../shared/contract/types';
import { LoadClient } from './load-client';

const sizesArg = process.argv.indexOf('--sizes');
const SIZES = sizesArg > 0 ? process.argv[sizesArg + 1].split(',').map(Number) : [100_000, 1_000_000, 2_000_000];
const TRIALS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function ask<T>(child: ChildProcess, msg: object, key: string): Promise<T> {
  return new Promise((resolve) => {
    const h = (m: Record<string, unknown>) => { if (key in m) { child.off('message', h); resolve(m[key] as T); } };
    child.on('message', h);
    child.send(msg);
  });
}

/** Round trips publish → deliver through the core's broker, QoS 0, at `rate` msg/s for `seconds`. */
async function roundTrips(port: number, rate: number, seconds: number): Promise<number[]> {
  const sub = new LoadClient(port, `rt-sub-${Math.random()}`);
  await sub.connect();
  await sub.subscribe('rt', 0);
  const pub = new LoadClient(port, `rt-pub-${Math.random()}`);
  await pub.connect();
  const samples: number[] = [];
  sub.onMessage = (p) => samples.push(performance.now() - p.readDoubleBE(0));
  const n = rate * seconds;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const p = Buffer.alloc(64);
    p.writeDoubleBE(performance.now(), 0);
    pub.publish('rt', p, 0);
  }
  const deadline = performance.now() + 60_000;
  while (samples.length < n && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  pub.close(); sub.close();
  return samples.sort((a, b) => a - b);
}

const QUERIES: [string, TraceQuery][] = [
  ['first screen (newest 500)', { order: 'backward', limit: 500 }],
  ['jump to the middle (200 frames)', {}],
  ['topic filter', { filter: 'topic == "plant/line1/temp"', order: 'backward', limit: 500, caller: 'q' }],
  ['type filter (rare type)', { filter: 'type == PINGREQ', order: 'backward', limit: 500, caller: 'q' }],
  ['text search, rare', { text: 'overheat', order: 'backward', limit: 500, caller: 'q' }],
  ['text search, absent', { text: 'nowhere-to-be-seen', order: 'backward', limit: 500, caller: 'q' }],
  ['text search, in most payloads', { text: '"c"', order: 'backward', limit: 500, caller: 'q' }],
  ['text search, non-ASCII with case, absent', { text: 'Überhitzung', order: 'backward', limit: 500, caller: 'q' }],
  ['text search, Chinese, absent', { text: '过热', order: 'backward', limit: 500, caller: 'q' }],
  ['payload contains, rare', { filter: 'payload contains "Overheat"', order: 'backward', limit: 500, caller: 'q' }],
];

async function main(): Promise<void> {
  const child = fork(join(import.meta.dirname, 'query-core-proc.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const port = await ask<number>(child, {}, 'port');
    console.log(`MQScope query bench — ${new Date().toISOString()} — medians of ${TRIALS}; wall and CPU (the core process's) in ms\n`);
    const rows: string[][] = [];
    let rt: string[][] = [];
    for (const size of SIZES) {
      const held = await ask<number>(child, { cmd: 'fill', frames: size }, 'filled');
      for (const [name, q0] of QUERIES) {
        const q = name.startsWith('jump') ? { fromSeq: Math.floor(held / 2), toSeq: Math.floor(held / 2) + 199, limit: 200 } : q0;
        await ask(child, { cmd: 'query', q }, 'result'); // warm: indexes the new frames
        const runs: { wall: number; cpu: number; matching: number }[] = [];
        for (let t = 0; t < TRIALS; t++) runs.push(await ask(child, { cmd: 'query', q }, 'result'));
        rows.push([fmt(held), name, fmt(runs[0].matching), fmt(median(runs.map((r) => r.wall))), fmt(median(runs.map((r) => r.cpu)))]);
      }
      if (size === 1_000_000 || (size === SIZES[SIZES.length - 1] && !rt.length)) {
        const idle = await roundTrips(port, 200, 3);
        child.send({ cmd: 'loop', q: { text: 'nowhere-to-be-seen', order: 'backward', limit: 500 } });
        const busy = await roundTrips(port, 200, 3);
        const looped = await ask<number>(child, { cmd: 'stop-loop' }, 'looped');
        const row = (label: string, xs: number[]) => [label, fmt(xs.length), fmt(xs[Math.floor(xs.length * 0.5)], 2), fmt(xs[Math.floor(xs.length * 0.99)], 2), fmt(xs[xs.length - 1], 1)];
        rt = [row(`idle, ${fmt(held)} frames`, idle), row(`${looped} text searches back to back`, busy)];
      }
    }
    console.log('| frames | query | matching | wall ms | CPU ms |');
    console.log('|--:|---|--:|--:|--:|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    console.log('\nMQTT round trip publish → deliver through the same core, QoS 0, 200 msg/s for 3 s (ms):\n');
    console.log('| while | samples | p50 | p99 | max |');
    console.log('|---|--:|--:|--:|--:|');
    for (const r of rt) console.log(`| ${r.join(' | ')} |`);
    const exited = new Promise((r) => child.once('exit', r));
    child.send({ cmd: 'exit' });
    await exited;
  } finally {
    child.kill('SIGKILL');
  }
}

void main();
