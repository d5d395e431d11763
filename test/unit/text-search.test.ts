// The search box's text test (text-search.ts) scans a chunk's payloads as one stretch of slab and assigns
// hits to frames. Checked against a plain frame-by-frame reference over stores built to provoke its edge
// cases: hits across a header, in topics and notes, payloads shared by several frames, stretches over two
// slabs, frames whose bytes are not in numbering order, eviction and Clear renumbering topics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { FilterQueries } from '../../electron/core/trace/filter-query';
import { Framer } from '../../electron/core/trace/framer';
import { TextSearch } from '../../electron/core/trace/text-search';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';

const v5 = () => ({ protocolVersion: 5 as const });
const ctx = (id: number, version: 4 | 5 = 5): ConnCtx => ({ id, clientSide: false, version, sawConnect: true, imported: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} });
const publish = (topic: string, payload: string | Buffer) =>
  mqttPacket.generate({ cmd: 'publish', topic, payload: typeof payload === 'string' ? Buffer.from(payload) : payload, qos: 0, retain: false, dup: false } as mqttPacket.Packet, { protocolVersion: 5 });

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = Math.imul(a ^ (a >>> 15), a | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

const fold = (b: Uint8Array) => Uint8Array.from(b, (c) => (c >= 65 && c <= 90 ? c + 32 : c));

/** The rule, frame by frame: topic or note lower-cased; payload bytes with A–Z folded (ASCII text), else as typed or lower-cased. */
function reference(store: TraceStore, text: string): number[] {
  const lower = text.toLowerCase();
  const ascii = /^[\x00-\x7f]+$/.test(lower);
  const needle = Buffer.from(lower);
  const out: number[] = [];
  for (let s = store.firstSeq; s < store.nextSeq; s++) {
    const topic = store.topicOf(s);
    const note = store.noteOf(s);
    const p = store.payloadOf(s);
    const inPayload = p !== null && (ascii ? Buffer.from(fold(p)).includes(needle) : p.includes(Buffer.from(text)) || p.toString().toLowerCase().includes(lower));
    if (topic?.toLowerCase().includes(lower) || note?.toLowerCase().includes(lower) || inPayload) out.push(s);
  }
  return out;
}

function searched(store: TraceStore, text: string): number[] {
  const t = new TextSearch(store, text);
  const out: number[] = [];
  for (let s = store.firstSeq; s < store.nextSeq; s++) if (t.test(s)) out.push(s);
  return out;
}

const NEEDLES = ['overheat', 'OverHeat', 'heat', 'o', 'a.b', '(x)', '-1', 'été', 'ΣΟΦΊΑ', 'σοφία', '温度', 'line/2', 'Überhitzung', 'ökelvin', 'Öz-sensor', 'İ'];
const PIECES = ['overheat', 'OVERHEAT', 'oVeRhEaT', 'over', 'heat', '{"t":21.5}', 'a.b', 'axb', '(x)', '-1', 'été', 'ÉTÉ', 'ΣΟΦΊΑ', 'σοφίας', '温度', ' ', 'zz', 'line/2',
  'ÜBERHITZUNG', 'überhitzung', 'Uberhitzung', 'überhİtzung', 'tzung', 'Ö\u212AELVIN', 'ökelvin', 'öKELV', 'ÖZ-SENSOR', 'öz-sensor', 'İ'];

function randomPayload(r: () => number): Buffer {
  if (r() < 0.05) return Buffer.from(Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * 256))); // binary
  let s = '';
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
  return Buffer.from(s);
}

test('text search answers exactly as frame by frame: topics, notes, header-crossing hits, shared payloads, two slabs', () => {
  const r = rng(7);
  const store = new TraceStore(256 * 2 ** 20);
  const framers = [1, 2, 3].map((id) => new Framer(store, ctx(id), id === 2));
  const v4 = new Framer(store, ctx(4, 4), false);
  const big = Buffer.from('x'.repeat(300) + 'OverHeat' + 'y'.repeat(300)); // stored once, shared by later frames
  // MQTT 3.1.1, QoS 0: the topic's last bytes touch the payload's first, so "overheat" runs across the
  // header's end into the payload; the topic alone and the payload alone do not hold it.
  const straddleToo = mqttPacket.generate({ cmd: 'publish', topic: 'plant/over', payload: Buffer.from('heat, and then OVERHEAT'), qos: 0, retain: false, dup: false } as mqttPacket.Packet, { protocolVersion: 4 });
  const straddle = mqttPacket.generate({ cmd: 'publish', topic: 'plant/over', payload: Buffer.from('heat is fine'), qos: 0, retain: false, dup: false } as mqttPacket.Packet, { protocolVersion: 4 });
  for (let i = 0; i < 24_000; i++) {
    const f = framers[i % 3];
    const k = r();
    if (k < 0.03) f.feed(publish('plant/line/2', randomPayload(r)));
    else if (k < 0.05) v4.feed(straddle);
    else if (k < 0.06) v4.feed(straddleToo);
    else if (k < 0.09) f.feed(publish('big', big));
    else if (k < 0.1) f.feed(Buffer.from([0x36, 0x05, 0x00, 0x01, 0x61, 0x6f, 0x76])); // QoS 3: malformed, noted
    else if (k < 0.11) f.feed(publish('Alarms/OVERHEAT', 'x'));
    else f.feed(publish(`plant/${Math.floor(r() * 50)}`, randomPayload(r)));
  }
  assert.ok(store.stats().bytes > 2 * 2 ** 20, 'the store spans several 1 MiB slabs');
  assert.ok(store.noteOf(store.firstSeq) !== undefined || [...Array(200).keys()].some((i) => store.noteOf(i) !== undefined), 'some frames carry notes');
  for (const text of [...NEEDLES, 'reserved', 'qos 3']) {
    const want = reference(store, text);
    assert.deepEqual(searched(store, text), want, `"${text}"`);
  }
  assert.ok(reference(store, 'overheat').length > 1000, 'the needle is common enough to exercise dense chunks');
  assert.ok(!reference(store, 'overheat').some((s) => store.topicOf(s) === 'plant/over' && store.payloadOf(s)!.toString() === 'heat is fine'),
    'a hit across the header is not a hit');
});

test('a chunk whose frames all hold the text (a common word) gives the same answers as one where few do', () => {
  const store = new TraceStore();
  const f = new Framer(store, ctx(1), false);
  for (let i = 0; i < 2000; i++) f.feed(publish('t', i % 97 === 0 ? `{"v":${i}}` : `{"c":${i},"unit":"C"}`));
  assert.deepEqual(searched(store, '"c"'), reference(store, '"c"'));
  assert.equal(searched(store, '"c"').length, 2000 - Math.ceil(2000 / 97));
  assert.deepEqual(searched(store, 'UNIT'), reference(store, 'unit'));
});

test('frames whose bytes do not lie in numbering order are still answered frame by frame', () => {
  const store = new TraceStore();
  const c = ctx(1);
  const a = publish('t/a', 'first overheat');
  const b = publish('t/b', 'second OVERHEAT');
  const cc = publish('t/c', 'third, nothing');
  // Reserve three places, commit them last to first: frame numbers run against byte order.
  const places = [a, b, cc].map((p) => { const pos = store.reserve(p.length); p.copy(store.bufferAt(pos), store.offsetAt(pos)); return pos; });
  const sizes = [a, b, cc].map((p) => p.length);
  for (const i of [2, 1, 0]) store.commitPacket(c, false, places[i], sizes[i], 2);
  assert.deepEqual(searched(store, 'overheat'), [1, 2]);
  assert.deepEqual(searched(store, 'overheat'), reference(store, 'overheat'));
});

test('after eviction and Clear topic ids mean other topics: answers follow the store, not the old ids', async () => {
  const store = new TraceStore(2 * 2 ** 20);
  const f = new Framer(store, ctx(1), false);
  for (let i = 0; i < 5000; i++) f.feed(publish(i % 2 ? 'site/overheat' : 'site/ok', 'x'.repeat(200)));
  const t = new TextSearch(store, 'overheat');
  assert.equal(t.test(store.nextSeq - 1), true);
  store.clear();
  for (let i = 0; i < 10; i++) f.feed(publish(i % 2 ? 'site/ok' : 'site/overheat', 'x')); // ids handed out again, other order
  const got: number[] = [];
  for (let s = store.firstSeq; s < store.nextSeq; s++) if (t.test(s)) got.push(s);
  assert.deepEqual(got, reference(store, 'overheat'));
  // And through the scan that uses it: chunks without the text are skipped, the count stays exact.
  for (let i = 0; i < 20_000; i++) f.feed(publish('q', i % 333 === 0 ? 'an OverHeat' : 'fine'));
  const res = await new FilterQueries().run(store, v5, { text: 'overheat', order: 'backward', limit: 1_000_000 });
  assert.deepEqual(res.frames.map((x) => x.seq).reverse(), reference(store, 'overheat'));
  assert.equal(res.matching, reference(store, 'overheat').length);
  assert.ok(store.stats().evictedFrames > 0, 'the budget evicted frames during the test');
});

test('a final sigma lower-cases by what follows it: a payload is judged alone, not by the bytes after it in the slab', () => {
  const store = new TraceStore();
  const f = new Framer(store, ctx(1), false);
  f.feed(publish('t', 'ΣΟΦΊΑΣ')); // alone: "σοφίας", with a final ς
  f.feed(mqttPacket.generate({ cmd: 'pubrec', messageId: 5, reasonCode: 0 } as mqttPacket.Packet, { protocolVersion: 5 })); // 0x50 'P' next in the slab
  f.feed(publish('t', 'long enough to be searched'));
  assert.deepEqual(reference(store, 'σοφίας'), [0]);
  assert.deepEqual(searched(store, 'σοφίας'), [0]);
  assert.deepEqual(searched(store, 'ΣΟΦΊΑΣ'), [0]);
});

test('Clear while a text search is yielding: the scan ends with what is left, no error', async () => {
  const store = new TraceStore(512 * 2 ** 20);
  const f = new Framer(store, ctx(1), false);
  for (let i = 0; i < 200_000; i++) f.feed(publish('plant/a', i % 1000 === 7 ? 'an OverHeat' : '{"t":21.5}'));
  const run = new FilterQueries().run(store, v5, { text: 'overheat', order: 'backward', limit: 10 });
  await new Promise((r) => setImmediate(r));
  store.clear();
  const res = await run;
  assert.equal(res.matching, 0, 'everything it had counted was cleared');
  assert.deepEqual(res.frames, []);
});
