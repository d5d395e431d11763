// Topics are not interned on the socket path (electron/core/trace/frame-index.ts, TOPIC_PENDING): a frame
// keeps where its topic sits in its bytes, and the first read interns it. Every reader must see the right
// topic whatever was read before, evicted or compacted in between.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { Framer } from '../../electron/core/trace/framer';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';
import { packStoreFrames } from '../../electron/core/trace/store-columns';
import { unpackFrames } from '../../shared/contract/frame-columns';

function ctx(id: number, version = 4): ConnCtx {
  return { id, clientSide: false, version, sawConnect: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} };
}
const publish = (topic: string, i: number) =>
  mqttPacket.generate({ cmd: 'publish', topic, payload: Buffer.from(`payload ${i}`), qos: 0, retain: false, dup: false } as mqttPacket.Packet);
const topicBytes = (store: TraceStore) => (store as unknown as { topics: { bytes: number } }).topics.bytes;

test('committing frames interns no topic; the first read does, and every reader sees the frame\'s own topic', () => {
  const store = new TraceStore();
  const f = new Framer(store, ctx(1), false);
  const want: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const topic = `plant/${i % 500}/température`;
    f.feed(publish(topic, i));
    want.push(topic);
  }
  assert.equal(topicBytes(store), 0, 'no topic string held after 5,000 PUBLISHes');
  // A v5 SUBSCRIBE whose filter sits behind 40 KB of properties is past what a pending entry can point at: interned at once.
  const v5 = new Framer(store, ctx(2, 5), false);
  const filter = 'far/behind/properties/#';
  v5.feed(mqttPacket.generate({ cmd: 'subscribe', messageId: 9, properties: { userProperties: { k: 'x'.repeat(40_000) } }, subscriptions: [{ topic: filter, qos: 1 }] } as unknown as mqttPacket.Packet, { protocolVersion: 5 }));
  want.push(filter);
  assert.ok(topicBytes(store) > 0, 'the far topic is interned when committed');
  const afterFar = topicBytes(store);

  // Readers in an order unlike the commit order: summaries from the end, columns of the middle, topicOf of the start.
  for (let s = 4999; s >= 4000; s--) assert.equal(store.summary(s)!.topic, want[s]);
  const frames = unpackFrames(packStoreFrames(store, 1000, 3999));
  assert.deepEqual(frames.map((x) => x.topic), want.slice(1000, 4000));
  for (let s = 0; s < 1000; s++) assert.equal(store.topicOf(s), want[s]);
  assert.equal(store.summary(5000)!.topic, filter);
  assert.ok(topicBytes(store) > afterFar, 'reading interned the topics');
  const interned = topicBytes(store);
  for (let s = 0; s <= 5000; s++) assert.equal(store.topicOf(s), want[s]);
  assert.equal(topicBytes(store), interned, 'a topic is interned once: reading again adds nothing');
});

test('a topic read after evictions and compactions of other topics is still its own', () => {
  // Unique topics overflow the topic table's share of a small budget, so evictions compact the table
  // (renumbering the ids that were read) while other frames' topics are still pending.
  const store = new TraceStore(4 * 2 ** 20);
  const f = new Framer(store, ctx(1), false);
  const want = new Map<number, string>();
  for (let i = 0; i < 120_000; i++) {
    const topic = `unique/${i}/${'z'.repeat(i % 40)}`;
    f.feed(publish(topic, i));
    want.set(store.nextSeq - 1, topic);
    // Every third thousand is read at once (interned), the rest stays pending until the end.
    if (Math.floor(i / 1000) % 3 === 0) assert.equal(store.topicOf(store.nextSeq - 1), topic);
  }
  assert.ok(store.topicEpoch > 0, 'the table was compacted');
  assert.ok(store.stats().evictedFrames > 0, 'frames were evicted');
  for (let s = store.firstSeq; s < store.nextSeq; s++) assert.equal(store.topicOf(s), want.get(s), `frame ${s}`);
  // Reading interned every pending topic at once; reads never evict under their readers, the batch tick does.
  const read = store.bytes;
  store.tick();
  assert.ok(store.bytes <= 4 * 2 ** 20, `within the budget after the tick (${read} B after the reads, ${store.bytes} B after the tick)`);
});

test('an opened trace file interns its topics as it is read in: what its store holds is counted before anyone reads', async () => {
  const { TraceRecorder } = await import('../../electron/core/trace/recorder');
  const { exportTrace } = await import('../../electron/core/trace/trace-io');
  const { loadTraceFile } = await import('../../electron/core/trace/trace-load');
  const store = new TraceStore();
  const recorder = new TraceRecorder(store, () => {});
  recorder.dispose();
  const wire = recorder.openConnection({ side: 'broker', transport: 'tcp', remote: '127.0.0.1:1', local: '127.0.0.1:2' });
  const conn = recorder.conns.get(wire.id)!;
  conn.sawConnect = true; // a CONNECT seen: the PUBLISHes are packets, not rule breaks
  const f = new Framer(store, conn, false);
  for (let i = 0; i < 2000; i++) f.feed(publish(`file/${i}`, i));
  const loaded = await loadTraceFile(exportTrace(recorder));
  assert.ok(topicBytes(loaded.store) >= 2000 * 80, `the file's 2,000 topics are held and counted (${topicBytes(loaded.store)} B)`);
  const held = loaded.store.bytes;
  for (let s = loaded.store.firstSeq; s < loaded.store.nextSeq; s++) loaded.store.topicOf(s);
  assert.equal(loaded.store.bytes, held, 'reading the file adds nothing to what its store holds');
  assert.equal(loaded.store.topicOf(loaded.store.nextSeq - 2), 'file/1998');
});
