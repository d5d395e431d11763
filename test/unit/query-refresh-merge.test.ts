// The renderer's side of a refreshed search: a continued answer is added to the list it had, minus what
// the store evicted since, keeping the newest `limit`; a whole answer replaces the list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameSummary, TraceQueryResult } from '../../shared/contract/types';
import { mergeRefresh } from '../../renderer/features/trace/query-refresh';

const frame = (seq: number) => ({ seq }) as FrameSummary;
const result = (firstSeq: number, continued: boolean): TraceQueryResult =>
  ({ frames: [], matching: 0, stats: { firstSeq } as TraceQueryResult['stats'], continued, scannedTo: 0 });
const seqs = (xs: FrameSummary[]) => xs.map((f) => f.seq);

test('a continued answer is added after what the list had, without the evicted frames', () => {
  const prev = [1, 5, 9, 12].map(frame);
  assert.deepEqual(seqs(mergeRefresh(prev, result(6, true), [14, 20].map(frame), 100)), [9, 12, 14, 20]);
});

test('the list keeps the newest `limit` frames, also when a refresh alone brings more', () => {
  const prev = [1, 2, 3, 4].map(frame);
  assert.deepEqual(seqs(mergeRefresh(prev, result(0, true), [5, 6].map(frame), 4)), [3, 4, 5, 6]);
  assert.deepEqual(seqs(mergeRefresh(prev, result(0, true), [5, 6, 7, 8, 9].map(frame), 4)), [6, 7, 8, 9]);
});

test('a whole answer replaces the list', () => {
  const prev = [1, 2, 3].map(frame);
  assert.deepEqual(seqs(mergeRefresh(prev, result(0, false), [7, 8].map(frame), 100)), [7, 8]);
  assert.deepEqual(seqs(mergeRefresh(prev, result(0, false), [7, 8, 9].map(frame), 2)), [8, 9]);
});
