// Searches without a display filter (text, topic filter, connections) are scanned in slices like filtered
// ones, and a caller refreshing the same query over a live capture (`since`) gets only the new matches
// with a count that stays exact as frames are added, evicted and cleared.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import type { TraceQuery } from '../../shared/contract/types';
import { FilterQueries } from '../../electron/core/trace/filter-query';
import { Framer } from '../../electron/core/trace/framer';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';

const v5 = () => ({ protocolVersion: 5 as const });
const ctx = (id: number): ConnCtx => ({ id, clientSide: false, version: 5, sawConnect: true, imported: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} });
const publish = (topic: string, payload: string | Buffer) =>
  mqttPacket.generate({ cmd: 'publish', topic, payload: typeof payload === 'string' ? Buffer.from(payload) : payload, qos: 0, retain: false, dup: false } as mqttPacket.Packet, { protocolVersion: 5 });

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = Math.imul(a ^ (a >>> 15), a | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

test('a text search over a large store yields to the event loop while it scans, and finds every match', async () => {
  const store = new TraceStore(512 * 2 ** 20);
  const f = new Framer(store, ctx(1), false);
  const plain = publish('plant/a', '{"t":21.5,"unit":"C"}');
  const hit = publish('plant/b', '{"fault":"OverHeat"}');
  for (let i = 0; i < 300_000; i++) f.feed(i % 1000 === 7 ? hit : plain);
  let ticks = 0;
  let done = false;
  const tick = () => { if (!done) { ticks++; setImmediate(tick); } };
  setImmediate(tick);
  const r = await new FilterQueries().run(store, v5, { text: 'overheat', order: 'backward', limit: 5 });
  done = true;
  assert.ok(ticks >= 5, `only ${ticks} other turns of the event loop ran during the search`);
  assert.equal(r.matching, 300);
  assert.deepEqual(r.frames.map((x) => x.seq), [299_007, 298_007, 297_007, 296_007, 295_007]);
});

test('text search: ASCII letters match either case on the payload bytes; other text as typed or lower-cased', async () => {
  const store = new TraceStore();
  const f = new Framer(store, ctx(1), false);
  const payloads = ['ALARM raised', 'alarm', 'no match', 'Ünïcode ÉTÉ', 'été', Buffer.from([0xff, 0x41, 0x4c, 0x41, 0x52, 0x4d]), '100%'];
  for (const p of payloads) f.feed(publish('t/x', p));
  f.feed(publish('Alarms/topic', 'x'));
  const q = new FilterQueries();
  const seqs = async (text: string) => (await q.run(store, v5, { text })).frames.map((x) => x.seq);
  assert.deepEqual(await seqs('alarm'), [0, 1, 5, 7], 'either case, binary payload bytes too, and the topic');
  assert.deepEqual(await seqs('AlArM RAISED'), [0]);
  assert.deepEqual(await seqs('été'), [3, 4], 'non-ASCII text is compared lower-cased');
  assert.deepEqual(await seqs('0%'), [6]);
  assert.deepEqual(await seqs('nowhere'), []);
});

/** What the store holds now that matches: the reference a refreshed count must equal. */
function truth(store: TraceStore, keep: (topic: string, payload: string) => boolean): number[] {
  const out: number[] = [];
  for (let s = store.firstSeq; s < store.nextSeq; s++) {
    const p = store.payloadOf(s);
    if (p && keep(store.topicOf(s)!, p.toString())) out.push(s);
  }
  return out;
}

test('refresh with since: only new matches come back, and the count stays exact through eviction and Clear', async () => {
  for (const seed of [1, 2, 3]) {
    const r = rng(seed);
    const store = new TraceStore(3 * 2 ** 20); // small: slabs of frames are evicted as the capture goes on
    const f = new Framer(store, ctx(1), false);
    const queries = new FilterQueries();
    const cases: [TraceQuery, (topic: string, payload: string) => boolean][] = [
      [{ text: 'hot', caller: 'text' }, (t, p) => t.toLowerCase().includes('hot') || p.toLowerCase().includes('hot')],
      [{ filter: 'topic matches "s/+/temp" && payload contains "9"', caller: 'filter' }, (t, p) => /^s\/[^/]+\/temp$/.test(t) && p.includes('9')],
      [{ topicFilter: 's/2/#', caller: 'topic' }, (t) => t.startsWith('s/2/')],
    ];
    const since = new Map<string, number>();
    const seen = new Map<string, number[]>();
    let evictingRefreshes = 0;
    let evictedBefore = 0;
    for (let round = 0; round < 12; round++) {
      const n = Math.floor(r() * 4000);
      for (let i = 0; i < n; i++) f.feed(publish(`s/${Math.floor(r() * 4)}/${r() < 0.5 ? 'temp' : 'rpm'}`, `${r() < 0.1 ? 'HOT ' : ''}${Math.floor(r() * 1000)} #${round}.${i}`.padEnd(400, '.')));
      if (round === 7) store.clear();
      if (round > 0 && round !== 7 && store.stats().evictedFrames > evictedBefore && store.firstSeq % 256 !== 0) evictingRefreshes++;
      evictedBefore = store.stats().evictedFrames;
      for (const [q0, keep] of cases) {
        const q: TraceQuery = { ...q0, order: 'backward', limit: 100_000 };
        const prev = since.get(q0.caller!);
        if (prev !== undefined) q.since = prev;
        const res = await queries.run(store, v5, q);
        const want = truth(store, keep);
        assert.equal(res.matching, want.length, `seed ${seed} round ${round} ${q0.caller}: count`);
        assert.equal(res.continued, prev !== undefined, `seed ${seed} round ${round} ${q0.caller}: continued`);
        const got = res.frames.map((x) => x.seq).reverse();
        // The caller's list: what it had, minus the evicted, plus what came back.
        const list = (res.continued ? (seen.get(q0.caller!) ?? []).filter((s) => s >= store.firstSeq) : []).concat(got);
        assert.deepEqual(list, want, `seed ${seed} round ${round} ${q0.caller}: the list built from refreshes`);
        if (res.continued) assert.ok(got.every((s) => s >= prev!), 'a refresh returns only frames at or after since');
        seen.set(q0.caller!, list);
        since.set(q0.caller!, res.scannedTo!);
      }
    }
    assert.ok(store.stats().evictedFrames > 10_000, `the rounds evicted ${store.stats().evictedFrames} frames`);
    assert.ok(evictingRefreshes >= 3, `${evictingRefreshes} refreshes continued over frames evicted since the last one`);
  }
});

test('a refresh that does not continue the caller\'s last query gets the whole answer', async () => {
  const store = new TraceStore();
  const f = new Framer(store, ctx(1), false);
  for (let i = 0; i < 100; i++) f.feed(publish('a/b', i % 2 ? 'odd' : 'even'));
  const queries = new FilterQueries();
  const first = await queries.run(store, v5, { text: 'odd', caller: 'list' });
  assert.equal(first.continued, false);
  for (let i = 0; i < 10; i++) f.feed(publish('a/b', 'odd'));
  const other = await queries.run(store, v5, { text: 'even', caller: 'list', since: first.scannedTo });
  assert.equal(other.continued, false, 'different conditions: not a continuation');
  assert.equal(other.matching, 50);
  const stale = await queries.run(store, v5, { text: 'even', caller: 'list', since: 3 });
  assert.equal(stale.continued, false, 'since is not where the last answer ended');
  const cont = await queries.run(store, v5, { text: 'even', caller: 'list', since: stale.scannedTo });
  assert.equal(cont.continued, true);
  assert.equal(cont.matching, 50);
  assert.deepEqual(cont.frames, []);
});
