// A display filter with more matches than the list ever held whole (the old limit was the newest 50,000): the
// first answer carries the count and a screen of rows, and scrolling to the middle and to the oldest end
// shows exactly the frames core holds at those ranks (rows on their way show as "loading", never as others).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import type { TraceQuery } from '../../shared/contract/types';
import type { TraceListPageParams, TraceListPageResult, TraceListResult } from '../../shared/contract/list-pages';
import { startE2E, type E2E } from './harness';
import { BrokerPage } from './pages/BrokerPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { MessagesPage } from './pages/MessagesPage';
import { TracePage } from './pages/TracePage';

const HOT = 60_000;
let e: E2E;
before(async () => { e = await startE2E(); });
after(async () => { await e?.close(); });

test('a filtered list of 60,000 matches pages: the middle and the oldest end show exactly the frames core holds at those ranks', async () => {
  const { page } = e;
  const core = e.host.core;
  const broker = new BrokerPage(page);
  await broker.start();
  const port = await broker.tcpPort();
  // One frame in five does not match, so ranks and frame numbers differ.
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'pager', protocolVersion: 4 });
  let hot = 0;
  for (let i = 0; hot < HOT; i++) {
    const isHot = i % 5 !== 0;
    if (isHot) hot++;
    client.publish(isHot ? 'pg/hot' : 'pg/cold', `reading ${i}`, { qos: 0 });
    if (i % 2000 === 0) await new Promise((ok) => setImmediate(ok));
  }
  await client.endAsync();
  const filter = 'topic == "pg/hot"';
  // What core holds: every match, oldest first (the broker tap's PUBLISH frames).
  const truth = async () => (await core.traceQuery({ filter, limit: 100_000 })).frames.map((f) => f.seq);
  let want = await truth();
  for (let tries = 0; want.length < HOT && tries < 100; tries++) { await new Promise((ok) => setTimeout(ok, 100)); want = await truth(); }
  assert.equal(want.length, HOT, 'the broker recorded every PUBLISH');

  const lists: { q: TraceQuery; r: TraceListResult }[] = [];
  const pagesAsked: { p: TraceListPageParams; r: TraceListPageResult }[] = [];
  const list0 = core.traceList.bind(core);
  const page0 = core.traceListPage.bind(core);
  core.traceList = async (q) => { const r = await list0(q); lists.push({ q, r }); return r; };
  core.traceListPage = async (p) => { const r = await page0(p); pagesAsked.push({ p, r }); return r; };

  const trace = new TracePage(page);
  await trace.open();
  await trace.filter(filter);
  await page.waitForFunction((n) => document.querySelector('[data-testid="trace-matching"]')?.getAttribute('data-count') === String(n), HOT, { timeout: 30_000 });
  assert.doesNotMatch(await page.getByTestId('trace-status').innerText(), /shown/, 'no "newest N shown": nothing is cut off');
  const first = lists.find((l) => l.q.filter === filter)!;
  assert.equal(first.r.matching, HOT);
  assert.ok(first.r.frames.length > 0 && first.r.frames.length <= 500, `the first answer carried ${first.r.frames.length} rows`);

  const vlist = page.getByTestId('trace-vlist');
  /** Rows rendered now: every loaded one must be the match core holds at its place; true when none is loading. */
  const check = async (): Promise<{ rows: number; loading: number; from: number }> => {
    const rows = await page.$$eval('.vrow', (els) => els.map((el) => ({
      index: Number(el.getAttribute('data-index')),
      seq: el.querySelector('[data-testid="trace-row"]')?.getAttribute('data-seq') ?? null,
      loading: !!el.querySelector('[data-testid="trace-row-loading"]'),
    })));
    for (const r of rows) if (r.seq !== null) assert.equal(Number(r.seq), want[r.index], `row ${r.index} shows frame #${r.seq}, core holds #${want[r.index]} there`);
    return { rows: rows.filter((r) => r.seq !== null).length, loading: rows.filter((r) => r.loading).length, from: Math.min(...rows.map((r) => r.index)) };
  };
  for (const [at, where] of [[0.5, 'middle'], [0, 'oldest end'], [0.25, 'a quarter'], [1, 'newest end']] as const) {
    await vlist.evaluate((el, f) => { el.scrollTop = f * (el.scrollHeight - el.clientHeight); }, at);
    let seen = await check();
    const moved = () => Math.abs(seen.from - at * HOT) < 200;
    for (let tries = 0; (seen.loading > 0 || seen.rows < 10 || !moved()) && tries < 200; tries++) {
      await page.waitForTimeout(50);
      seen = await check(); // placeholders while the page is on its way, never other rows
    }
    assert.equal(seen.loading, 0, `${where}: rows still loading`);
    assert.ok(seen.rows >= 10, `${where}: ${seen.rows} rows shown`);
    assert.ok(moved(), `${where}: the list shows rows from ${seen.from}`);
  }
  // The pages asked for were pages, not the list: each at most 1000 rows, all answered by rank.
  assert.ok(pagesAsked.length >= 2, `${pagesAsked.length} pages asked`);
  assert.ok(pagesAsked.every((a) => a.p.count <= 1000 && a.r.frames.length <= a.p.count));
  assert.ok(pagesAsked.some((a) => (a.p.rank ?? 0) > HOT - 1200), 'the oldest end came by rank');

  // Keyboard: a click on a row of the middle, then ArrowDown selects the next match.
  await vlist.evaluate((el) => { el.scrollTop = 0.5 * (el.scrollHeight - el.clientHeight); });
  // Wait for the list to have moved there (the newest end's rows are loaded too) and loaded its rows.
  await page.waitForFunction((mid) => {
    const first = Math.min(...[...document.querySelectorAll('.vrow')].map((el) => Number(el.getAttribute('data-index'))));
    return Math.abs(first - mid) < 200 && document.querySelectorAll('[data-testid="trace-row-loading"]').length === 0 && document.querySelectorAll('[data-testid="trace-row"]').length > 10;
  }, HOT / 2);
  // A row in view (the first 8 rendered are overscan above it: clicking one would scroll the list first).
  const row = page.locator('.vrow').filter({ has: page.getByTestId('trace-row') }).nth(12);
  const index = Number(await row.getAttribute('data-index'));
  await row.click();
  await page.locator(`.vrow.selected[data-index="${index}"] [data-testid="trace-row"][data-seq="${want[index]}"]`).waitFor();
  await page.keyboard.press('ArrowDown');
  await page.locator(`.vrow.selected[data-index="${index + 1}"] [data-testid="trace-row"][data-seq="${want[index + 1]}"]`).waitFor();
  await page.getByTestId('frame-inspector').waitFor();

  // Go to a frame number near the oldest end: core finds its rank, the row is selected and scrolled to.
  // A frame just after a non-matching one, asked for by that one's number: the first match at or after it.
  let target = 1234;
  while (want[target - 1] === want[target] - 1) target++;
  await page.getByTestId('trace-goto').fill(`#${want[target] - 1}`);
  await page.getByTestId('trace-goto').press('Enter');
  await page.locator(`.vrow.selected[data-index="${target}"] [data-testid="trace-row"][data-seq="${want[target]}"]`).waitFor();

  // Clear with the filter on: the list empties; new matches list from the start, as core holds them.
  await trace.clear();
  await page.waitForFunction(() => document.querySelector('[data-testid="trace-matching"]')?.getAttribute('data-count') === '0', undefined, { timeout: 30_000 });
  const again = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'pager-2', protocolVersion: 4 });
  for (let i = 0; i < 30; i++) again.publish(i % 3 ? 'pg/hot' : 'pg/cold', `after ${i}`, { qos: 0 });
  await again.endAsync();
  let after: number[] = [];
  for (let tries = 0; after.length < 20 && tries < 100; tries++) { await new Promise((ok) => setTimeout(ok, 100)); after = await truth(); }
  assert.equal(after.length, 20);
  await page.waitForFunction((n) => document.querySelector('[data-testid="trace-matching"]')?.getAttribute('data-count') === String(n), 20, { timeout: 30_000 });
  await page.waitForFunction((w) => {
    const rows = [...document.querySelectorAll('[data-testid="trace-vlist"] .vrow')].map((el) => Number(el.querySelector('[data-testid="trace-row"]')?.getAttribute('data-seq') ?? -1));
    return rows.length === w.length && rows.every((s, i) => s === w[i]);
  }, after, { timeout: 30_000 });

  core.traceList = list0;
  core.traceListPage = page0;
  assert.deepEqual(e.errors, []);
});

test('the Messages search over 21,000 matches (the old limit was 20,000) pages: the middle and the oldest end are the messages core holds there', async () => {
  const { page } = e;
  const core = e.host.core;
  const status = await core.brokerStatus();
  const running = status.state === 'running' ? status : await core.brokerStart({});
  const port = running.listeners.find((l) => l.kind === 'tcp')!.port;
  const c = new ConnectionsPage(page);
  const m = new MessagesPage(page);
  await c.open();
  await c.select('Local broker');
  await c.connect();
  await m.waitConnected();
  await m.subscribe('ms/#', 0);
  const N = 28_000;
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'searcher', protocolVersion: 4 });
  for (let i = 0; i < N; i++) {
    client.publish(`ms/${i % 3}`, i % 4 ? `hot ${i}` : `cold ${i}`, { qos: 0 });
    if (i % 2000 === 0) await new Promise((ok) => setImmediate(ok));
  }
  await client.endAsync();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="msg-count"]')?.getAttribute('data-count')) === n, N, { timeout: 60_000 });
  const session = (await core.sessionList()).find((s) => s.state === 'connected')!;
  const want = (await core.traceQuery({ conns: session.conns, side: 'client', dir: 's2c', types: ['PUBLISH'], kinds: ['packet'], text: 'hot', limit: 100_000 })).frames.map((f) => f.seq);
  assert.equal(want.length, N * 3 / 4);

  await page.getByTestId('msg-search').fill('hot');
  await page.getByTestId('msg-search-count').filter({ hasText: /^ · 21,000 match$/ }).waitFor({ timeout: 30_000 });
  const vlist = page.getByTestId('msg-vlist');
  const seen = async () => {
    const rows = await page.$$eval('[data-testid="msg-vlist"] .vrow', (els) => els.map((el) => ({
      index: Number(el.getAttribute('data-index')),
      seq: el.querySelector('[data-testid="msg-row"]')?.getAttribute('data-seq') ?? null,
      loading: !!el.querySelector('[data-testid="msg-row-loading"]'),
    })));
    for (const r of rows) if (r.seq !== null) assert.equal(Number(r.seq), want[r.index], `message row ${r.index}`);
    return { rows: rows.filter((r) => r.seq !== null).length, loading: rows.filter((r) => r.loading).length, from: Math.min(...rows.map((r) => r.index)) };
  };
  for (const at of [0.5, 0]) {
    await vlist.evaluate((el, f) => { el.scrollTop = f * (el.scrollHeight - el.clientHeight); }, at);
    let s = await seen();
    const moved = () => Math.abs(s.from - at * want.length) < 200;
    for (let tries = 0; (s.loading > 0 || s.rows < 5 || !moved()) && tries < 200; tries++) { await page.waitForTimeout(50); s = await seen(); }
    assert.equal(s.loading, 0);
    assert.ok(s.rows >= 5 && moved(), `at ${at}: ${s.rows} rows from ${s.from}`);
  }
  assert.deepEqual(e.errors, []);
});
