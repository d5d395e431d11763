// Frame summaries held as columns in the page (the trace list's rows, a session's received messages): every
// field comes back as it went in (absent ones absent), a row read twice is the same object (rows are memoized
// by identity), removing rows (the oldest tenth at capacity, a resent QoS 2 duplicate) keeps the rest in
// order, gap rows keep their range, and a full list drops its oldest rows, counted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameSummary } from '../../shared/contract/types';
import { isGap, SummaryColumns, TopicTable, type TraceRow } from '../../renderer/features/trace/summary-columns';

function message(seq: number): FrameSummary {
  const f: FrameSummary = {
    seq, timeUs: seq * 1000 + 0.5, wallMs: 1_764_000_000_000 + seq + 0.123, conn: 7 + (seq % 4), side: 'client', dir: 's2c', kind: 'packet',
    type: 'PUBLISH', flags: (seq % 3) << 1, length: 20 + seq, topic: `t/${seq % 5}`, qos: (seq % 3) as 0 | 1 | 2, retain: seq % 2 === 0, dup: seq % 7 === 0,
    payloadSize: seq * 3,
  };
  if (f.qos) f.packetId = seq % 65535 + 1;
  if (seq % 11 === 0) f.reasonCode = 0x10;
  if (seq % 13 === 0) f.note = `note ${seq}`;
  if (seq % 17 === 0) { delete f.retain; delete f.dup; delete f.payloadSize; }
  return f;
}

test('fields come back as they went in, absent ones absent; a row read twice is the same object', () => {
  const m = new SummaryColumns(new TopicTable());
  const all = Array.from({ length: 3000 }, (_, i) => message(i * 2 + 1));
  for (const f of all) m.push(f);
  assert.equal(m.length, all.length);
  for (let i = 0; i < all.length; i++) assert.deepStrictEqual(m.get(i), all[i], `row ${i}`);
  assert.equal(m.get(all.length), undefined);
  const a = m.get(10);
  assert.equal(m.get(10), a, 'the same object while cached');
  assert.equal(m.indexOfSeq(21), 10);
  assert.equal(m.indexOfSeq(22), -1, 'a seq between rows');
  assert.equal(m.topicIdAt(10), m.topicIdAt(15), 't/1 both');
  assert.equal(m.qosAt(10), 0);
});

test('removing rows keeps the rest in order, with their notes, across chunk boundaries', () => {
  const m = new SummaryColumns(new TopicTable());
  const all = Array.from({ length: 20_000 }, (_, i) => message(i));
  for (const f of all) m.push(f);
  let left = all.slice();
  const check = (what: string) => {
    assert.equal(m.length, left.length, what);
    for (let i = 0; i < left.length; i += 1 + (i % 97)) assert.deepStrictEqual(m.get(i), left[i], `${what}: row ${i}`);
    assert.deepStrictEqual(m.get(left.length - 1), left[left.length - 1], `${what}: the last row`);
    for (const f of [left[0], left[Math.floor(left.length / 2)], left[left.length - 1]]) assert.equal(m.get(m.indexOfSeq(f.seq)), m.get(left.indexOf(f)));
  };
  m.remove(0, 5000); left = left.slice(5000); check('the oldest 5,000 (past a chunk)');
  m.remove(9000, 1); left.splice(9000, 1); check('one in the middle');
  m.remove(left.length - 3, 1); left.splice(left.length - 3, 1); check('one near the end');
  m.remove(0, 100); left = left.slice(100); check('100 more from the front');
  for (let i = 20_000; i < 30_000; i++) { const f = message(i); m.push(f); left.push(f); }
  check('pushed after removals');
  assert.equal(m.indexOfSeq(9000 + 5000), -1, 'the removed middle row');
  const withNote = left.find((f) => f.note)!;
  assert.equal(m.frame(m.indexOfSeq(withNote.seq))!.note, withNote.note);
  m.remove(0, m.length);
  assert.equal(m.length, 0);
  m.push(message(40_000));
  assert.deepStrictEqual(m.get(0), message(40_000), 'a list emptied and used again');
});

test('gap rows keep their range and can grow; replacing a row keeps the rows after it as they were', () => {
  const m = new SummaryColumns(new TopicTable());
  const rows: TraceRow[] = [];
  for (let i = 0; i < 5000; i++) { const f = message(i); m.push(f); rows.push(f); }
  m.pushGap(5000, 5999);
  rows.push({ gap: true, seq: 5000, toSeq: 5999 });
  for (let i = 6000; i < 9000; i++) { const f = message(i); m.push(f); rows.push(f); }
  m.pushGap(9000, 9009);
  assert.ok(m.isGapAt(5000) && m.gapToAt(5000) === 5999 && m.seqAt(5000) === 5000);
  assert.deepStrictEqual(m.get(5000), { gap: true, seq: 5000, toSeq: 5999 });
  assert.equal(m.frame(5000), undefined, 'a gap row is not a frame');
  assert.equal(m.topicAt(5000), undefined);
  assert.equal(m.connAt(4), message(4).conn);
  m.setGapTo(m.length - 1, 9050);
  assert.deepStrictEqual(m.last(), { gap: true, seq: 9000, toSeq: 9050 }, 'grown, and not the cached object of before');
  rows.push({ gap: true, seq: 9000, toSeq: 9050 });

  // The gap 5000..5999 loads its newest page: 5500..5999 become frames, 5000..5499 stays a gap.
  const page: TraceRow[] = [{ gap: true, seq: 5000, toSeq: 5499 }];
  for (let i = 5500; i < 6000; i++) page.push(message(i));
  m.replaceAt(5000, page);
  rows.splice(5000, 1, ...page);
  assert.equal(m.length, rows.length);
  for (let i = 0; i < rows.length; i += 1 + (i % 13)) assert.deepStrictEqual(m.get(i), rows[i], `row ${i}`);
  assert.deepStrictEqual(m.get(rows.length - 1), rows[rows.length - 1]);
  assert.equal(m.lowerBound(5499), 5001, 'a gap row counts by its first seq');
  assert.equal(m.indexOfSeq(5500), 5001);
  assert.ok(isGap(m.get(m.lowerBound(9000))));
  // A gap row that turns out to hold nothing (evicted meanwhile) is replaced by no rows.
  m.replaceAt(5000, []);
  rows.splice(5000, 1);
  assert.equal(m.length, rows.length);
  for (let i = 4990; i < rows.length; i += 1 + (i % 7)) assert.deepStrictEqual(m.get(i), rows[i], `after removing the gap: row ${i}`);
});

test('a full list drops its oldest rows as new ones come, and counts them', () => {
  const m = new SummaryColumns(new TopicTable(), 10_000);
  for (let i = 0; i < 25_000; i++) m.push(message(i));
  assert.equal(m.length, 10_000);
  assert.equal(m.dropped, 15_000);
  assert.deepStrictEqual(m.get(0), message(15_000));
  assert.deepStrictEqual(m.last(), message(24_999));
  // Replacing a row by 300 in a full list drops the 299 oldest.
  const page = Array.from({ length: 300 }, (_, k) => message(30_000 + k));
  const want: TraceRow[] = [];
  for (let i = 0; i < m.length; i++) want.push(m.get(i)!);
  want.splice(5000, 1, ...page);
  m.replaceAt(5000, page);
  assert.equal(m.length, 10_000);
  assert.equal(m.dropped, 15_299);
  want.splice(0, 299);
  for (let i = 0; i < want.length; i += 1 + (i % 11)) assert.deepStrictEqual(m.get(i), want[i], `row ${i}`);
  m.clear();
  assert.equal(m.length, 0);
  assert.equal(m.dropped, 0);
});

test('a short list stays small: its columns grow with its rows, not a whole chunk at once', () => {
  const m = new SummaryColumns(new TopicTable());
  m.push(message(1));
  const bytes = (x: SummaryColumns) => (x as unknown as { chunks: Record<string, Float64Array | Int32Array>[] }).chunks
    .reduce((n, c) => n + Object.values(c).reduce((k, a) => k + a.byteLength, 0), 0);
  assert.ok(bytes(m) <= 64 * 64, `one message holds ${bytes(m)} bytes`);
  for (let i = 2; i < 5000; i++) m.push(message(i));
  for (let i = 0; i < m.length; i += 1 + (i % 31)) assert.deepStrictEqual(m.get(i), message(i + 1), `row ${i} after growing`);
  assert.ok(bytes(m) <= 2 * 4096 * 64, `${bytes(m)} bytes for 4,999 rows`);
});
