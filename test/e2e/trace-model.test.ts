// The renderer's trace model on its own (no browser): batches that span more than they carry are
// completed with traceQuery, in order, without duplicates; inbound PUBLISHes are indexed per connection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CoreApi } from '../../shared/contract/api';
import type { FrameSummary, TraceQuery, TraceStats } from '../../shared/contract/types';

(globalThis as { requestAnimationFrame?: (cb: () => void) => unknown }).requestAnimationFrame ??= (cb) => setTimeout(cb, 0);
const { TraceModel } = await import('../../renderer/features/trace/trace-model');

function frame(seq: number, inbound: boolean, conn = 1): FrameSummary {
  return {
    seq, timeUs: seq, wallMs: seq, conn, side: inbound ? 'client' : 'broker', dir: inbound ? 's2c' : 'c2s', kind: 'packet',
    type: 'PUBLISH', flags: 0, length: 10, topic: `t/${seq}`, qos: 0, payloadSize: 2,
  };
}
const stats = { frames: 0, bytes: 0, budgetBytes: 1, evictedFrames: 0, evictedBytes: 0, firstSeq: 0, nextSeq: 0, malformed: 0 } as TraceStats;

test('gaps in batches are fetched, order kept, no duplicates', async () => {
  const all = Array.from({ length: 10_000 }, (_, i) => frame(i, i % 2 === 0, i < 5000 ? 1 : 2));
  const queries: TraceQuery[] = [];
  const api = {
    traceQuery: async (q: TraceQuery) => {
      queries.push(q);
      if (q.order === 'backward') return { frames: all.slice(0, 100).reverse(), matching: 100, stats: { ...stats, nextSeq: 100 } };
      const from = q.fromSeq ?? 0;
      const to = Math.min(q.toSeq ?? Infinity, from + (q.limit ?? 1e9) - 1);
      return { frames: all.filter((f) => f.seq >= from && f.seq <= to), matching: 0, stats };
    },
  } as unknown as CoreApi;
  const model = new TraceModel();
  model.start(api);
  // Overlaps the initial load (50..199, carrying all), then a batch that carries only its last 2000 of 9800.
  model.onBatch({ frames: all.slice(50, 200), fromSeq: 50, toSeq: 199, stats });
  model.onBatch({ frames: all.slice(8000, 10_000), fromSeq: 200, toSeq: 9999, stats });
  await new Promise<void>((r) => { const off = model.subscribe(() => { if (model.frames.length === 10_000) { off(); r(); } }); });
  for (let i = 0; i < 10_000; i++) assert.equal(model.frames.get(i)!.seq, i);
  assert.deepEqual(queries.slice(1).map((q) => [q.fromSeq, q.toSeq]), [[200, 7999]]);
  const one = model.messagesFor([1]);
  const both = model.messagesFor([1, 2]);
  assert.equal(one.count, 2500);
  assert.equal(both.count, 5000);
  assert.equal(both.get(4999)!.seq, 9998);
  assert.equal(both.indexOfSeq(5000), 2500);
  assert.equal(model.previousOnTopic([1], 4, 't/4'), undefined);
});
