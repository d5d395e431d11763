// The topic tree shares the trace's byte budget: its estimated memory is charged to the store, a new topic
// beyond its share is counted (never listed silently), and the estimate is not below what the heap says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import mqtt from 'mqtt-packet';
import { TopicFeed, TREE_BUDGET_SHARE } from '../../electron/core/topics/topic-feed';
import { TopicStats } from '../../electron/core/topics/topic-stats';
import { TraceRecorder } from '../../electron/core/trace/recorder';
import { TraceStore } from '../../electron/core/trace/trace-store';

const publish = (topic: string) =>
  new Uint8Array(mqtt.generate({ cmd: 'publish', topic, payload: Buffer.from('21.5'), qos: 0, dup: false, retain: false } as mqtt.Packet, { protocolVersion: 4 }));

test('the tree is charged to the trace budget; topics beyond its share are counted as untracked; dispose gives it back', () => {
  // Slabs are 1 MiB: a budget of a few slabs beside the tree's half would evict frames before the tree saw them.
  const budget = 16 * 2 ** 20;
  const store = new TraceStore(budget);
  const recorder = new TraceRecorder(store, () => {});
  const feed = new TopicFeed(recorder);
  try {
    const ctx = recorder.adopt({ id: 1, side: 'broker', transport: 'tcp', remote: '127.0.0.1:9', local: '127.0.0.1:1883', openedAtMs: 0 });
    const sent = 9_000;
    for (let i = 0; i < sent; i++) {
      store.importFrame(ctx, false, 'packet', i * 100, publish(`plant/line${i % 7}/machine-${i}/temp`), null);
      if (i % 500 === 499) feed.catchUp();
    }
    feed.catchUp();
    const s = feed.stats;
    assert.equal(s.budgetBytes, budget * TREE_BUDGET_SHARE);
    assert.ok(s.untracked > 0, 'an 8 MiB share cannot hold 9,000 topics of ~1.3 KB: some are untracked');
    assert.ok(s.topicCount > 100, `${s.topicCount} topics tracked before the share was full`);
    assert.ok(s.bytes <= s.budgetBytes, `tree ${s.bytes} B within its share ${s.budgetBytes} B`);
    assert.equal(s.messages + s.untracked, sent, 'every message counted: in the tree or as untracked');
    assert.equal(store.attachedBytes, s.bytes, 'what the tree holds is charged to the store');
    assert.ok(store.bytes <= budget, `store ${store.bytes} B within ${budget} B, the tree included`);
    // A message on a topic already in the tree is still counted there when the share is full.
    const tracked = s.leaf('plant/line0/machine-0/temp')!;
    const before = tracked.own;
    store.importFrame(ctx, false, 'packet', sent * 100, publish('plant/line0/machine-0/temp'), null);
    feed.catchUp();
    assert.equal(tracked.own, before + 1);
    feed.dispose();
    assert.equal(store.attachedBytes, 0);
  } finally {
    feed.dispose();
    recorder.dispose();
  }
});

test('the per-node estimate is not below the memory the heap shows for a large tree', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const stats = new TopicStats();
  gc();
  const before = process.memoryUsage();
  const n = 50_000;
  for (let i = 0; i < n; i++) stats.add({ seq: i, topic: `site/${i % 13}/device-${i}/value`, timeUs: i * 10, qos: 0, retain: false, payloadSize: 4 });
  gc();
  const after = process.memoryUsage();
  const measured = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  assert.equal(stats.topicCount, n);
  assert.ok(stats.bytes >= measured * 0.9, `estimate ${stats.bytes} B vs heap growth ${measured} B`);
  assert.ok(stats.bytes <= measured * 2, `estimate ${stats.bytes} B is not wildly above heap growth ${measured} B`);
});
