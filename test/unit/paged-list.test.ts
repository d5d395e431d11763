// The renderer's paged list against core's real FilterPages: whatever was refreshed, evicted or asked for in
// between, a loaded row i is the match core held at place i when the list was last counted (never another),
// and the rows wanted end up loaded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import type { TraceQuery } from '../../shared/contract/types';
import { FilterQueries } from '../../electron/core/trace/filter-query';
import { FilterPages } from '../../electron/core/trace/filter-pages';
import { Framer } from '../../electron/core/trace/framer';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';
import { PagedList, PAGE_MARGIN } from '../../renderer/features/trace/paged-list';

const v5 = () => ({ protocolVersion: 5 as const });
const ctx = (id: number): ConnCtx => ({ id, clientSide: false, version: 5, sawConnect: true, imported: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} });
const publish = (topic: string, payload: string) =>
  mqttPacket.generate({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false } as mqttPacket.Packet, { protocolVersion: 5 });

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = Math.imul(a ^ (a >>> 15), a | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

const settle = async () => { for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); };

test('a paged list shows only the rows core holds at their places, through refreshes, eviction, Clear and pages in flight', async () => {
  for (const seed of [21, 22]) {
    const r = rng(seed);
    const store = new TraceStore(3 * 2 ** 20);
    const f = new Framer(store, ctx(1), false);
    const pages = new FilterPages(new FilterQueries());
    const cond = { text: 'hot', caller: 'list' };
    const errors: Error[] = [];
    // A page is answered when asked (against the snapshot it names) but delivered when the test releases it,
    // so a refresh can land while it is on its way.
    let held: (() => void)[] = [];
    const release = () => { const h = held; held = []; h.forEach((go) => go()); };
    const list = new PagedList((p) => {
      const answer = pages.page(store, v5, { ...cond, ...p });
      return new Promise((ok, fail) => held.push(() => answer.then(ok, fail)));
    }, (e) => errors.push(e));
    const feed = (n: number) => { for (let i = 0; i < n; i++) f.feed(publish(`s/${Math.floor(r() * 4)}`, `${r() < 0.3 ? 'HOT ' : ''}${i}`.padEnd(300, '.'))); };
    let since: number | undefined;
    /** Matches below the list's snapshot when it was counted: row i must be list[i] (or not loaded). */
    let counted: number[] = [];
    const refresh = async () => {
      const q: TraceQuery = { ...cond, order: 'backward', limit: 40 };
      if (since !== undefined) q.since = since;
      const res = await pages.refresh(store, v5, q);
      since = res.scannedTo;
      counted = [];
      for (let s = store.firstSeq; s < res.scannedTo!; s++) if (`${store.topicOf(s)} ${store.payloadOf(s)}`.toLowerCase().includes('hot')) counted.push(s);
      list.applyRefresh(res);
    };
    const check = (what: string) => {
      assert.equal(list.count, counted.length, `${what}: count`);
      let loaded = 0;
      for (let i = 0; i < list.count; i++) {
        const x = list.get(i);
        if (!x) continue;
        loaded++;
        assert.equal(x.seq, counted[i], `${what}: row ${i}`);
        assert.equal(list.indexOfSeq(x.seq), i);
      }
      return loaded;
    };
    for (let round = 0; round < 8; round++) {
      feed(1000 + Math.floor(r() * 4000));
      if (round === 5) store.clear();
      await refresh();
      check(`seed ${seed} round ${round} after the refresh`);
      // Scroll somewhere, and while that page is on its way frames arrive and the next refresh lands.
      const at = Math.floor(r() * list.count);
      list.want(at, at + 30);
      if (round % 2 === 0) { feed(Math.floor(r() * 3000)); await refresh(); }
      release();
      await settle();
      check(`seed ${seed} round ${round} after a page`);
      for (let k = 0; k < 5; k++) { list.want(at, at + 30); release(); await settle(); }
      check(`seed ${seed} round ${round} after the page was asked again`);
      // Every wanted row that core still holds is loaded.
      for (let i = Math.max(0, at - PAGE_MARGIN); i < Math.min(list.count, at + 30 + PAGE_MARGIN); i++) {
        if (counted[i] >= store.firstSeq) assert.ok(list.get(i), `seed ${seed} round ${round}: row ${i} (#${counted[i]}) loaded`);
      }
    }
    assert.ok(store.stats().evictedFrames > 5000, `evicted ${store.stats().evictedFrames}`);
    assert.deepEqual(errors, []);
  }
});
