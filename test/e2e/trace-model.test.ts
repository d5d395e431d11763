// The renderer's trace model on its own (no browser): what the core did not push becomes a gap row that
// pages in on demand, while every message in it reaches the message lists at once; in the end the list
// holds exactly the frames the store has, in order, without duplicates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CoreApi } from '../../shared/contract/api';
import type { FrameSummary, TraceQuery, TraceStats } from '../../shared/contract/types';

(globalThis as { requestAnimationFrame?: (cb: () => void) => unknown }).requestAnimationFrame ??= (cb) => setTimeout(cb, 0);
const { TraceModel, FIRST_SCREEN, GAP_PAGE, BURST_PAGE_EVERY_MS, BURST_QUIET_MS, isGap } = await import('../../renderer/features/trace/trace-model');

function frame(seq: number, inbound: boolean, conn = 1): FrameSummary {
  return {
    seq, timeUs: seq, wallMs: seq, conn, side: inbound ? 'client' : 'broker', dir: inbound ? 's2c' : 'c2s', kind: 'packet',
    type: 'PUBLISH', flags: 0, length: 10, topic: `t/${seq}`, qos: 0, payloadSize: 2,
  };
}
const stats = (nextSeq: number) => ({ frames: nextSeq, bytes: 0, budgetBytes: 1, evictedFrames: 0, evictedBytes: 0, firstSeq: 0, nextSeq, malformed: 0 }) as TraceStats;

/** A store of `all` with the contract's paging semantics; records what was asked. */
function fakeCore(all: FrameSummary[]) {
  const queries: TraceQuery[] = [];
  const pages: [number, number][] = [];
  let held = all.length;
  const api = {
    traceQuery: async (q: TraceQuery) => {
      queries.push(q);
      const have = all.slice(0, held);
      if (q.order === 'backward') return { frames: have.slice(-(q.limit ?? 500)).reverse(), matching: held, stats: stats(held) };
      const from = q.fromSeq ?? 0;
      const fromWall = q.fromWallMs ?? -Infinity;
      return { frames: have.filter((f) => f.seq >= from && f.seq <= (q.toSeq ?? Infinity) && f.wallMs >= fromWall).slice(0, q.limit ?? 500), matching: held, stats: stats(held) };
    },
    traceMessagePage: async ({ fromSeq, toSeq, limit }: { fromSeq: number; toSeq: number; limit: number }) => {
      pages.push([fromSeq, toSeq]);
      const frames: FrameSummary[] = [];
      let s = fromSeq;
      for (; s <= Math.min(toSeq, held - 1) && frames.length < limit; s++) if (all[s].side === 'client') frames.push(all[s]);
      return { frames, nextFromSeq: s <= Math.min(toSeq, held - 1) ? s : null };
    },
  } as unknown as CoreApi;
  return { api, queries, pages, grow: (n: number) => { held = n; } };
}

const settled = (model: InstanceType<typeof TraceModel>, ok: () => boolean) => new Promise<void>((r) => {
  if (ok()) { r(); return; }
  const off = model.subscribe(() => { if (ok()) { off(); r(); } });
});

test('the first screen loads; the rest is a gap row whose messages are indexed at once and whose frames page in while it is in view', async () => {
  const all = Array.from({ length: 10_000 }, (_, i) => frame(i, i % 2 === 0, i < 5000 ? 1 : 2));
  const core = fakeCore(all);
  const model = new TraceModel();
  model.start(core.api);
  await settled(model, () => model.messagesFor([1, 2]).count === 5000);
  assert.equal(core.queries[0].limit, FIRST_SCREEN, 'the first screen, not the whole store');
  assert.equal(model.frames.length, FIRST_SCREEN + 1, 'first screen plus one gap row');
  assert.ok(isGap(model.frames.get(0)));
  assert.equal(model.notLoaded, 10_000 - FIRST_SCREEN);
  assert.equal(model.frameCount, 10_000, 'the list stands for every frame of the store');
  assert.equal(model.messagesFor([1]).count, 2500);
  assert.equal(model.messagesFor([1, 2]).get(4999)!.seq, 9998);
  assert.ok(core.pages.length >= 1 && core.pages.every(([a, b]) => a >= 0 && b <= 10_000 - 1), "pages within the store");

  // The gap row (index 0) is on screen: it loads a page at a time until nothing is missing.
  model.wantRows(0, 30);
  await settled(model, () => model.notLoaded === 0 && !isGap(model.frames.get(0)));
  assert.equal(model.frames.length, 10_000);
  for (let i = 0; i < 10_000; i++) assert.equal((model.frames.get(i) as FrameSummary).seq, i);
  const loads = core.queries.slice(1);
  assert.ok(loads.every((q) => (q.toSeq! - q.fromSeq! + 1) <= GAP_PAGE), 'pages, never the whole gap in one answer');
  assert.equal(model.messagesFor([1, 2]).count, 5000, 'loading trace rows adds no message twice');
});

test('Go to a frame or a time a gap row stands for: a page from there loads, the gap is split around it', async () => {
  const all = Array.from({ length: 10_000 }, (_, i) => frame(i, false));
  const core = fakeCore(all);
  const model = new TraceModel();
  model.start(core.api);
  await settled(model, () => model.frameCount === 10_000);
  assert.ok(isGap(model.frames.get(0)), 'the older part is a gap row');

  assert.equal(await model.goTo({ seq: 4321 }), 4321);
  const rows = Array.from({ length: model.frames.length }, (_, i) => model.frames.get(i)!);
  const at = rows.findIndex((r) => !isGap(r) && r.seq === 4321);
  assert.ok(at > 0, 'the frame is a row of its own');
  assert.deepEqual(rows[at - 1], { gap: true, seq: 0, toSeq: 4320 }, 'what is before it stays a gap');
  assert.equal((rows[at + GAP_PAGE - 1] as FrameSummary).seq, 4320 + GAP_PAGE, 'a page from there loaded');
  assert.deepEqual(rows[at + GAP_PAGE], { gap: true, seq: 4321 + GAP_PAGE, toSeq: 10_000 - FIRST_SCREEN - 1 });
  assert.equal(model.frameCount, 10_000, 'still one row or gap frame per frame');
  assert.equal(model.notLoaded, 10_000 - FIRST_SCREEN - GAP_PAGE);

  // By wall clock (this fake's wallMs is the seq): inside the other gap row, and one already loaded.
  assert.equal(await model.goTo({ wallMs: 1000.5 }), 1001);
  assert.equal(await model.goTo({ wallMs: 5000 }), 5000);
  assert.equal(model.frameCount, 10_000);
  assert.equal(await model.goTo({ wallMs: 20_000 }), null, 'after the newest frame: none');
  assert.equal(await model.goTo({ seq: 20_000 }), null);
});

test('a notice ("N more since seq S") becomes one gap row; batches that come while busy fold into one', async () => {
  const all = Array.from({ length: 20_000 }, (_, i) => frame(i, i % 4 === 0));
  const core = fakeCore(all);
  core.grow(100);
  const model = new TraceModel();
  model.start(core.api);
  await settled(model, () => model.frameCount === 100);
  assert.equal(model.notLoaded, 0, 'a small store fits the first screen');
  core.grow(20_000);
  model.onBatch({ frames: [], fromSeq: 100, toSeq: 9999, stats: stats(10_000) });
  // These arrive while the notice's messages are still paged in.
  for (let s = 10_000; s < 20_000; s += 1000) model.onBatch({ frames: all.slice(s, s + 1000), fromSeq: s, toSeq: s + 999, stats: stats(s + 1000) });
  await settled(model, () => model.messagesFor([1]).count === 5000 && model.frameCount === 20_000);
  const gaps = Array.from({ length: model.frames.length }, (_, i) => model.frames.get(i)).filter(isGap);
  assert.ok(gaps.length >= 1 && gaps.length <= 2, `notice and folded batches make at most two gap rows (${gaps.length})`);
  assert.equal(gaps[0].seq, 100);
  const seqs: number[] = [];
  for (let i = 0; i < model.frames.length; i++) { const r = model.frames.get(i)!; seqs.push(r.seq); if (isGap(r)) seqs.push(r.toSeq); }
  assert.deepEqual(seqs, seqs.slice().sort((a, b) => a - b), 'rows in seq order');
  assert.equal(new Set(Array.from({ length: 5000 }, (_, i) => model.messagesFor([1]).get(i)!.seq)).size, 5000, 'no message twice');
  assert.equal(model.messagesFor([1]).get(4999)!.seq, 19_996);
});

test('in a burst (notices keep coming) the message lists take a page a second; once it is quiet, the rest at once', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const all = Array.from({ length: 30_000 }, (_, i) => frame(i, i % 4 === 0));
  const core = fakeCore(all);
  core.grow(100);
  const model = new TraceModel();
  let now = 0;
  model.clock = () => now;
  const turns = async (n = 20) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };
  const advance = async (ms: number) => { for (let k = 0; k < ms; k += 10) { now += 10; t.mock.timers.tick(10); await turns(5); } };
  model.start(core.api);
  await turns();
  assert.equal(model.frameCount, 100);
  core.grow(30_000);
  // A notice of 1,000 frames every 100 ms for 2 s (frames 100 … 20,099; a quarter are messages: 5,000, after
  // the first screen's 25).
  for (let i = 0; i < 20; i++) {
    model.onBatch({ frames: [], fromSeq: 100 + i * 1000, toSeq: 1099 + i * 1000, stats: stats(1100 + i * 1000) });
    await advance(100);
  }
  const during = core.pages.length;
  assert.ok(during >= 2 && during <= 3, `a page a second while the burst goes on (${during} pages in 2 s)`);
  assert.ok(model.messagesFor([1]).count < 5025, 'the rest waits for the burst to end');
  assert.ok(model.listing, 'the lists say more is coming');
  assert.equal(model.frameCount, 20_100, 'the trace list stands for every frame meanwhile (gap rows)');
  // Quiet for BURST_QUIET_MS: the rest pages one page after another. A batch pushed whole meanwhile leaves no
  // gap: it only waits its turn and holds nothing up.
  await advance(BURST_QUIET_MS);
  model.onBatch({ frames: all.slice(20_100, 20_200), fromSeq: 20_100, toSeq: 20_199, stats: stats(20_200) });
  await turns(100);
  assert.equal(model.messagesFor([1]).count, 5050, 'every message listed once the burst is over, without advancing time again');
  assert.ok(!model.listing);
  assert.ok(core.pages.length >= during + 2, `the catch-up took the rest in pages of ${GAP_PAGE} (${core.pages.length - during} pages)`);
  assert.equal(model.messagesFor([1]).get(5049)!.seq, 20_196);
  assert.equal(new Set(Array.from({ length: 5050 }, (_, i) => model.messagesFor([1]).get(i)!.seq)).size, 5050, 'no message twice');
  // The next burst: its first notice is paged at once (a second has passed since the last page).
  model.onBatch({ frames: [], fromSeq: 20_200, toSeq: 20_299, stats: stats(20_300) });
  const before = core.pages.length;
  await advance(BURST_PAGE_EVERY_MS);
  await turns(20);
  assert.equal(core.pages.length, before + 1);
  assert.equal(model.messagesFor([1]).count, 5075);
});
