// Start-up: spawn → first accepted MQTT connection for `mqscope broker` (the compiled CLI), bare aedes and
// mosquitto; and the web UI's page load → app ready in Chromium. Medians of interleaved runs; a table.
// Run alone: npx tsx test/bench/startup.ts [--runs N] [--brokers-only] [--baseline DIR]
// --baseline DIR adds `mqscope broker` of another checkout (e.g. `git worktree add DIR <commit>`, built), run
// interleaved with this one: an A/B in the same minute, the only wall-time comparison a shared machine allows.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/harness';
import { startWebHost } from '../../electron/web/host';

const root = join(import.meta.dirname, '../..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function freePort(): Promise<number> {
  return new Promise((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });
}

/** CPU time (user + system, ms) a process has used so far: unlike wall time, other load does not inflate it. */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/**
 * Spawns, then connects every 2 ms until a CONNECT gets a CONNACK: "accepting" means answering MQTT.
 * Returns the wall time and the CPU time the process had used by then.
 */
async function timeToAccept(cmd: string, args: string[], port: number): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  const proc = spawn(cmd, args, { stdio: 'ignore', cwd: root });
  try {
    const connect = Buffer.from([0x10, 12, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 60, 0, 0]);
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => s.write(connect));
        s.once('data', (d) => { s.destroy(); resolve(d[0] === 0x20); });
        s.once('error', () => resolve(false));
      });
      if (ok) return { wall: performance.now() - t0, cpu: await cpuMs(proc.pid!) };
      if (proc.exitCode !== null) throw new Error(`${cmd} exited with ${proc.exitCode}`);
      if (performance.now() - t0 > 20000) throw new Error(`${cmd} did not accept within 20 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
  }
}

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; tdur?: number; pid: number; tid: number; args?: { name?: string } }

/**
 * From a Chrome trace of one page load: the renderer main thread's CPU time in tasks until a mark, and the script (compile + evaluate + callbacks) and style/layout parts of it, in ms.
 */
function mainThreadUntil(events: TraceEvent[], mark: string): { all: number; script: number; style: number } {
  const ready = events.find((e) => e.name === mark);
  if (!ready) throw new Error(`no ${mark} mark in the trace`);
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === ready.pid);
  const on = events.filter((e) => e.ph === 'X' && e.pid === ready.pid && e.tid === (main?.tid ?? ready.tid) && e.ts < ready.ts);
  // Thread CPU time (tdur, which other load does not inflate as it does wall time) of the outermost matching
  // events (an EventDispatch's FunctionCall counts once), a task that spans the mark prorated.
  const sum = (names: RegExp) => {
    let total = 0;
    let end = -Infinity;
    for (const e of on.filter((x) => names.test(x.name)).sort((a, b) => a.ts - b.ts)) {
      if (e.ts < end) continue;
      const dur = e.dur ?? 0;
      end = e.ts + dur;
      total += (e.tdur ?? dur) * (dur > 0 ? Math.min(1, (ready.ts - e.ts) / dur) : 1);
    }
    return total / 1000;
  };
  return {
    all: sum(/^(RunTask|ThreadControllerImpl::RunTask)$/),
    script: sum(/^(EvaluateScript|v8\.compileModule|v8\.evaluateModule|FunctionCall|EventDispatch|TimerFire|FireAnimationFrame|RunMicrotasks|v8\.compile|v8\.produceModuleCache)$/),
    style: sum(/^(UpdateLayoutTree|Layout|ParseAuthorStyleSheet)$/),
  };
}

/** Columns of startupTable's rows; CPU is the process's user + system time when it first answered. */
export const STARTUP_HEAD = ['start-up (ms)', 'median', 'min', 'max', 'CPU median'];

/** The checkout's `mqscope` as package.json names it (bin/mqscope.cjs; older checkouts had only the .mjs). */
const binOf = (dir: string) => join(dir, existsSync(join(dir, 'bin/mqscope.cjs')) ? 'bin/mqscope.cjs' : 'bin/mqscope.mjs');

export async function startupTable(runs = 5, withPage = true, baseline?: string): Promise<string[][]> {
  const dir = await mkdtemp(join(tmpdir(), 'mqscope-startup-'));
  const bareAedes = join(dir, 'bare.mjs');
  await writeFile(bareAedes, `import { Aedes } from ${JSON.stringify(join(root, 'node_modules/aedes/aedes.js'))};\nimport net from 'node:net';\n` +
    `const a = await Aedes.createBroker();\nnet.createServer(a.handle).listen(Number(process.argv[2]), '127.0.0.1');\n`);
  const conf = join(dir, 'm.conf');
  const kinds: Record<string, (port: number) => Promise<{ wall: number; cpu: number }>> = {
    'mqscope broker': (port) => timeToAccept(process.execPath, ['bin/mqscope.cjs', 'broker', '-p', String(port), '--ws-port', 'off'], port),
    ...(baseline ? { [`mqscope broker (${baseline})`]: (port: number) => timeToAccept(process.execPath, [binOf(baseline), 'broker', '-p', String(port), '--ws-port', 'off'], port) } : {}),
    'bare aedes': (port) => timeToAccept(process.execPath, [bareAedes, String(port)], port),
    mosquitto: async (port) => {
      await writeFile(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\nlog_type none\n${process.getuid?.() === 0 ? 'user root\n' : ''}`);
      return timeToAccept('/usr/sbin/mosquitto', ['-c', conf], port);
    },
  };
  const times: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  for (let i = 0; i < runs; i++) {
    for (const [name, run] of Object.entries(kinds)) {
      const r = await run(await freePort());
      (times[name] ??= []).push(r.wall);
      (cpu[name] ??= []).push(r.cpu);
    }
  }
  const rows = Object.entries(times).map(([name, xs]) => [name, median(xs).toFixed(0), Math.min(...xs).toFixed(0), Math.max(...xs).toFixed(0), median(cpu[name]).toFixed(0)]);
  if (!withPage) { await rm(dir, { recursive: true, force: true }); return rows; }

  // The page: navigation start → the app shell rendered with the core reachable (data-testid="app"). Besides
  // wall time, the page's main-thread busy time until then (top-level tasks in a Chrome trace; script, style
  // + layout are parts of it), which other load inflates less. With --baseline, that checkout's built renderer is served
  // by a second host and loaded interleaved.
  const hosts: [string, Awaited<ReturnType<typeof startWebHost>>][] = [['', await startWebHost({ port: 0, dataDir: dir, brokerDefaults: { tcpPort: 0, wsPort: null } })]];
  if (baseline) hosts.push([` (${baseline})`, await startWebHost({ port: 0, dataDir: dir, staticDir: join(baseline, 'dist/renderer'), brokerDefaults: { tcpPort: 0, wsPort: null } })]);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const m: Record<string, Record<string, number[]>> = {};
  const add = (label: string, what: string, v: number) => (((m[label] ??= {})[what] ??= []).push(v));
  try {
    for (let i = 0; i < runs; i++) {
      for (const [label, host] of hosts) {
        const context = await browser.newContext();
        const p = await context.newPage();
        // The moment the shell is in the DOM, marked in the page (a Playwright round trip later would also
        // count whatever the page starts after it, such as fetching the lazy views at idle). A string: tsx
        // would wrap a named function in a helper the page does not have.
        await p.addInitScript({ content: `new MutationObserver((_, o) => { if (!performance.getEntriesByName('mq-ready').length && document.querySelector('[data-testid="app"]')) performance.mark('mq-ready'); if (document.querySelector('[data-testid="profile-editor"]')) { performance.mark('mq-form'); o.disconnect(); } }).observe(document, { childList: true, subtree: true });` });
        await p.addInitScript({ content: `window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });` });
        await browser.startTracing(p, { categories: ['toplevel', 'devtools.timeline', 'blink.user_timing'] });
        await p.goto(host.url);
        await p.getByTestId('app').waitFor();
        const ready = await p.evaluate(() => performance.getEntriesByName('mq-ready')[0].startTime);
        add(label, 'ready', ready);
        // The first view complete: its profile form (a lazy chunk since the start-up work) is shown too.
        await p.getByTestId('profile-editor').waitFor();
        add(label, 'form', await p.evaluate(() => performance.getEntriesByName('mq-form')[0]?.startTime ?? performance.now()));
        const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
        const busy = mainThreadUntil(trace, 'mq-ready');
        add(label, 'formCpu', mainThreadUntil(trace, 'mq-form').all);
        add(label, 'busy', busy.all);
        add(label, 'script', busy.script);
        add(label, 'style', busy.style);
        const long = await p.evaluate(() => (window as unknown as { __long: [number, number][] }).__long);
        add(label, 'long', Math.max(0, ...long.filter(([start]) => start < ready).map(([, d]) => d)));
        await context.close();
      }
    }
  } finally {
    await browser.close();
    for (const [, host] of hosts) await host.close();
    await rm(dir, { recursive: true, force: true });
  }
  const row = (name: string, xs: number[]) => [name, median(xs).toFixed(0), Math.min(...xs).toFixed(0), Math.max(...xs).toFixed(0), ''];
  for (const [label] of hosts) {
    rows.push(row(`web UI page load → ready${label}`, m[label].ready));
    rows.push(row('  main-thread CPU until ready', m[label].busy));
    rows.push(row('    of which script', m[label].script));
    rows.push(row('    of which style + layout', m[label].style));
    rows.push(row('  longest task until ready', m[label].long));
    rows.push(row('  → profile form shown', m[label].form));
    rows.push(row('    main-thread CPU until then', m[label].formCpu));
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--runs');
  const b = process.argv.indexOf('--baseline');
  const rows = await startupTable(i > 0 ? Number(process.argv[i + 1]) : 5, !process.argv.includes('--brokers-only'), b > 0 ? process.argv[b + 1] : undefined);
  const head = STARTUP_HEAD;
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (c: string[]) => '| ' + c.map((x, k) => (k === 0 ? x.padEnd(w[k]) : x.padStart(w[k]))).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + w.map((n, k) => (k === 0 ? '-'.repeat(n + 2) : '-'.repeat(n + 1) + ':')).join('|') + '|');
  for (const r of rows) console.log(line(r));
}
