// In a burst the batch ticks leave the topic counting for the first quiet tick (a topicTree query counts what
// it needs itself), unless eviction could reach the uncounted frames: then the tick counts them at once.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import mqtt from 'mqtt-packet';
import type { EmbeddedBroker } from '../../electron/core/broker/broker';
import { DocStore } from '../../electron/core/docs/doc-store';
import { createTopics } from '../../electron/core/topics/topic-api';
import { TraceRecorder } from '../../electron/core/trace/recorder';
import { TraceStore } from '../../electron/core/trace/trace-store';

const publish = (topic: string) =>
  new Uint8Array(mqtt.generate({ cmd: 'publish', topic, payload: Buffer.from('21.5'), qos: 0, dup: false, retain: false } as mqtt.Packet, { protocolVersion: 4 }));

async function setup(budgetBytes: number) {
  const dir = await mkdtemp(join(tmpdir(), 'mqscope-topic-burst-'));
  const store = new TraceStore(budgetBytes);
  const recorder = new TraceRecorder(store, () => {});
  let burst = false;
  const topics = createTopics(recorder, new DocStore(dir), {} as EmbeddedBroker, () => true, () => burst);
  // A client publishing to the embedded broker: each PUBLISH it sends is a message the tree counts.
  const ctx = recorder.adopt({ id: 1, side: 'broker', transport: 'tcp', remote: '127.0.0.1:9', local: '127.0.0.1:1883', openedAtMs: 0 });
  let t = 0;
  const send = (n: number) => { for (let i = 0; i < n; i++) store.importFrame(ctx, false, 'packet', (t += 10), publish(`plant/m${i % 50}/temp`), null); };
  return {
    store, recorder, topics, send,
    setBurst: (b: boolean) => { burst = b; },
    async dispose() { topics.feed.dispose(); recorder.dispose(); await rm(dir, { recursive: true, force: true }); },
  };
}

test('in a burst the tick leaves counting for later; the first quiet tick counts everything', async () => {
  const s = await setup(64 * 2 ** 20);
  try {
    s.send(1000);
    s.recorder.flush();
    assert.equal(s.topics.feed.stats.messages, 1000, 'a quiet tick counts at once');
    s.setBurst(true);
    s.send(3000);
    s.recorder.flush();
    s.send(3000);
    s.recorder.flush();
    assert.equal(s.topics.feed.stats.messages, 1000, 'burst ticks count nothing');
    assert.equal(s.topics.feed.canWait(), true);
    s.setBurst(false);
    s.recorder.flush();
    assert.equal(s.topics.feed.stats.messages, 7000, 'the first quiet tick counts what waited');
  } finally {
    await s.dispose();
  }
});

test('in a burst the tick still counts when eviction could reach the frames not counted yet', async () => {
  // 4 MiB holds a few tens of thousands of these frames: fewer than the margin kept before eviction.
  const s = await setup(4 * 2 ** 20);
  try {
    s.setBurst(true);
    s.send(2000);
    assert.ok(s.store.framesUntilEviction() < 50_000, `${Math.round(s.store.framesUntilEviction())} frames until eviction`);
    assert.equal(s.topics.feed.canWait(), false);
    s.recorder.flush();
    assert.equal(s.topics.feed.stats.messages, 2000, 'counted in the burst rather than lost to eviction');
    assert.equal(s.store.evictedFrames, 0);
  } finally {
    await s.dispose();
  }
});
