// A filtered list that pages: every page by rank (k-th match from the newest below the list's snapshot) is
// compared with a brute-force walk of the store, through new frames, eviction and Clear, and a page scans
// only the chunks that hold its ranks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import type { TraceQuery } from '../../shared/contract/types';
import type { TraceListConditions } from '../../shared/contract/list-pages';
import { FilterQueries } from '../../electron/core/trace/filter-query';
import { FilterPages, matcherOf, Ranks } from '../../electron/core/trace/filter-pages';
import { CHUNK } from '../../electron/core/trace/filter-index';
import { Framer } from '../../electron/core/trace/framer';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';
import { parseParams } from '../../shared/contract/schemas';

const v5 = () => ({ protocolVersion: 5 as const });
const ctx = (id: number): ConnCtx => ({ id, clientSide: false, version: 5, sawConnect: true, imported: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} });
const publish = (topic: string, payload: string) =>
  mqttPacket.generate({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false } as mqttPacket.Packet, { protocolVersion: 5 });

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = Math.imul(a ^ (a >>> 15), a | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

/** Every stored match below upTo, ascending: the reference every page must agree with. */
function truth(store: TraceStore, upTo: number, keep: (topic: string, payload: string) => boolean): number[] {
  const out: number[] = [];
  for (let s = store.firstSeq; s < Math.min(upTo, store.nextSeq); s++) {
    const p = store.payloadOf(s);
    if (p && keep(store.topicOf(s)!, p.toString())) out.push(s);
  }
  return out;
}

const CASES: [TraceListConditions & { caller: string }, (topic: string, payload: string) => boolean][] = [
  [{ text: 'hot', caller: 'text' }, (t, p) => t.toLowerCase().includes('hot') || p.toLowerCase().includes('hot')],
  [{ filter: 'topic matches "s/+/temp" && payload contains "9"', caller: 'filter' }, (t, p) => /^s\/[^/]+\/temp$/.test(t) && p.includes('9')],
  [{ topicFilter: 's/2/#', caller: 'topic' }, (t) => t.startsWith('s/2/')],
];

/** Ranks to probe in a list of n: both ends, around chunk-sized steps, random ones, and past the end. */
function probes(n: number, r: () => number): number[] {
  const out = new Set([0, 1, n - 1, n - 2, n, n + 5, Math.floor(n / 2)]);
  for (let i = 0; i < 12; i++) out.add(Math.floor(r() * (n + 3)));
  return [...out].filter((k) => k >= 0);
}

test('pages by rank equal the brute-force list through new frames, eviction and Clear; added counts the new matches', async () => {
  for (const seed of [11, 12, 13]) {
    const r = rng(seed);
    const store = new TraceStore(3 * 2 ** 20); // small: slabs are evicted as the capture goes on
    const f = new Framer(store, ctx(1), false);
    const queries = new FilterQueries();
    const pages = new FilterPages(queries);
    const snap = new Map<string, { upTo: number; matching: number }>();
    let checked = 0;
    let pagesAfterEviction = 0;
    const feed = (n: number, round: number) => {
      for (let i = 0; i < n; i++) f.feed(publish(`s/${Math.floor(r() * 4)}/${r() < 0.5 ? 'temp' : 'rpm'}`, `${r() < 0.1 ? 'HOT ' : ''}${Math.floor(r() * 1000)} #${round}.${i}`.padEnd(400, '.')));
    };
    for (let round = 0; round < 10; round++) {
      feed(Math.floor(r() * 5000), round);
      if (round === 6) store.clear();
      for (const [cond, keep] of CASES) {
        const prev = snap.get(cond.caller);
        const q: TraceQuery = { ...cond, order: 'backward', limit: 50 };
        if (prev) q.since = prev.upTo;
        const res = await pages.refresh(store, v5, q);
        const all = truth(store, res.scannedTo!, keep);
        assert.equal(res.matching, all.length, `seed ${seed} round ${round} ${cond.caller}: count`);
        const newOnes = prev && res.continued ? all.filter((s) => s >= prev.upTo).length : all.length;
        assert.equal(res.added, newOnes, `seed ${seed} round ${round} ${cond.caller}: added`);
        assert.deepEqual(res.frames.map((x) => x.seq), all.slice(-50).reverse().filter((s) => !prev || !res.continued || s >= prev.upTo),
          `seed ${seed} round ${round} ${cond.caller}: the first screen`);
        snap.set(cond.caller, { upTo: res.scannedTo!, matching: res.matching });
      }
      // Frames go on arriving (and evicting) after the refresh: the pages still answer the list's snapshot.
      const before = store.firstSeq;
      feed(1500 + Math.floor(r() * 3000), round + 100);
      if (store.firstSeq > before) pagesAfterEviction++;
      for (const [cond, keep] of CASES) {
        const { upTo } = snap.get(cond.caller)!;
        const list = truth(store, upTo, keep).reverse(); // newest first: index = rank (evicted ones are gone)
        const evicted = snap.get(cond.caller)!.matching - list.length;
        for (const rank of probes(list.length + evicted, r)) {
          const count = 1 + Math.floor(r() * 300);
          const got = await pages.page(store, v5, { ...cond, upTo, rank, count });
          assert.equal(got.rank, rank);
          assert.deepEqual(got.frames.map((x) => x.seq), list.slice(rank, rank + count), `seed ${seed} round ${round} ${cond.caller}: rank ${rank} count ${count}`);
          checked++;
        }
        for (const at of [store.firstSeq, upTo - 1, Math.floor((store.firstSeq + upTo) / 2), upTo + 10]) {
          const got = await pages.page(store, v5, { ...cond, upTo, seq: at, count: 3 });
          const want = list.filter((s) => s >= at).length - 1;
          assert.equal(got.rank, want, `seed ${seed} round ${round} ${cond.caller}: rank of the first match at or after #${at}`);
          assert.deepEqual(got.frames.map((x) => x.seq), want < 0 ? [] : list.slice(want, want + 3));
        }
        const wall = (s: number) => store.summary(s)!.wallMs;
        for (const s of [store.firstSeq, Math.floor((store.firstSeq + upTo) / 2), upTo - 1]) {
          if (!store.has(s)) continue;
          const got = await pages.page(store, v5, { ...cond, upTo, wallMs: wall(s), count: 2 });
          const want = list.filter((x) => wall(x) >= wall(s)).length - 1;
          assert.equal(got.rank, want, `seed ${seed} round ${round} ${cond.caller}: rank of the first match recorded at or after #${s}'s time`);
        }
      }
    }
    assert.ok(store.stats().evictedFrames > 10_000, `the rounds evicted ${store.stats().evictedFrames} frames`);
    assert.ok(pagesAfterEviction >= 3, `${pagesAfterEviction} rounds paged over frames evicted since the count`);
    assert.ok(checked > 300);
  }
});

test('a page scans only the chunks that hold its ranks, the count scan is not restarted', async () => {
  const store = new TraceStore(512 * 2 ** 20);
  const f = new Framer(store, ctx(1), false);
  for (let i = 0; i < 200_000; i++) f.feed(publish(`m/${i % 7}`, i % 3 === 0 ? `alarm ${i}` : `ok ${i}`));
  const queries = new FilterQueries();
  const pages = new FilterPages(queries);
  const cond = { text: 'alarm', caller: 'list' };
  const first = await pages.refresh(store, v5, { ...cond, order: 'backward', limit: 300 });
  assert.equal(first.matching, Math.ceil(200_000 / 3));
  assert.equal(first.frames.length, 300, 'the first answer carries a screen, not the list');
  const live = queries.liveCountOf('list')!;
  let tested = 0;
  const base = matcherOf(store, v5, cond)!;
  const counting = (s: number) => { tested++; return base(s); };
  const ranks = new Ranks(store, counting, (c) => live.counts.countOf(c), first.scannedTo!);
  const mid = Math.floor(first.matching / 2);
  const seqs = await ranks.collect(mid, 200);
  assert.deepEqual(seqs.slice(0, 3), [0, 1, 2].map((k) => 3 * (first.matching - 1 - mid - k)));
  assert.ok(tested <= 4 * CHUNK, `a page of 200 in the middle tested ${tested} frames`);
  tested = 0;
  assert.deepEqual(await ranks.collect(first.matching - 2, 5), [3, 0], 'the oldest end');
  assert.ok(tested <= 2 * CHUNK, `the oldest page tested ${tested} frames`);
  const again = await pages.page(store, v5, { ...cond, upTo: first.scannedTo!, rank: mid, count: 200 });
  assert.equal(queries.liveCountOf('list'), live, 'paging left the caller\'s counts as they were');
  assert.deepEqual(again.frames.map((x) => x.seq), seqs);
});

test('pages of a list whose conditions changed, or that was never counted, are refused in words', async () => {
  const store = new TraceStore();
  const f = new Framer(store, ctx(1), false);
  for (let i = 0; i < 1000; i++) f.feed(publish('a/b', i % 2 ? 'odd' : 'even'));
  const pages = new FilterPages(new FilterQueries());
  await assert.rejects(() => pages.page(store, v5, { text: 'odd', caller: 'x', upTo: 1000, rank: 0, count: 10 }), /changed since it was counted/);
  const r = await pages.refresh(store, v5, { text: 'odd', caller: 'x', order: 'backward', limit: 10 });
  await assert.rejects(() => pages.page(store, v5, { text: 'even', caller: 'x', upTo: r.scannedTo!, rank: 0, count: 10 }), (e: Error & { code?: string }) => e.code === 'stale');
  assert.deepEqual((await pages.page(store, v5, { text: 'odd', caller: 'x', upTo: r.scannedTo!, rank: 499, count: 10 })).frames.map((x) => x.seq), [1]);
  // Without conditions (an opened file shown whole) nothing is counted: ranks are frame numbers from the end.
  const whole = await pages.page(store, v5, { caller: 'y', upTo: 1000, rank: 10, count: 3 });
  assert.deepEqual(whole.frames.map((x) => x.seq), [989, 988, 987]);
});

test('a page over sparse matches (one per chunk) yields to the event loop while it scans, and finds every row', async () => {
  const store = new TraceStore(512 * 2 ** 20);
  const f = new Framer(store, ctx(1), false);
  for (let i = 0; i < 400_000; i++) f.feed(publish('plant/a', i % 1000 === 7 ? `{"fault":"OverHeat","n":${i}}` : `{"t":21.5,"unit":"C","n":${i}}`));
  const pages = new FilterPages(new FilterQueries());
  const cond = { text: 'overheat', caller: 'sparse' };
  const first = await pages.refresh(store, v5, { ...cond, order: 'backward', limit: 10 });
  assert.equal(first.matching, 400);
  let ticks = 0;
  let done = false;
  const tick = () => { if (!done) { ticks++; setImmediate(tick); } };
  setImmediate(tick);
  const page = await pages.page(store, v5, { ...cond, upTo: first.scannedTo!, rank: 5, count: 395 });
  done = true;
  assert.deepEqual(page.frames.map((x) => x.seq), Array.from({ length: 395 }, (_, k) => (394 - k) * 1000 + 7));
  assert.ok(ticks >= 2, `only ${ticks} other turns of the event loop ran during the page`);
});

test('the list methods\' params are checked and refused in plain words', () => {
  const ok = { caller: 'list', upTo: 100, rank: 0, count: 10 };
  assert.deepEqual(parseParams('traceListPage', ok), ok);
  const refused = (method: 'traceList' | 'traceListPage', p: unknown, says: RegExp) =>
    assert.throws(() => parseParams(method, p), (e: Error & { code?: string }) => e.code === 'bad-params' && says.test(e.message), `${JSON.stringify(p)}`);
  refused('traceListPage', { ...ok, count: 0 }, /count: ask for at least 1 row/);
  refused('traceListPage', { ...ok, count: 5000 }, /at most 1000 rows a page/);
  refused('traceListPage', { ...ok, seq: 5 }, /give one of rank, seq or wallMs/);
  refused('traceListPage', { caller: 'list', upTo: 100, count: 10 }, /give one of rank, seq or wallMs/);
  refused('traceListPage', { ...ok, caller: '' }, /caller is required/);
  refused('traceListPage', { ...ok, upTo: -1 }, /upTo/);
  refused('traceListPage', { ...ok, limit: 3 }, /limit|Unrecognized/i);
  refused('traceList', { text: 'x' }, /caller is required/);
});
