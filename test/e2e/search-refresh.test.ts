// A filled search box or display filter on a live capture: the page keeps the answer current by asking
// core only for what was recorded since its last answer (TraceQuery.since), and what it shows (count and
// rows) equals what core holds. Messages come from mosquitto_pub, a peer nobody here wrote.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TraceQuery } from '../../shared/contract/types';
import type { TraceListResult } from '../../shared/contract/list-pages';
import { run } from '../support/processes';
import { startE2E, type E2E } from './harness';
import { TracePage } from './pages/TracePage';

let e: E2E;
before(async () => { e = await startE2E(); });
after(async () => { await e?.close(); });

test('trace search and display filter refresh from where they ended: count and rows equal core', async () => {
  const { page } = e;
  const core = e.host.core;
  const status = await core.brokerStatus();
  const port = String((status.state === 'running' ? status : await core.brokerStart({})).listeners.find((l) => l.kind === 'tcp')!.port);
  // Every list query (traceList) the page makes, and whether core answered it as a continuation.
  const asked: { q: TraceQuery; r: TraceListResult }[] = [];
  const original = core.traceList.bind(core);
  core.traceList = async (q) => { const r = await original(q); asked.push({ q, r }); return r; };
  const pub = (topic: string, n: number) => run('mosquitto_pub', ['-p', port, '-t', topic, '-q', '1', '-l'], 15000, Array.from({ length: n }, (_, i) => `${topic} reading ${i}`).join('\n') + '\n');
  const trace = new TracePage(page);
  await trace.open();

  for (const [apply, isMatch] of [
    [() => trace.search('HOT'), (q: TraceQuery) => q.text === 'HOT'],
    [async () => { await trace.search(''); await trace.filter('topic == "plant/hot" && dir == in'); }, (q: TraceQuery) => q.filter === 'topic == "plant/hot" && dir == in'],
  ] as const) {
    await pub('plant/hot', 3);
    await apply();
    const truth = async () => isMatch({ text: 'HOT' }) ? (await core.traceQuery({ text: 'HOT', limit: 100000 })).frames.map((f) => f.seq)
      : (await core.traceQuery({ filter: 'topic == "plant/hot" && dir == in', limit: 100000 })).frames.map((f) => f.seq);
    const shows = async (want: number[]) => {
      await page.waitForFunction((n) => document.querySelector('[data-testid="trace-matching"]')?.getAttribute('data-count') === String(n), want.length, { timeout: 15000 });
      await page.waitForFunction((w) => {
        const seen = [...document.querySelectorAll('[data-testid="trace-row"]')].map((r) => Number(r.getAttribute('data-seq')));
        return w.every((s) => seen.includes(s)) && seen.every((s) => w.includes(s));
      }, want, { timeout: 15000 });
    };
    await shows(await truth());
    // More traffic, matching and not: the page catches up with refreshes that continue.
    const before = asked.length;
    for (let round = 0; round < 3; round++) {
      await pub('plant/hot', 2);
      await pub('plant/cold', 4);
      await shows(await truth());
    }
    const refreshes = asked.slice(before).filter((a) => isMatch(a.q) && a.q.since !== undefined);
    assert.ok(refreshes.length >= 1, 'the page refreshed with since');
    assert.ok(refreshes.every((a) => a.r.continued), 'and core continued each from where it ended');
    assert.ok(refreshes.every((a) => a.r.frames.every((f) => f.seq >= a.q.since!)), 'returning only frames recorded since');
    assert.ok(refreshes.every((a) => a.r.added === a.r.frames.length), 'and saying how many matches are new (all of them fit in a screen here)');
  }
  core.traceList = original;
});
