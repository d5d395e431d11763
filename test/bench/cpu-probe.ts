// A steadier single number than the closed-loop table: broker CPU per delivery for one cell, aedes with
// MQScope's write coalescing (the tap's fair baseline) against MQScope's core with its trace at the
// bench's 64 MiB budget (warmed past it, so it evicts as it records; said if not). Interleaved runs, median printed.
//   npx tsx test/bench/cpu-probe.ts [--size=64] [--fanout=1] [--qos=0] [--runs=3] [--messages=100000] [--prof=DIR]
//     [--modes=tap,core-notap,core-hook,core-copy,tap-session4,tap-session5] [--pin] [--topics=1] [--rate=0] [--instr [--budget-mib=8]]
// --prof writes a CPU profile of each broker process (measured window and warm-up alike) into DIR.
// --modes: what to set against aedes co (default tap); see broker-proc.ts for the modes that take the core apart.
// --topics=N: the publisher cycles over N topics (probe/0 … probe/N-1, subscribed as probe/#), as devices do;
// with 1 every message has the topic "probe".
// --rate=N: open loop, N messages a second offered whatever the broker does (default 0: closed loop, at most
// 50 undelivered). In a closed loop a slower broker is handed bigger batches, which make each delivery
// cheaper, so the fan-out cells' ratios swing run to run; at a fixed rate both brokers get the same arrivals.
// A run that took over 1.1× its offered time is flagged: that broker did not keep up, and its batching differed.
// --pin: the broker on CPU 0, this process (every load client) on CPU 1, so neither takes the other's core
// (on 2 cores the scheduler otherwise moves them about, and a run's CPU per delivery with them).
// --instr: the broker runs under valgrind's callgrind, and the figure is instructions per delivery (every thread
// of the broker process, the measured window only) instead of CPU time. Instructions do not move with the
// neighbours' load, so a change's effect shows in one run; they do not see cache misses or stalls, which CPU
// time does. The broker is ~50× slower under callgrind, so the trace budget is 8 MiB (--budget-mib=N: the least
// at which the store works as at 64 MiB, with 8 slabs and its ~0.7 MiB frame-index blocks a small share), the
// warm-up fills that 1.2 times over (at least 5,000 messages), and runs should be short (--messages=5000).
// The dumps stay in /tmp/mqscope-cg-MODE-*/ (callgrind_annotate reads them). CALLGRIND_DUMP_INSTR=1 counts per
// instruction address, which lines JIT code up with V8's --print-opt-code listing of the same process.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadClient } from './load-client';

const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);
const profDir = process.argv.find((a) => a.startsWith('--prof='))?.slice(7);
const SIZE = arg('size', 64), FANOUT = arg('fanout', 1), QOS = arg('qos', 0) as 0 | 1 | 2;
const RUNS = arg('runs', 3), MESSAGES = arg('messages', 100_000);
const INSTR = process.argv.includes('--instr');
const BUDGET = arg('budget-mib', INSTR ? 8 : 64) * 2 ** 20;
const PIN = process.argv.includes('--pin');
const TOPICS = arg('topics', 1);
const RATE = arg('rate', 0);
const behind: string[] = [];
const notAtBudget = new Set<string>();
/** Warm-up messages: enough to fill the trace's budget 1.2 times over (see the warm-up). */
const WARM = Math.max(INSTR ? 5_000 : 20_000, Math.ceil((BUDGET / ((1 + FANOUT) * (50 + (SIZE < 256 ? SIZE : 0)))) * 1.2));
const topicOf = TOPICS <= 1 ? () => 'probe' : (i: number) => `probe/${i % TOPICS}`;
if (PIN) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });

type Mode = 'bare-coalesce' | 'tap' | 'core-notap' | 'core-copy' | 'core-hook' | 'tap-session4' | 'tap-session5';
const MODES = (process.argv.find((a) => a.startsWith('--modes='))?.slice(8) ?? 'tap').split(',') as Mode[];

async function cpuPerDelivery(mode: Mode, k: number): Promise<number> {
  const prof = profDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, `${mode}-${k}`)}`] : [];
  const script = join(import.meta.dirname, 'broker-proc.ts');
  // BROKER_NODE_FLAGS: more node options for the broker process (e.g. --perf-basic-prof to name JIT code in --instr dumps;
  // it also leaves isolate-*-v8.log files in the working directory).
  const nodeFlags = process.env.BROKER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const cgDir = INSTR ? mkdtempSync(join(tmpdir(), `mqscope-cg-${mode}-`)) : '';
  const child: ChildProcess = INSTR
    ? spawn('valgrind', ['--tool=callgrind', '--smc-check=all-non-file', `--callgrind-out-file=${cgDir}/cg.%p`, `--dump-instr=${process.env.CALLGRIND_DUMP_INSTR ? 'yes' : 'no'}`,
      process.execPath, ...nodeFlags, '--import', 'tsx', script, mode, String(BUDGET), String(QOS)], { stdio: ['ignore', 'inherit', 'ignore', 'ipc'] })
    : fork(script, [mode, String(BUDGET), String(QOS)], { execArgv: [...nodeFlags, '--import', 'tsx', ...prof], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    if (PIN) execFileSync('taskset', ['-cp', '0', String(child.pid)], { stdio: 'ignore' });
    const port = await new Promise<number>((r) => child.once('message', (m: { port: number }) => r(m.port)));
    /** Asks the broker process for one value (broker-proc.ts answers { [cmd]: value }). */
    const ask = <T>(cmd: string) => new Promise<T>((r) => {
      const h = (m: Record<string, unknown>) => { if (cmd in m) { child.off('message', h); r(m[cmd] as T); } };
      child.on('message', h);
      child.send({ cmd });
    });
    /** CPU µs so far; with --instr, instructions since the last call (callgrind's counters zeroed, then dumped). */
    let zeroed = false;
    const cpu = INSTR
      ? async () => {
        if (!zeroed) { zeroed = true; execFileSync('callgrind_control', ['-z', String(child.pid)], { stdio: 'ignore' }); return 0; }
        execFileSync('callgrind_control', ['-d', String(child.pid)], { stdio: 'ignore' });
        const dump = readdirSync(cgDir).find((f) => /^cg\.\d+\.\d+$/.test(f))!;
        return Number(/^summary: (\d+)/m.exec(readFileSync(join(cgDir, dump), 'utf8'))![1]);
      }
      : async () => { const c = await ask<{ user: number; system: number }>('cpu'); return c.user + c.system; };
    const subs = await Promise.all(Array.from({ length: FANOUT }, async (_, i) => {
      const s = new LoadClient(port, `probe-sub-${i}`);
      await s.connect();
      await s.subscribe(TOPICS <= 1 ? 'probe' : 'probe/#', QOS);
      return s;
    }));
    const pub = new LoadClient(port, 'probe-pub');
    await pub.connect();
    const payload = Buffer.alloc(SIZE, 97);
    const run = (n: number, rate: number) => new Promise<void>((resolve) => {
      let got = 0, sent = 0, acked = 0;
      const total = n * FANOUT;
      const t0 = performance.now();
      const done = () => {
        const ms = performance.now() - t0;
        if (rate > 0 && ms > 1.1 * (n / rate) * 1000) behind.push(`${mode} run ${k}: ${Math.round(ms)} ms for ${n} messages offered over ${Math.round((n / rate) * 1000)} ms`);
        resolve();
      };
      const pump = rate > 0
        ? () => { const due = Math.min(n, Math.floor(((performance.now() - t0) * rate) / 1000)); while (sent < due) { sent++; pub.publish(topicOf(sent), payload, QOS); } }
        : () => { while (sent < n && sent - Math.floor(got / FANOUT) < 50 && sent - acked < 50) { sent++; pub.publish(topicOf(sent), payload, QOS); } };
      pub.onAck = () => { acked++; };
      for (const s of subs) s.onMessage = () => { if (++got === total) done(); else if (rate === 0 && (got & 15) === 0) pump(); };
      const timer = setInterval(pump, 1);
      pump();
      void new Promise<void>((r) => { const t = setInterval(() => { if (got === total) { clearInterval(t); clearInterval(timer); r(); } }, 5); });
    });
    // Warm the JIT and fill the trace past its budget, closed loop, the same number of messages for every
    // mode (a longer warm-up alone makes a broker cheaper per delivery). The payloads are all alike, so from
    // 256 bytes on a payload is stored once and a frame keeps ~60 bytes (its header and 45-byte index row).
    await run(WARM, 0);
    if (mode !== 'bare-coalesce' && (await ask<number>('evicted')) === 0) notAtBudget.add(mode);
    const c0 = await cpu();
    await run(MESSAGES, RATE);
    const us = ((await cpu()) - c0) / (MESSAGES * FANOUT);
    pub.close();
    subs.forEach((s) => s.close());
    return us;
  } finally {
    if (profDir || INSTR) { child.send({ cmd: 'exit' }); await new Promise((r) => child.once('exit', r)); }
    else child.kill('SIGKILL');
  }
}

const all: Mode[] = ['bare-coalesce', ...MODES];
const runs = Object.fromEntries(all.map((m) => [m, [] as number[]])) as Record<Mode, number[]>;
for (let k = 0; k < RUNS; k++) {
  const order = k % 2 ? [...all].reverse() : all;
  for (const mode of order) runs[mode].push(await cpuPerDelivery(mode, k));
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = runs['bare-coalesce'];
const unit = INSTR ? ' instructions' : ' µs';
const fmt = (v: number) => (INSTR ? Math.round(v).toLocaleString('en-US') : v.toFixed(2));
console.log(`QoS ${QOS}, ${SIZE} B, 1→${FANOUT}${RATE > 0 ? `, ${RATE} msg/s offered` : ''}, broker ${INSTR ? 'instructions (callgrind)' : 'CPU'} per delivery (median of ${RUNS}): aedes co ${fmt(med(base))}${unit} (per run: ${base.map(fmt).join(', ')})`);
for (const mode of MODES) {
  const ratios = runs[mode].map((t, i) => t / base[i]);
  console.log(`  ${mode.padEnd(10)} ${fmt(med(runs[mode]))}${unit}, cost ${((med(ratios) - 1) * 100).toFixed(1)} % (median of per-run ratios; per run: ${ratios.map((r, i) => `${((r - 1) * 100).toFixed(0)} % (${fmt(runs[mode][i])})`).join(', ')})`);
}
if (notAtBudget.size) console.log(`  the trace of ${[...notAtBudget].join(', ')} had not evicted after the warm-up (${WARM} messages): not at its budget`);
if (behind.length) console.log(`  did not keep up with the offered rate (its ratio compares unlike batching):\n    ${behind.join('\n    ')}`);
process.exit(0);
