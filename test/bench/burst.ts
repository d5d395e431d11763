// The 50,000-message burst: one publisher sends N QoS 0 messages as fast as it can; an external
// mosquitto_sub on '#' must receive them all. Three brokers: `mqscope broker` headless, the web host with
// the UI open in Chromium (Messages view subscribed to '#'), and mosquitto. Reports time until the external
// subscriber has all, time until the UI shows the last, the longest input delay for clicks made during the
// burst, p99 animation-frame interval and work (vsync to frame done), long tasks and the page's JS heap.
// Run alone: npx tsx test/bench/burst.ts [--n N] [--runs R] [--only ui] [--view trace] [--pin] [--warm N]; BURST_CALLS=1 counts the page's
// requests to core during the burst (BURST_TIMELINE=1 as well: their times, and the batches'); BURST_PROF=dir adds CPU
// profiles, and dir/windows.jsonl: each broker's measured window on the profiles' clock, to cut them to it; BURST_TRACE=dir adds a Chrome trace of the page (style, layout, paint: what a CPU profile calls
// "(program)"). --view trace watches the Trace view during the burst instead of the Messages view. BURST_NOPAGE=1: the
// window's session stays subscribed but the page is closed before the burst. BURST_THREADS=1: each broker's CPU by
// thread. BURST_NODE_FLAGS: more node options for the brokers ('%n' in them: headless or ui, e.g. --logfile=/tmp/v8-%n.log).
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/harness';
import { MessagesPage } from '../e2e/pages/MessagesPage';
import { startBenchMosquitto } from './mosquitto-proc';
import { subscribedOnLocalBroker } from '../e2e/pages/local-session';

const root = join(import.meta.dirname, '../..');

export function waitLine(proc: ChildProcess, re: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const on = (d: Buffer) => { buf += d; const m = re.exec(buf); if (m) { proc.stdout!.off('data', on); resolve(m); } };
    proc.stdout!.on('data', on);
    proc.once('exit', (c) => reject(new Error(`exited ${c} before ${re}: ${buf}`)));
  });
}

/** Publishes n messages from a lean client and resolves when an external mosquitto_sub has received all. */
/** CPU time (user + system, ms) a process has used: robust where wall time is not (a shared machine). */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10; // utime, stime in clock ticks of 10 ms
}

/** BURST_THREADS=1: user and system CPU (ms) of each thread of a broker: the main thread apart from V8's GC and compiler threads. */
function threadCpu(pid: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const f = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8').split(') ')[1].split(' ');
      const main = t === String(pid) ? 'main' : t;
      m.set(`${main} user`, Number(f[11]) * 10);
      m.set(`${main} sys`, Number(f[12]) * 10);
    } catch { /* the thread ended */ }
  }
  return m;
}

export async function burst(port: number, n: number, secondSub = false, pid?: number): Promise<{ subscriberMs: number; start: number; cpuMs: number }> {
  const sub = spawn('mosquitto_sub', ['-p', String(port), '-t', 'burst/#', '-C', String(n), '-q', '0'], { stdio: ['ignore', 'ignore', 'inherit'] });
  // The fair headless twin of "UI open": a second subscriber that takes every message, as the UI's session does,
  // at the same protocol level (the "Local broker" profile connects with MQTT 5, whose deliveries cost more).
  const sub2 = secondSub ? spawn('mosquitto_sub', ['-p', String(port), '-V', 'mqttv5', '-t', 'burst/#', '-C', String(n), '-q', '0'], { stdio: ['ignore', 'ignore', 'inherit'] }) : null;
  // mosquitto_sub is subscribed once a retained probe reaches it.
  const probe = spawn('mosquitto_sub', ['-p', String(port), '-t', 'burst-ready', '-C', '1'], { stdio: 'ignore' });
  const pub = fork(join(import.meta.dirname, 'burst-publisher.ts'), [String(port), String(n)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((r) => pub.once('message', r));
  // Sent again until the probe has it: on a loaded machine mosquitto_sub may subscribe after the first one.
  const ready = setInterval(() => pub.send({ cmd: 'probe' }), 300);
  pub.send({ cmd: 'probe' });
  await new Promise((r) => probe.once('exit', r));
  clearInterval(ready);
  const cpu0 = pid ? cpuMs(pid) : 0;
  const th0 = process.env.BURST_THREADS && pid ? threadCpu(pid) : null;
  const start = performance.now();
  const mono0 = process.hrtime.bigint();
  pub.send({ cmd: 'go' });
  await new Promise((r) => sub.once('exit', r));
  const subscriberMs = performance.now() - start;
  const cpu = pid ? cpuMs(pid) - cpu0 : 0;
  if (th0) console.error(`broker ${pid}, ${/VmRSS:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]} kB resident, CPU ms by thread in the window:`, [...threadCpu(pid!)].map(([k, v]) => `${k}=${v - (th0.get(k) ?? 0)}`).filter((x) => !x.endsWith('=0')).join(' '));
  // BURST_PROF: the measured window on the monotonic clock V8's profiles use (µs), so a profile can be cut to it.
  if (process.env.BURST_PROF && pid) await mkdir(process.env.BURST_PROF, { recursive: true }).then(() => appendFile(join(process.env.BURST_PROF!, 'windows.jsonl'), JSON.stringify({ pid, fromUs: Number(mono0 / 1000n), toUs: Number(process.hrtime.bigint() / 1000n) }) + '\n')).catch(() => {});
  if (sub2 && sub2.exitCode === null) await new Promise((r) => sub2.once('exit', r));
  pub.send({ cmd: 'exit' });
  return { subscriberMs, start, cpuMs: cpu };
}

/**
 * --pin: the broker process under test (all its threads) on CPU 0, everything else (this process, Chromium,
 * the publisher, the mosquitto_subs, mosquitto) on CPU 1, so the broker's CPU time and profile are its own work,
 * not time it waited while a neighbour ran.
 */
const PIN = process.argv.includes('--pin');
/**
 * --warm N: each broker first takes an unmeasured burst of N messages (and the window shows them), so the
 * measured burst meets code the JIT has already optimized, as a broker that has run for a while does. Without
 * it every broker is a fresh process and the first ~0.5 s of the burst runs unoptimized code, longer in the
 * web host, whose compiles wait behind more hot functions and share two cores with Chromium.
 */
const WARM = process.argv.includes('--warm') ? Number(process.argv[process.argv.indexOf('--warm') + 1]) : 0;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
if (PIN) execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
const pinBroker = (pid: number | undefined) => { if (PIN && pid) execFileSync('taskset', ['-a', '-cp', '0', String(pid)], { stdio: 'ignore' }); };

/** BURST_PROF=dir: CPU profiles of the broker processes, in dir/headless and dir/ui (one file per thread). */
const profArgs = (name: string) => [...(process.env.BURST_PROF ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BURST_PROF, name)}`] : []), ...(process.env.BURST_NODE_FLAGS?.split(' ').filter(Boolean).map((f) => f.replace('%n', name)) ?? [])];

async function headless(n: number, secondSub = false) {
  const proc = spawn(process.execPath, [...profArgs('headless'), 'bin/mqscope.mjs', 'broker', '-p', '0', '--ws-port', 'off'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number((await waitLine(proc, /mqtt:\/\/127\.0\.0\.1:(\d+)/))[1]);
  pinBroker(proc.pid);
  try {
    if (WARM > 0) { await burst(port, WARM, secondSub); await settle(1000); }
    return await burst(port, n, secondSub, proc.pid);
  } finally { proc.kill('SIGTERM'); }
}

async function mosquitto(n: number) {
  const m = await startBenchMosquitto();
  pinBroker(m.pid);
  try { return await burst(m.port, n); } finally { await m.stop(); }
}

type View = 'messages' | 'trace';

async function withUi(n: number, view: View = 'messages') {
  // The shipped path (`mqscope web`, the compiled bundle), as the headless broker runs it: the two sides run
  // the same compiled code. BURST_STATIC (another renderer build) needs burst-host.ts, which runs the sources.
  const proc = process.env.BURST_STATIC
    ? spawn(process.execPath, [...profArgs('ui'), '--import', 'tsx', join(import.meta.dirname, 'burst-host.ts')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, [...profArgs('ui'), 'bin/mqscope.mjs', 'web', '--data-dir', await mkdtemp(join(tmpdir(), 'mqscope-burst-')), '--broker-port', '0'],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = (await waitLine(proc, /(?:URL|web UI:) (\S+)/))[1];
  // BURST_STDOUT=file: the web host's output from here on (with BURST_NODE_FLAGS='--trace-opt --trace-deopt': what V8 did).
  if (process.env.BURST_STDOUT) proc.stdout!.pipe(createWriteStream(process.env.BURST_STDOUT));
  pinBroker(proc.pid);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(url);
    await page.getByTestId('app').waitFor();
    const port = await subscribedOnLocalBroker(page, 'burst/#', 0);
    const m = new MessagesPage(page);
    // The view is settled before the burst: monaco (the publish editor's lazy chunk, a 1+ s task to evaluate)
    // has arrived, so its parse is not counted as a long task of the burst.
    await page.locator('.monaco-editor').first().waitFor({ timeout: 30000 });
    if (WARM > 0) {
      await burst(port, WARM, false);
      await page.waitForFunction((w) => Number(document.querySelector('[data-testid="msg-count"]')?.getAttribute('data-count')) >= w, WARM, { timeout: 60000 });
      await settle(1000);
    }
    if (view === 'trace') { await page.getByTestId('nav-trace').click(); await page.getByTestId('trace-status').waitFor(); }
    await watchPage(page);
    // Clicks every 100 ms. In the Messages view on the Columns button: each click opens or closes its menu, a
    // change on screen, so the input delay (Event Timing: input → the paint that shows its effect) is what a
    // user waits for. A click that changes nothing (on the status line, which this bench clicked before) is
    // "painted" with the next frame that has anything to draw, which during a burst is the paced list's next
    // render (up to 500 ms, render-pace.ts), though the page handled it within a few ms. The Trace view has
    // no such harmless toggle: there it is still the status line, and its figure is that bound.
    const target = page.getByTestId(view === 'trace' ? 'trace-status' : 'msg-columns');
    const box = (await target.boundingBox())!;
    const at = view === 'trace' ? { x: box.x + box.width - 5, y: box.y + box.height / 2 } : { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    let clicking = true;
    const clicks = (async () => { while (clicking) { await page.mouse.click(at.x, at.y).catch(() => { clicking = false; }); await new Promise((r) => setTimeout(r, 100)); } })();
    // BURST_PROF=dir also profiles the page (page-*.cpuprofile) from the burst until the UI shows the last.
    const cdp = process.env.BURST_PROF ? await page.context().newCDPSession(page) : null;
    if (cdp) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.start'); }
    const traceDir = process.env.BURST_TRACE;
    if (traceDir) {
      await browser.startTracing(page, { path: join(traceDir, `page-${view}-${Date.now()}.json`), screenshots: false,
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'latencyInfo', 'disabled-by-default-devtools.timeline.frame'] });
    }
    // BURST_CALLS=1: the page's requests to core while the burst is delivered, by method (read off its WebSocket).
    const calls = new Map<string, number>();
    const received = new Map<string, [number, number]>();
    // BURST_CALLS=1 BURST_TIMELINE=1: when, from the page's start, each request went out (P a message page, v previews,
    // other methods by their first letter) and each trace batch came in (B pushed, N a notice, with its last seq).
    const timeline: string[] = [];
    const t0 = performance.now();
    const net = process.env.BURST_CALLS ? await page.context().newCDPSession(page) : null;
    if (net) {
      await net.send('Network.enable');
      net.on('Network.webSocketFrameSent', (m: { response: { payloadData: string } }) => {
        const method = /"method":"([^"]+)"/.exec(m.response.payloadData)?.[1];
        if (method) calls.set(method, (calls.get(method) ?? 0) + 1);
        if (process.env.BURST_TIMELINE && method) timeline.push(`${Math.round(performance.now() - t0)}:${method === 'traceMessagePage' ? 'P' : method === 'payloadPreview' ? 'v' : method[0]}`);
      });
      // And what core sends the page meanwhile: frames and bytes by kind (an answer, or an event by name).
      net.on('Network.webSocketFrameReceived', (m: { response: { payloadData: string } }) => {
        const d = m.response.payloadData;
        const kind = /^\{"t":"(res|evt)"(?:,"name":"([^"]+)")?/.exec(d);
        const k = kind ? (kind[2] ? `${kind[1]} ${kind[2]}` : kind[1]) : 'other';
        if (process.env.BURST_TIMELINE && k === 'evt traceBatch') timeline.push(`${Math.round(performance.now() - t0)}:${d.includes('"frames":[]') ? 'N' : 'B'}${/"toSeq":(\d+)/.exec(d)?.[1] ?? ''}`);
        const was = received.get(k) ?? [0, 0];
        received.set(k, [was[0] + 1, was[1] + d.length]);
      });
    }
    if (process.env.BURST_NOPAGE) {
      // The window's session stays subscribed in core; only the page goes: what the session alone costs the broker.
      clicking = false;
      await clicks;
      await page.close();
      await settle(500);
      const r = await burst(port, n, false, proc.pid);
      return { ...r, uiMs: 0, count: n, slowInputs: [], maxInput: 0, maxTask: 0, longTasks: 0, p99Frame: 0, p99Work: 0, heapMiB: 0 };
    }
    const burstAt = await page.evaluate(() => performance.now());
    const r = await burst(port, n, false, proc.pid);
    if (net) { console.error('page calls during the burst', JSON.stringify(Object.fromEntries(calls)), 'received [frames, chars]', JSON.stringify(Object.fromEntries(received))); if (!process.env.BURST_TIMELINE) await net.detach(); }
    if (process.env.BURST_INPUTS) console.error(`burst published at page time ${Math.round(burstAt)}; ended after ${Math.round(performance.now() - r.start)} ms`);
    // The Trace view's own count moves until the trace has all; the message count is read in the Messages view.
    const frames = () => page.evaluate(() => Number(document.querySelector('[data-testid="trace-count"]')?.getAttribute('data-count')));
    if (view === 'trace') {
      for (let last = -1, now = await frames(); now !== last; last = now, now = await frames()) await new Promise((res) => setTimeout(res, 3000));
    }
    const shown = () => page.evaluate(() => Number(document.querySelector('[data-testid="msg-count"]')?.getAttribute('data-count')));
    let seenDuring: unknown = null;
    if (view === 'trace') {
      // Stop clicking first: the same spot in the Messages view is one of its controls.
      clicking = false;
      await clicks;
      seenDuring = await page.evaluate('window.__burst()');
      await page.getByTestId('nav-messages').click();
    }
    // Read the count every 100 ms (one small evaluation in the page), so the time is right to about that; a
    // burst the UI lost part of is reported when the count has not moved for 3 s, not waited on forever.
    let count = await shown();
    let movedAt = performance.now();
    while (count < n + WARM) {
      await new Promise((res) => setTimeout(res, 100));
      const now = await shown();
      if (now !== count) { count = now; movedAt = performance.now(); } else if (performance.now() - movedAt > 3000) break;
    }
    if (!Number.isFinite(count)) throw new Error('the Messages view is not showing: no message count to read');
    const uiMs = movedAt - r.start;
    if (process.env.BURST_TIMELINE) console.error('burst at', Math.round(r.start - t0), 'sub done', Math.round(r.start - t0 + r.subscriberMs), 'ui shows last', Math.round(movedAt - t0), timeline.join(' '));
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      await mkdir(process.env.BURST_PROF!, { recursive: true });
      await writeFile(join(process.env.BURST_PROF!, `page-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    }
    if (traceDir) await browser.stopTracing();
    clicking = false;
    await clicks;
    const seen = await page.evaluate('window.__burst()') as { slowInputs: unknown[]; maxInput: number; maxTask: number; longTasks: number; p99Frame: number; p99Work: number };
    // The page's live heap: after a full GC (what the page holds, not garbage a GC has not reached yet).
    const heapCdp = await page.context().newCDPSession(page);
    await heapCdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await heapCdp.send('Runtime.getHeapUsage');
    await heapCdp.detach();
    // BURST_INPUTS=1: the clicks that took > 100 ms (page time, duration, type, delay before handling).
    if (process.env.BURST_INPUTS) console.error('slow inputs', JSON.stringify(((seenDuring ?? seen) as typeof seen).slowInputs), 'frames > 50 ms apart [page time, gap]', JSON.stringify(((seenDuring ?? seen) as { longFrames?: unknown }).longFrames), 'frame work at 50/90/95/98/99/100 %', JSON.stringify(((seenDuring ?? seen) as { workPct?: unknown }).workPct), 'of', ((seenDuring ?? seen) as { frames?: number }).frames, 'over 16.7 ms:', ((seenDuring ?? seen) as { over?: number }).over);
    return { ...r, uiMs, count: count - WARM, ...((seenDuring ?? seen) as typeof seen), heapMiB: usedSize / 2 ** 20 };
  } finally {
    await browser.close();
    proc.kill('SIGTERM');
  }
}

/** In the page: animation-frame gaps and Event Timing durations of clicks (input → next paint). */
async function watchPage(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const gaps = []; let last = performance.now(); let maxInput = 0; let maxTask = 0; let longTasks = 0;
    const longFrames = []; // [page time, gap] of animation frames more than 50 ms apart: a p99 does not show one freeze
    // A frame's work: from its start (the rAF time) until the task posted in rAF runs, which is after the
    // frame's style, layout, paint and commit (and after whatever delayed the frame's start). Frame intervals
    // are whole vsyncs (16.7 ms at 60 Hz) however little a frame took; this says how much of one it used.
    const work = []; let frameAt = 0;
    const after = new MessageChannel();
    after.port1.onmessage = () => { work.push(performance.now() - frameAt); };
    const tick = (t) => { gaps.push(t - last); if (t - last > 50) longFrames.push([Math.round(t), Math.round(t - last)]); last = t; frameAt = t; after.port2.postMessage(0); requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const slowInputs = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) { maxInput = Math.max(maxInput, e.duration); if (e.duration > 100) slowInputs.push([Math.round(e.startTime), Math.round(e.duration), e.name, Math.round(e.processingStart - e.startTime)]); } })
      .observe({ type: 'event', durationThreshold: 16, buffered: false });
    // Long tasks (> 50 ms) on the page's main thread while the burst arrives.
    new PerformanceObserver((l) => { for (const e of l.getEntries()) { longTasks++; maxTask = Math.max(maxTask, e.duration); } })
      .observe({ type: 'longtask', buffered: false });
    window.__burst = () => {
      const s = gaps.slice().sort((a, b) => a - b);
      const w = work.slice().sort((a, b) => a - b);
      return { slowInputs, maxInput, maxTask, longTasks, p99Frame: s[Math.floor(s.length * 0.99)] ?? 0, p99Work: w[Math.floor(w.length * 0.99)] ?? 0, workPct: [0.5, 0.9, 0.95, 0.98, 0.99, 1].map((q) => Math.round(10 * (w[Math.min(w.length - 1, Math.floor(w.length * q))] ?? 0)) / 10), frames: w.length, over: w.filter((x) => x > 16.7).length, longFrames };
    };
  })()`);
}

/**
 * A ratio of two brokers' figures: the median of the per-round ratios (each round runs every broker once, one
 * after the other), with their range when there are several: a quotient of two medians let one broker's
 * swing between rounds (±20 % on this machine) move it, though each round compares like with like.
 */
function ratio(a: { subscriberMs: number; cpuMs: number }[], b: { subscriberMs: number; cpuMs: number }[], k: 'subscriberMs' | 'cpuMs'): string {
  const rs = a.map((r, i) => r[k] / b[i][k]).sort((x, y) => x - y);
  const mid = rs[Math.floor(rs.length / 2)].toFixed(2) + '×';
  return rs.length > 1 ? `${mid} (${rs[0].toFixed(2)}–${rs[rs.length - 1].toFixed(2)})` : mid;
}

/** Interleaved runs (this machine is shared: one run is noisy); each cell is the median of its runs, a ratio the median of per-round ratios. */
export async function burstTable(n = 50_000, runs = 1, onlyUi = false, view: View = 'messages'): Promise<string[][]> {
  const hs = []; const h2s = []; const uis: Awaited<ReturnType<typeof withUi>>[] = []; const qs = [];
  // The page measured is the current code's (as `npm run web` and `npm test` make sure): rebuilt if stale.
  if (!process.env.BURST_STATIC) execFileSync(process.execPath, ['build/build-renderer.mjs', '--if-stale'], { cwd: root, stdio: 'inherit' });
  for (let k = 0; k < runs; k++) {
    if (!onlyUi) hs.push(await headless(n));
    if (!onlyUi) h2s.push(await headless(n, true));
    uis.push(await withUi(n, view));
    if (!onlyUi) qs.push(await mosquitto(n));
  }
  const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const f = (x: number) => x.toFixed(0);
  const h = med(hs.map((r) => r.subscriberMs));
  const h2 = med(h2s.map((r) => r.subscriberMs));
  const ui = (k: 'subscriberMs' | 'cpuMs' | 'uiMs' | 'maxInput' | 'p99Frame' | 'p99Work' | 'longTasks' | 'maxTask' | 'heapMiB') => med(uis.map((r) => Number(r[k])));
  const lost = uis.find((r) => r.count < n);
  const hc = med(hs.map((r) => r.cpuMs));
  const h2c = med(h2s.map((r) => r.cpuMs));
  const uiRow = [(process.env.BURST_NOPAGE ? 'web host, its session subscribed, page closed' : 'web host, UI open on the burst') + (view === 'trace' ? ' (Trace view)' : '') + (WARM ? `, after ${WARM} warm-up` : ''), f(ui('subscriberMs')), f(ui('cpuMs')), lost ? `${lost.count} of ${n} shown` : f(ui('uiMs')), f(ui('maxInput')), `${ui('p99Frame').toFixed(1)} / ${ui('p99Work').toFixed(1)}`, `${f(ui('longTasks'))} / ${f(ui('maxTask'))}`, f(ui('heapMiB'))];
  if (onlyUi) return [uiRow];
  return [
    ['mosquitto', f(med(qs.map((r) => r.subscriberMs))), '', '', '', '', '', ''],
    ['mqscope broker (headless)', f(h), f(hc), '', '', '', '', ''],
    ['mqscope broker (headless), a 2nd subscriber', f(h2), f(h2c), '', '', '', '', ''],
    uiRow,
    ['UI open / headless', ratio(uis, hs, 'subscriberMs'), ratio(uis, hs, 'cpuMs'), '', '', '', '', ''],
    ['UI open / headless with a 2nd subscriber', ratio(uis, h2s, 'subscriberMs'), ratio(uis, h2s, 'cpuMs'), '', '', '', '', ''],
  ];
}

export const BURST_HEAD = ['broker', 'external sub has all (ms)', 'broker CPU until then (ms)', 'UI shows last (ms)', 'max input (ms)', 'p99 frame: interval / work (ms)', 'long tasks / longest (ms)', 'page heap after GC (MiB)'];

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--n');
  const r = process.argv.indexOf('--runs');
  const o = process.argv.indexOf('--only');
  const v = process.argv.indexOf('--view');
  const rows = await burstTable(i > 0 ? Number(process.argv[i + 1]) : 50_000, r > 0 ? Number(process.argv[r + 1]) : 1,
    o > 0 ? process.argv[o + 1] === 'ui' : false, v > 0 && process.argv[v + 1] === 'trace' ? 'trace' : 'messages');
  const w = BURST_HEAD.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  console.log('| ' + BURST_HEAD.map((h, k) => h.padEnd(w[k])).join(' | ') + ' |');
  console.log('|' + w.map((x, k) => (k === 0 ? '-'.repeat(x + 2) : '-'.repeat(x + 1) + ':')).join('|') + '|');
  for (const r of rows) console.log('| ' + r.map((c, k) => (k === 0 ? c.padEnd(w[k]) : c.padStart(w[k]))).join(' | ') + ' |');
  process.exit(0);
}
