// A session's received messages held as columns in the page: every field comes back as it went in (absent
// ones absent), a row read twice is the same object (rows are memoized by identity), and removing rows (the
// oldest tenth at capacity, a resent QoS 2 duplicate) keeps the rest in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameSummary } from '../../shared/contract/types';
import { MessageColumns, TopicTable } from '../../renderer/features/trace/message-columns';

function message(seq: number): FrameSummary {
  const f: FrameSummary = {
    seq, timeUs: seq * 1000 + 0.5, wallMs: 1_764_000_000_000 + seq + 0.123, conn: 7, side: 'client', dir: 's2c', kind: 'packet',
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
  const m = new MessageColumns(7, new TopicTable());
  const all = Array.from({ length: 3000 }, (_, i) => message(i * 2 + 1));
  for (const f of all) m.push(f);
  assert.equal(m.count, all.length);
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
  const m = new MessageColumns(7, new TopicTable());
  const all = Array.from({ length: 20_000 }, (_, i) => message(i));
  for (const f of all) m.push(f);
  let left = all.slice();
  const check = (what: string) => {
    assert.equal(m.count, left.length, what);
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
  assert.equal(m.get(m.indexOfSeq(withNote.seq))!.note, withNote.note);
  m.remove(0, m.count);
  assert.equal(m.count, 0);
  m.push(message(40_000));
  assert.deepStrictEqual(m.get(0), message(40_000), 'a list emptied and used again');
});
