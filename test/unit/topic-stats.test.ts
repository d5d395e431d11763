// Topic tree statistics: counts, the 10 s rate window, sorting, search and paging on a generated stream;
// then through a real core, where each message counts once however many taps saw it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mqtt from 'mqtt';
import { encode as cborEncode } from 'cbor-x';
import { TopicStats } from '../../electron/core/topics/topic-stats';
import { queryTopicTree } from '../../electron/core/topics/topic-tree-query';
import type { SessionOptions } from '../../shared/contract/types';
import { startTestCore } from '../support/core';
import { waitFor } from '../support/wait';

const S = 1e6;
const noPreview = () => undefined;

/** 10 topics plant/line{0..1}/m{0..4}; m0 gets 1 msg/s, ..., m4 gets 5 msg/s, for 20 s; 8-byte payloads. */
function generated(): TopicStats {
  const stats = new TopicStats();
  let seq = 0;
  for (let sec = 0; sec < 20; sec++) {
    for (let line = 0; line < 2; line++) {
      for (let m = 0; m < 5; m++) {
        for (let k = 0; k <= m; k++) {
          stats.add({ seq: seq++, topic: `plant/line${line}/m${m}`, timeUs: sec * S + k * 1000 + m, qos: (m % 3), retain: m === 4, payloadSize: 8 });
        }
      }
    }
  }
  return stats;
}

describe('TopicStats on a generated stream', () => {
  it('counts messages, bytes, topics and the QoS mix per subtree', () => {
    const s = generated();
    assert.equal(s.messages, 20 * 2 * 15);
    assert.equal(s.topicCount, 10);
    const line0 = s.node('plant/line0')!;
    assert.equal(line0.count, 20 * 15);
    assert.equal(line0.bytes, 20 * 15 * 8);
    assert.equal(line0.topics, 5);
    assert.deepEqual([line0.qos0, line0.qos1, line0.qos2], [20 * (1 + 4), 20 * (2 + 5), 20 * 3]);
    assert.equal(s.node('plant/line1/m3')!.own, 20 * 4);
    assert.equal(s.node('plant/line1/m4')!.retained, true);
    assert.equal(s.node('plant/line1/m3')!.retained, false);
  });

  it('rates are the last 10 s of wire time: msg/s and bytes/s, a sparkline per second, decaying after the stream stops', () => {
    const s = generated();
    const m2 = s.node('plant/line0/m2')!;
    assert.deepEqual(m2.rate(19), { msgs: 3, bytes: 24 });
    assert.deepEqual(m2.spark(19), new Array(10).fill(3));
    assert.deepEqual(s.node('plant')!.rate(19), { msgs: 30, bytes: 240 });
    // 5 s after the last message half the window is empty; 10 s after, nothing.
    assert.deepEqual(m2.rate(24), { msgs: 1.5, bytes: 12 });
    assert.deepEqual(m2.spark(24), [3, 3, 3, 3, 3, 0, 0, 0, 0, 0]);
    assert.deepEqual(m2.rate(29), { msgs: 0, bytes: 0 });
    // A gap longer than the window clears the old buckets before new ones fill.
    s.add({ seq: 99999, topic: 'plant/line0/m2', timeUs: 100 * S, qos: 0, retain: false, payloadSize: 4 });
    assert.deepEqual(m2.rate(100), { msgs: 0.1, bytes: 0.4 });
  });

  it('flattens expanded nodes, sorts by name or rate, pages, and searches with ancestors opened', () => {
    const s = generated();
    const now = 19.5 * S;
    const top = queryTopicTree(s, { expanded: [], sort: 'name', offset: 0, limit: 100 }, now, noPreview);
    assert.deepEqual(top.rows.map((r) => [r.path, r.count, r.topics]), [['plant', 600, 10]]);
    const open = queryTopicTree(s, { expanded: ['plant', 'plant/line1'], sort: 'rate', offset: 0, limit: 100 }, now, noPreview);
    assert.equal(open.total, 1 + 2 + 5);
    assert.deepEqual(open.rows.slice(2, 8).map((r) => r.path), ['plant/line1', 'plant/line1/m4', 'plant/line1/m3', 'plant/line1/m2', 'plant/line1/m1', 'plant/line1/m0']);
    assert.equal(open.rows[3].msgRate, 5);
    assert.equal(open.rows[3].depth, 2);
    const page = queryTopicTree(s, { expanded: ['plant', 'plant/line1'], sort: 'name', offset: 3, limit: 2 }, now, noPreview);
    assert.deepEqual(page.rows.map((r) => r.path), ['plant/line1/m0', 'plant/line1/m1']);
    assert.equal(page.total, 8);
    const found = queryTopicTree(s, { expanded: [], sort: 'name', search: 'LINE1/M3', offset: 0, limit: 100 }, now, noPreview);
    assert.deepEqual(found.rows.map((r) => r.path), ['plant', 'plant/line1', 'plant/line1/m3']);
  });

  it('empty levels are levels, and a topic that also has children keeps its own count', () => {
    const s = new TopicStats();
    for (const topic of ['/a', 'a', 'a/b', 'a//b']) s.add({ seq: 0, topic, timeUs: 0, qos: 0, retain: false, payloadSize: 1 });
    const r = queryTopicTree(s, { expanded: ['', 'a', 'a/'], sort: 'name', offset: 0, limit: 100 }, 0, noPreview);
    assert.deepEqual(r.rows.map((x) => [x.path, x.count, x.own]), [['', 1, 0], ['/a', 1, 1], ['a', 3, 1], ['a/', 1, 0], ['a//b', 1, 1], ['a/b', 1, 1]]);
  });
});

const options = (url: string, clientId: string): SessionOptions => ({
  name: clientId, url, protocolVersion: 5, clientId, keepalive: 30, clean: true, connectTimeoutMs: 5000,
  reconnect: { enabled: false, initialDelayMs: 100, maxDelayMs: 1000, maxTries: 0 },
});

describe('topicTree through a real core', () => {
  it('counts each message the embedded broker routed once, with previews decoded by the topic codec', async () => {
    const t = await startTestCore();
    const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.port}`, { clientId: 'tree-pub' });
    try {
      // Our own session subscribed to everything: its copies must not double the counts.
      const s = await t.core.sessionOpen({ options: options(`mqtt://127.0.0.1:${t.port}`, 'tree-sub') });
      await waitFor(async () => (await t.core.sessionList()).find((x) => x.id === s.id && x.state === 'connected'), { what: 'connected' });
      await t.core.sessionSubscribe({ id: s.id, subscriptions: [{ topic: '#', qos: 1 }] });
      await t.core.codecSettingsSet({ rules: [{ pattern: 'dev/+/cbor', codec: 'cbor' }], protoText: '' });
      for (let i = 0; i < 3; i++) await pub.publishAsync('dev/a/json', JSON.stringify({ n: i }), { qos: 1 });
      await pub.publishAsync('dev/a/cbor', Buffer.from(cborEncode({ temp: 21.5 })), { qos: 0, retain: true });
      const tree = await waitFor(async () => {
        const r = await t.core.topicTree({ expanded: ['dev', 'dev/a'], sort: 'name', offset: 0, limit: 100 });
        return r.messages === 4 && (await t.core.traceQuery({ sessionId: s.id, types: ['PUBLISH'], dir: 's2c' })).frames.length === 4 && r;
      }, { what: '4 messages counted and delivered to the session' });
      await new Promise((r) => setTimeout(r, 100)); // let a few more flushes run: the session's copies must still not count
      const again = await t.core.topicTree({ expanded: ['dev', 'dev/a'], sort: 'name', offset: 0, limit: 100 });
      assert.equal(again.messages, 4);
      assert.deepEqual(again.rows.map((r) => [r.path, r.count]), [['dev', 4], ['dev/a', 4], ['dev/a/cbor', 1], ['dev/a/json', 3]]);
      const cbor = again.rows[2];
      assert.equal(cbor.preview, '{"temp":21.5}');
      assert.equal(cbor.retained, true);
      assert.deepEqual(again.rows[3].qos, [0, 3, 0]);
      assert.equal(again.rows[3].preview, '{"n":2}');
      assert.ok(tree.rows[1].msgRate > 0);
      const series = await t.core.topicSeries({ topic: 'dev/a/json', field: 'n' });
      assert.deepEqual(series.points.map((p) => p[1]), [0, 1, 2]);
      assert.deepEqual(series.fields, ['n']);
      // Cleared trace, fresh tree.
      await t.core.traceClear();
      assert.equal((await t.core.topicTree({ expanded: [], sort: 'name', offset: 0, limit: 10 })).messages, 0);
    } finally {
      await pub.endAsync();
      await t.dispose();
    }
  });
});
