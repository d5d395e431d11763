// Filtered lists that page (issue 11): the first screen of a filtered list (count scan + newest 300 rows) and
// a page in its middle, through the contract's traceList/traceListPage on a real core at 1 M frames, against
// the list as it was before (the newest 50,000 matches in one traceQuery answer), interleaved in one run.
// Each figure includes packing the answer for the wire and JSON.stringify (what rpc.ts sends).
// Goal (not asserted): ≤ 300 ms each at 1 M.
//   npx tsx test/bench/list-pages-bench.ts [--frames 1000000]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceQuery } from '../../shared/contract/types';
import { packFrameList } from '../../shared/contract/frame-columns';
import { createCore } from '../../electron/core/core';
import { syntheticTrace } from './synthetic-trace';

const framesArg = process.argv.indexOf('--frames');
const FRAMES = framesArg > 0 ? Number(process.argv[framesArg + 1]) : 1_000_000;
const TRIALS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'mqscope-lpbench-')), budgetBytes: 3 * 2 ** 30 });
const store = core.recorder.store;
syntheticTrace(store)(FRAMES); // the query bench's frames

/** Wall and CPU ms of `f`, the answer packed and stringified as rpc.ts sends it; and its size. */
async function timed(f: () => Promise<unknown>): Promise<{ wall: number; cpu: number; bytes: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = await f();
  const bytes = JSON.stringify({ t: 'res', id: 1, ok: true, result: packFrameList(r) }).length;
  const d = process.cpuUsage(c);
  return { wall: performance.now() - t, cpu: (d.user + d.system) / 1000, bytes };
}

const LISTS: [string, TraceQuery][] = [
  ['topic filter', { filter: 'topic == "plant/line1/temp"' }],
  ['text search, rare', { text: 'overheat' }],
  ['type filter, common', { filter: 'type == PUBLISH' }],
];

let callers = 0;
const rows: string[][] = [];
for (const [name, cond] of LISTS) {
  await core.traceQuery({ ...cond, limit: 1, caller: 'warm' }); // indexes the frames once, as the batch tick would have
  const old: Awaited<ReturnType<typeof timed>>[] = [];
  const first: Awaited<ReturnType<typeof timed>>[] = [];
  const middle: Awaited<ReturnType<typeof timed>>[] = [];
  let matching = 0;
  for (let t = 0; t < TRIALS; t++) {
    // Interleaved: the list as it was (newest 50,000 in one answer), then as it is (a screen, then a page).
    old.push(await timed(() => core.traceQuery({ ...cond, order: 'backward', limit: 50_000, caller: `old-${callers++}` })));
    const caller = `new-${callers++}`;
    let upTo = 0;
    first.push(await timed(async () => { const r = await core.traceList({ ...cond, order: 'backward', limit: 300, caller }); matching = r.matching; upTo = r.scannedTo!; return r; }));
    middle.push(await timed(() => core.traceListPage({ ...cond, caller, upTo, rank: Math.floor(matching / 2), count: 300 })));
  }
  const row = (what: string, xs: Awaited<ReturnType<typeof timed>>[]) =>
    [fmt(FRAMES), name, fmt(matching), what, fmt(median(xs.map((x) => x.wall))), fmt(median(xs.map((x) => x.cpu))), fmt(median(xs.map((x) => x.bytes)) / 1024, 1)];
  rows.push(row('before: newest 50,000 in one answer', old), row('filtered list: first screen (count + 300 rows)', first), row('filtered list: page in the middle (300 rows)', middle));
}

console.log(`MQScope filtered-list paging bench — ${new Date().toISOString()} — ${fmt(FRAMES)} frames, medians of ${TRIALS} interleaved trials, loadavg ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
console.log('| frames | list | matching | answer | wall ms | CPU ms | JSON KiB |');
console.log('|--:|---|--:|---|--:|--:|--:|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
await core.dispose();
process.exit(0);
