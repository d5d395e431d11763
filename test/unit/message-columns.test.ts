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

test('removing rows keeps the rest in order, with their notes', () => {
  const m = new MessageColumns(7, new TopicTable());
  const all = Array.from({ length: 1000 }, (_, i) => message(i));
  for (const f of all) m.push(f);
  m.remove(0, 100);
  m.remove(500, 1);
  const left = all.slice(100, 600).concat(all.slice(601));
  assert.equal(m.count, left.length);
  for (let i = 0; i < left.length; i++) assert.deepStrictEqual(m.get(i), left[i], `row ${i}`);
  assert.equal(m.indexOfSeq(600), -1);
  assert.equal(m.indexOfSeq(601), 500);
  assert.equal(m.get(m.indexOfSeq(130))!.note, 'note 130');
});
