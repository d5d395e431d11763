// The trace's topic table (electron/core/trace/topic-table.ts) gives the bytes of a topic the id of its
// decoded string, whatever the order the topics come in: the byte cache in front of it (a direct-mapped
// hash of recent topics) must never answer with another topic's id, across slot collisions, long topics,
// empty ones, multi-byte and invalid UTF-8, and after the table is cleared or compacted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TopicTable } from '../../electron/core/trace/topic-table';

function topics(): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < 3000; i++) out.push(Buffer.from(`plant/${i % 7}/line${i}/temp`));
  out.push(Buffer.alloc(0), Buffer.from('a'), Buffer.from('x'.repeat(48)), Buffer.from('x'.repeat(49)), Buffer.from('y'.repeat(300)));
  out.push(Buffer.from('température/ü/日本'), Buffer.from('température/ü/日本/'));
  // Invalid UTF-8: different bytes that decode to the same string ("\ufffd") share its id.
  out.push(Buffer.from([0x61, 0xff]), Buffer.from([0x61, 0xfe]), Buffer.from([0x61, 0xc3]));
  return out;
}

/** Frames' topics in a read-like buffer, at odd offsets, in a shuffled order with repeats. */
function run(t: TopicTable, ref: Map<string, number>, all: Buffer[], seed: number): void {
  let x = seed;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % all.length);
  const buf = Buffer.alloc(1024);
  for (let k = 0; k < 40_000; k++) {
    const topic = all[k % 3 === 0 ? rnd() : k % all.length];
    const at = 1 + (k % 7);
    topic.copy(buf, at);
    const id = t.idAt(buf, at, topic.length);
    const name = topic.toString('utf8');
    assert.equal(t.get(id), name, `topic ${JSON.stringify(name)} read as ${JSON.stringify(t.get(id))}`);
    const known = ref.get(name);
    if (known === undefined) ref.set(name, id);
    else assert.equal(id, known, `one id per topic: ${JSON.stringify(name)}`);
    buf.fill(0x2f, at, at + topic.length); // the read's memory is reused for other bytes
  }
}

test('every topic gets the id of its string, in any order, across cache collisions', () => {
  const t = new TopicTable();
  const all = topics();
  run(t, new Map(), all, 7);
  assert.equal(t.idAt(Buffer.from([0x61, 0xff]), 0, 2), t.idAt(Buffer.from([0x61, 0xfe]), 0, 2), 'same string, same id');
});

test('after clear and compact the ids are the new ones', () => {
  const t = new TopicTable();
  const all = topics();
  run(t, new Map(), all, 11);
  t.clear();
  run(t, new Map(), all.slice().reverse(), 13);
  const used = new Set([t.idAt(all[5], 0, all[5].length), t.idAt(all[9], 0, all[9].length)]);
  const remap = t.compact(used);
  assert.equal(remap.size, 2);
  run(t, new Map(), all, 17);
});
