// `npm run bench`: the tap's cost, measured side by side in one run on this machine.
//   brokers: bare aedes | bare aedes with write coalescing (as MQScope runs it) | MQScope core (aedes +
//            wire tap + trace, coalescing) | mosquitto
//   load:    QoS 0/1/2 × 64 B / 4 KiB × 1→1 / 1→10, closed loop (at most WINDOW undelivered)
// Prints tables; no pass/fail here (timing goals are not tests).
// The tap's cost is reported against both aedes runs: coalescing the broker's writes (one writev per
// connection per turn) is not the tap's doing, so "vs aedes co" is the tap alone.
// Reduced runs of the tap table: --cells=QOS:BYTES:FANOUT,… (e.g. 0:4096:1,1:64:10) --rounds=N
// --messages=N (per cell before the fan-out/QoS scaling); --latency-only: just the round-trip table.
// --pin: every broker on CPU 0, this process (every load client) on CPU 1, so the scheduler does not move
// them about (as cpu-probe --pin).
import { execFileSync, fork } from 'node:child_process';
import { join } from 'node:path';
import { printFlowsBench, runFlowsBench } from './flows-bench';
import { LoadClient } from './load-client';
import { startBenchMosquitto, type BenchBroker } from './mosquitto-proc';
import { STARTUP_HEAD, startupTable } from './startup';
import { BURST_HEAD, burstTable } from './burst';
import { ratios, roundOrder, spread, type Spread } from './paired';

const WINDOW = 50;
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const TRIALS = Number(arg('rounds') ?? (process.argv.includes('--quick') ? 3 : 9));
/** The tap's broker runs its trace at this budget, filled before the table: it evicts as fast as it records, as a long capture does. */
const TAP_BUDGET = 64 * 2 ** 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const here = import.meta.dirname;

type NodeMode = 'bare' | 'bare-coalesce' | 'tap';
const NAMES: Record<NodeMode, string> = { bare: 'aedes', 'bare-coalesce': 'aedes co', tap: 'aedes+tap' };

async function startNodeBroker(mode: NodeMode, budget = 4 * 2 ** 30): Promise<BenchBroker> {
  const child = fork(join(here, 'broker-proc.ts'), [mode, String(budget)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(cmd: string, key: string) => new Promise<T>((resolve) => {
    const h = (m: Record<string, unknown>) => { if (key in m) { child.off('message', h); resolve(m[key] as T); } };
    child.on('message', h);
    child.send({ cmd });
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const port = await new Promise<number>((r) => child.once('message', (m: { port: number }) => r(m.port)));
  return {
    name: NAMES[mode],
    port,
    pid: child.pid!,
    cpuMs: async () => { const c = await ask<{ user: number; system: number }>('cpu', 'cpu'); return (c.user + c.system) / 1000; },
    stats: () => ask('stats', 'stats'),
    evicted: () => ask<number>('evicted', 'evicted'),
    clear: () => { child.send({ cmd: 'clear' }); },
    stop: async () => { child.send({ cmd: 'exit' }); await new Promise((r) => child.once('exit', r)); },
  };
}

interface RunResult { deliveriesPerS: number; cpuUsPerDelivery: number }

async function runLoad(b: BenchBroker, qos: 0 | 1 | 2, size: number, fanout: number, messages: number): Promise<RunResult> {
  const topic = `bench/${qos}/${size}/${fanout}`;
  const subs = await Promise.all(Array.from({ length: fanout }, async (_, i) => {
    const c = new LoadClient(b.port, `sub-${i}-${Math.random().toString(36).slice(2)}`);
    await c.connect();
    await c.subscribe(topic, qos);
    return c;
  }));
  const pub = new LoadClient(b.port, `pub-${Math.random().toString(36).slice(2)}`);
  await pub.connect();
  const payload = Buffer.alloc(size, 0x61);
  let sent = 0;
  let acked = 0;
  let delivered = 0;
  const total = messages * fanout;
  const cpu0 = await b.cpuMs();
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (sent < messages && sent - Math.floor(delivered / fanout) < WINDOW && sent - acked < WINDOW) { sent++; pub.publish(topic, payload, qos); }
    };
    pub.onAck = () => { acked++; };
    for (const s of subs) s.onMessage = () => { if (++delivered === total) resolve(); else if ((delivered & 31) === 0) pump(); };
    const timer = setInterval(pump, 1);
    pump();
    // A broker that stops delivering must not hang the bench: say where it stood.
    let last = -1;
    const watchdog = setInterval(() => {
      if (delivered === total) { clearInterval(timer); clearInterval(watchdog); return; }
      if (delivered === last) {
        clearInterval(timer); clearInterval(watchdog);
        reject(new Error(`${b.name}: QoS ${qos} ${size} B 1→${fanout} stalled: sent ${sent}, acked ${acked}, delivered ${delivered} of ${total}`));
      }
      last = delivered;
    }, 5000);
  });
  const secs = (performance.now() - t0) / 1000;
  const cpu = (await b.cpuMs()) - cpu0;
  pub.close();
  subs.forEach((s) => s.close());
  return { deliveriesPerS: total / secs, cpuUsPerDelivery: (cpu * 1000) / total };
}

async function latency(b: BenchBroker, rate: number, seconds: number): Promise<{ p50: number; p99: number }> {
  const sub = new LoadClient(b.port, `lat-sub-${Math.random()}`);
  await sub.connect();
  await sub.subscribe('lat', 0);
  const pub = new LoadClient(b.port, `lat-pub-${Math.random()}`);
  await pub.connect();
  const samples: number[] = [];
  sub.onMessage = (p) => samples.push(performance.now() - p.readDoubleBE(0));
  const n = rate * seconds;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const p = Buffer.alloc(64);
    p.writeDoubleBE(performance.now(), 0);
    pub.publish('lat', p, 0);
  }
  while (samples.length < n) await new Promise((r) => setTimeout(r, 5));
  pub.close(); sub.close();
  samples.sort((a, c) => a - c);
  return { p50: samples[Math.floor(n * 0.5)], p99: samples[Math.floor(n * 0.99)] };
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main() {
  const quick = process.argv.includes('--quick');
  // `npm run bench -- --flows-only`: just the flow engine section (no brokers started).
  if (process.argv.includes('--flows-only')) return printFlowsBench(runFlowsBench(quick ? 200_000 : 1_000_000));
  const brokers = {
    bare: await startNodeBroker('bare'),
    co: await startNodeBroker('bare-coalesce'),
    tap: await startNodeBroker('tap', TAP_BUDGET),
    mosquitto: await startBenchMosquitto(),
  };
  const pinned = process.argv.includes('--pin');
  if (pinned) {
    for (const b of Object.values(brokers)) execFileSync('taskset', ['-a', '-cp', '0', String(b.pid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  }
  if (process.argv.includes('--latency-only')) {
    const rate = 1000;
    const secs = Number(arg('seconds') ?? 5);
    console.log(`Round trip publish→deliver at ${rate} msg/s, QoS 0, 64 B, ${secs} s per broker, ${TRIALS} rounds (ms; medians of the rounds' p50 and p99):`);
    const got: Record<string, { p50: number; p99: number }[]> = {};
    for (let k = 0; k < TRIALS; k++) {
      for (const [name, b] of roundOrder(Object.entries(brokers), k)) (got[name] ??= []).push(await latency(b, rate, secs));
    }
    printTable(['broker', 'p50', 'p99', 'p99 of each round'], Object.entries(got).map(([k, v]) => [brokers[k as keyof typeof brokers].name,
      fmt(median(v.map((x) => x.p50)), 3), fmt(median(v.map((x) => x.p99)), 3), v.map((x) => fmt(x.p99, 1)).join(', ')]));
    for (const b of Object.values(brokers)) await b.stop();
    return;
  }
  console.log(`MQScope bench — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
  console.log('Closed-loop load, window %d undelivered; CPU is the broker process only; %d rounds, each broker once per round, the order', WINDOW, TRIALS);
  console.log('reversed every other round; medians, and for tap vs aedes the median of the per-round ratios (middle half in brackets).');
  console.log('The tap\'s trace is at its %d MiB budget throughout (it evicts as fast as it records).%s\n', TAP_BUDGET / 2 ** 20,
    pinned ? ' Pinned: brokers on CPU 0, load on CPU 1.' : '');
  while ((await brokers.tap.evicted!()) === 0) await runLoad(brokers.tap, 0, 4096, 1, 5000);
  const rows: string[][] = [];
  const head = ['QoS', 'payload', 'fan-out', 'deliv/s aedes', 'aedes co', 'tap', 'mosq', 'tap/aedes co', 'CPU µs/deliv aedes', 'aedes co', 'tap', 'mosq', 'tap CPU cost vs aedes', 'vs aedes co'];
  const band = (x: Spread, f: (v: number) => string) => `${f(x.mid)} (${f(x.lo)}…${f(x.hi)})`;
  const times = (v: number) => `${fmt(v, 2)}×`;
  const cost = (v: number) => `${v >= 1 ? '+' : ''}${fmt((v - 1) * 100, 1)} %`;
  const only = arg('qos');
  const cells: [0 | 1 | 2, number, number][] = [];
  for (const qos of (only ? [Number(only)] : [0, 1, 2]) as (0 | 1 | 2)[]) for (const size of [64, 4096]) for (const fanout of [1, 10]) cells.push([qos, size, fanout]);
  const picked = arg('cells')?.split(',').map((c) => c.split(':').map(Number) as [0 | 1 | 2, number, number]);
  const base = Number(arg('messages') ?? (quick ? 3000 : 10000));
  for (const [qos, size, fanout] of picked ?? cells) {
    const messages = Math.round(base / Math.sqrt(fanout) / (qos + 1));
    // Warm-up, then TRIALS rounds interleaved so machine noise hits all brokers alike; medians reported.
    for (const b of Object.values(brokers)) await runLoad(b, qos, size, fanout, Math.max(200, Math.round(messages / 10)));
    const trials: Record<string, RunResult[]> = { bare: [], co: [], tap: [], mosquitto: [] };
    for (let k = 0; k < TRIALS; k++) {
      for (const [name, b] of roundOrder(Object.entries(brokers), k)) trials[name].push(await runLoad(b, qos, size, fanout, messages));
    }
    const r: Record<string, RunResult> = {};
    for (const [name, list] of Object.entries(trials)) r[name] = { deliveriesPerS: median(list.map((x) => x.deliveriesPerS)), cpuUsPerDelivery: median(list.map((x) => x.cpuUsPerDelivery)) };
    const of = (name: string, key: keyof RunResult) => trials[name].map((x) => x[key]);
    rows.push([String(qos), size === 64 ? '64 B' : size === 4096 ? '4 KiB' : `${size} B`, `1→${fanout}`,
      fmt(r.bare.deliveriesPerS), fmt(r.co.deliveriesPerS), fmt(r.tap.deliveriesPerS), fmt(r.mosquitto.deliveriesPerS),
      band(spread(ratios(of('tap', 'deliveriesPerS'), of('co', 'deliveriesPerS'))), times),
      fmt(r.bare.cpuUsPerDelivery, 1), fmt(r.co.cpuUsPerDelivery, 1), fmt(r.tap.cpuUsPerDelivery, 1), fmt(r.mosquitto.cpuUsPerDelivery, 1),
      band(spread(ratios(of('tap', 'cpuUsPerDelivery'), of('bare', 'cpuUsPerDelivery'))), cost),
      band(spread(ratios(of('tap', 'cpuUsPerDelivery'), of('co', 'cpuUsPerDelivery'))), cost)]);
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  printTable(head, rows);
  // `npm run bench -- --tap-only [--qos=N | --cells=…] [--rounds=N] [--messages=N]`: just the table above.
  if (process.argv.includes('--tap-only')) { for (const b of Object.values(brokers)) await b.stop(); return; }

  // Memory per frame: one more run on a fresh trace, then the store's own accounting.
  console.log('\nTrace memory per frame beyond its wire bytes (index + slab + strings − wire):');
  const memRows: string[][] = [];
  for (const [size, fanout] of [[64, 1], [64, 10], [4096, 1], [4096, 10]] as const) {
    brokers.tap.clear!();
    await runLoad(brokers.tap, 1, size, fanout, 3000);
    const s = await brokers.tap.stats!() as { frames: number; wire: number; used: number };
    memRows.push([size === 64 ? '64 B' : '4 KiB', `1→${fanout}`, fmt(s.frames), fmt(s.wire / s.frames, 1), fmt((s.used - s.wire) / s.frames, 1)]);
  }
  printTable(['payload', 'fan-out', 'frames', 'wire B/frame', 'extra B/frame'], memRows);

  console.log('\nRound trip publish→deliver at 1,000 msg/s, QoS 0, 64 B (ms):');
  const lat = { bare: await latency(brokers.bare, 1000, quick ? 2 : 5), co: await latency(brokers.co, 1000, quick ? 2 : 5), tap: await latency(brokers.tap, 1000, quick ? 2 : 5), mosquitto: await latency(brokers.mosquitto, 1000, quick ? 2 : 5) };
  printTable(['broker', 'p50', 'p99'], Object.entries(lat).map(([k, v]) => [brokers[k as keyof typeof brokers].name, fmt(v.p50, 3), fmt(v.p99, 3)]));
  console.log(`added p99 by the tap: ${fmt(lat.tap.p99 - lat.co.p99, 3)} ms (vs aedes co)`);
  for (const b of Object.values(brokers)) await b.stop();

  console.log('\nStart-up: spawn → first CONNACK (brokers), navigation → app ready (web UI), ms:');
  printTable(STARTUP_HEAD, await startupTable(quick ? 3 : 5));

  const n = quick ? 10_000 : 50_000;
  console.log(`\nBurst: ${n.toLocaleString('en-US')} QoS 0 messages as fast as one client sends them; an external mosquitto_sub on the broker:`);
  printTable(BURST_HEAD, await burstTable(n));
  printFlowsBench(runFlowsBench(quick ? 200_000 : 1_000_000));
}

function printTable(head: string[], rows: string[][]): void {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i < 3 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + w.map((n, i) => (i < 3 ? '-'.repeat(n + 2) : '-'.repeat(n + 1) + ':')).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

main().catch((e) => { console.error(e); process.exit(1); });
