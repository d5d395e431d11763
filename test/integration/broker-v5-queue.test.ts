// The per-session queue: bounded by maxQueuedMessages (oldest dropped first, counted, shown with the
// offline session), Message Expiry honoured while queued with the remaining interval sent on delivery
// [MQTT-3.3.2-5], [MQTT-3.3.2-6]; and $SYS statistics in mosquitto's layout, read by mosquitto_sub.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startTestCore, type TestCore } from '../support/core';
import { RawPeer, gen, hex, packetIdOf, parse, puback } from '../support/raw-mqtt';

const run = promisify(execFile);
let t: TestCore;
before(async () => { t = await startTestCore({ maxQueuedMessages: 3, sysInterval: 1 }); });
after(async () => { await t?.dispose(); });

async function offlineSubscriber(id: string, topic: string): Promise<void> {
  const { peer } = await RawPeer.connect(t.port, { clientId: id, properties: { sessionExpiryInterval: 300 } });
  peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos: 1 }] }));
  await peer.next();
  peer.send(Buffer.from([0xe0, 0x00]));
  await peer.closed;
}

async function publish(topic: string, items: { payload: string; expiry?: number }[]): Promise<void> {
  const { peer } = await RawPeer.connect(t.port, { clientId: `pub-${Math.random().toString(36).slice(2)}` });
  let id = 1;
  for (const it of items) {
    peer.send(gen({ cmd: 'publish', topic, payload: it.payload, qos: 1, messageId: id++, properties: it.expiry ? { messageExpiryInterval: it.expiry } : undefined }));
    await peer.next();
  }
  peer.close();
}

describe('offline queue', () => {
  test('maxQueuedMessages 3: five messages queued, the two oldest are dropped and counted; the newest three arrive', async () => {
    await offlineSubscriber('q-limit', 'queue/limit');
    await publish('queue/limit', ['1', '2', '3', '4', '5'].map((payload) => ({ payload })));
    const offline = (await t.core.brokerOfflineSessions()).find((s) => s.clientId === 'q-limit');
    assert.deepEqual(offline && { queued: offline.queued, dropped: offline.dropped }, { queued: 3, dropped: 2 });
    const { peer, connack } = await RawPeer.connect(t.port, { clientId: 'q-limit', clean: false, properties: { sessionExpiryInterval: 300 } });
    assert.equal(connack[2], 1);
    const frames = await peer.drain(400);
    assert.deepEqual(frames.map((f) => f.subarray(-1).toString()), ['3', '4', '5']);
    for (const f of frames) peer.send(puback(packetIdOf(f)));
    peer.close();
  });

  test('Message Expiry: an expired queued message is not delivered; the others carry the time left', async () => {
    await offlineSubscriber('q-expiry', 'queue/expiry');
    await publish('queue/expiry', [{ payload: 'short', expiry: 1 }, { payload: 'long', expiry: 100 }]);
    await new Promise((r) => setTimeout(r, 1300)); // let the 1 s message expire while queued
    const { peer } = await RawPeer.connect(t.port, { clientId: 'q-expiry', clean: false, properties: { sessionExpiryInterval: 300 } });
    const frames = await peer.drain(400);
    assert.equal(frames.length, 1, frames.map(hex).join(' | '));
    const p = parse(frames[0]);
    assert.equal(p.payload.toString(), 'long');
    assert.ok(p.properties.messageExpiryInterval < 100 && p.properties.messageExpiryInterval >= 97, `remaining ${p.properties.messageExpiryInterval}`);
    peer.send(puback(p.messageId));
    peer.close();
  });
});

describe('waiting queue of a connected client', () => {
  test('Receive Maximum 1, session ends with the connection: beyond maxQueuedMessages the oldest waiting one is dropped', async () => {
    const { peer } = await RawPeer.connect(t.port, { clientId: 'q-online', properties: { receiveMaximum: 1 } });
    peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'queue/online', qos: 1 }] }));
    await peer.next();
    await publish('queue/online', ['1', '2', '3', '4', '5', '6'].map((payload) => ({ payload })));
    const got: string[] = [];
    for (;;) {
      const frames = await peer.drain(300);
      if (frames.length === 0) break;
      assert.equal(frames.length, 1, 'one in flight at a time');
      got.push(frames[0].subarray(-1).toString());
      peer.send(puback(packetIdOf(frames[0])));
    }
    // '1' went out at once; 2..6 waited, the window of 3 kept the newest: 4, 5, 6
    assert.deepEqual(got, ['1', '4', '5', '6']);
    peer.close();
  });
});

describe('inbound Topic Alias', () => {
  test('an alias set with a topic is used for the next PUBLISH; an unknown alias gets DISCONNECT 0x94', async () => {
    const s = await RawPeer.connect(t.port, { clientId: 'alias-sub' });
    s.peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'alias/t', qos: 0 }] }));
    await s.peer.next();
    const { peer } = await RawPeer.connect(t.port, { clientId: 'alias-pub' });
    peer.send(gen({ cmd: 'publish', topic: 'alias/t', payload: 'a', qos: 0, properties: { topicAlias: 3 } }));
    peer.send(gen({ cmd: 'publish', topic: '', payload: 'b', qos: 0, properties: { topicAlias: 3 } }));
    // the subscriber gets both with the full topic and no alias
    assert.equal(hex(await s.peer.next()), '30 0b 00 07 61 6c 69 61 73 2f 74 00 61');
    assert.equal(hex(await s.peer.next()), '30 0b 00 07 61 6c 69 61 73 2f 74 00 62');
    peer.send(gen({ cmd: 'publish', topic: '', payload: 'c', qos: 0, properties: { topicAlias: 4 } }));
    assert.equal(hex(await peer.next()), 'e0 02 94 00');
    await peer.closed;
    s.peer.close();
  });
});

describe('$SYS statistics', () => {
  test('mosquitto_sub -V mqttv5 reads mosquitto\'s topics, retained, with counts that follow the traffic', async () => {
    // The retained copies come first, then fresh ones every second (sysInterval 1): a count of messages can fill
    // up with repeats before every topic was seen, so read for 3 s (mosquitto_sub's -W timeout exits 27).
    const stdout = await run('mosquitto_sub', ['-p', String(t.port), '-V', 'mqttv5', '-t', '$SYS/broker/#', '-F', '%t\t%r\t%p', '-W', '3'])
      .then((r) => r.stdout, (e: { code?: number; stdout?: string }) => { if (e.code !== 27) throw e; return e.stdout ?? ''; });
    const lines = stdout.trim().split('\n').map((l) => l.split('\t') as [string, string, string]);
    const values = new Map(lines.map(([topic, , payload]) => [topic, payload]));
    const retained = new Set(lines.filter(([, r]) => r === '1').map(([topic]) => topic));
    assert.deepEqual([...values.keys()].filter((topic) => !retained.has(topic)), [], 'every statistic is also delivered as a retained message');
    for (const topic of ['version', 'uptime', 'clients/connected', 'clients/total', 'clients/disconnected', 'messages/received', 'messages/sent',
      'publish/messages/received', 'publish/messages/dropped', 'bytes/received', 'bytes/sent', 'subscriptions/count', 'retained messages/count']) {
      assert.ok(values.has(`$SYS/broker/${topic}`), `${topic} in ${[...values.keys()].join(', ')}`);
    }
    assert.match(values.get('$SYS/broker/uptime')!, /^\d+ seconds$/);
    assert.ok(Number(values.get('$SYS/broker/messages/received')) > 10);
    assert.ok(Number(values.get('$SYS/broker/bytes/sent')) > 100);
    assert.ok(Number(values.get('$SYS/broker/publish/messages/dropped')) >= 2, 'the queue drops of the test above');
    assert.ok(Number(values.get('$SYS/broker/clients/disconnected')) >= 1, 'the offline sessions above');
  });

  test('sysInterval 0 turns the statistics off', async () => {
    const quiet = await startTestCore({ sysInterval: 0 });
    try {
      const { peer } = await RawPeer.connect(quiet.port, { clientId: 'sys-off' });
      peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: '$SYS/broker/#', qos: 0 }] }));
      await peer.next();
      assert.deepEqual((await peer.drain(500)).map(hex), []);
      peer.close();
    } finally { await quiet.dispose(); }
  });
});
