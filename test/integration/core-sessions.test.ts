// Client sessions through the whole core: the real recorder taps them, and both legs of a flow to the
// embedded broker land in one trace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SessionOptions } from '../../shared/contract/types';
import { startMosquitto } from '../support/mosquitto';
import { startTestCore } from '../support/core';
import { waitFor } from '../support/wait';

const options = (url: string, clientId: string): SessionOptions => ({
  name: clientId, url, protocolVersion: 5, clientId, keepalive: 30, clean: true, connectTimeoutMs: 5000,
  reconnect: { enabled: false, initialDelayMs: 100, maxDelayMs: 1000, maxTries: 0 },
});

test('a session to mosquitto is traced on the client side, frame for frame', async () => {
  const t = await startTestCore();
  const mosq = await startMosquitto();
  try {
    const s = await t.core.sessionOpen({ options: options(`mqtt://127.0.0.1:${mosq.port}`, 'core-v5') });
    await waitFor(async () => (await t.core.sessionList()).find((x) => x.id === s.id && x.state === 'connected'), { what: 'connected' });
    const sub = await t.core.sessionSubscribe({ id: s.id, subscriptions: [{ topic: 'core/#', qos: 2 }] });
    assert.deepEqual(sub.reasonCodes, [2]);
    const pub = await t.core.sessionPublish({ id: s.id, message: { topic: 'core/x', payloadB64: Buffer.from('hello').toString('base64'), qos: 2, retain: false, properties: { userProperties: [{ key: 'k', value: 'v' }] } } });
    assert.ok(pub.reasonCodes.length > 0 && pub.reasonCodes.every((c) => c === 0), `PUBREC/PUBCOMP codes ${pub.reasonCodes}`);
    const received = await waitFor(async () => {
      const r = await t.core.traceQuery({ sessionId: s.id, side: 'client', dir: 's2c', types: ['PUBLISH'] });
      return r.frames.length > 0 && r;
    }, { what: 'the echo arrives' });
    assert.equal(received.frames[0].topic, 'core/x');
    const detail = (await t.core.traceFrame({ seq: received.frames[0].seq }))!;
    assert.ok(Buffer.from(detail.bytesB64, 'base64').includes(Buffer.from('hello')));
    assert.equal(detail.protocolVersion, 5);
    await waitFor(async () => (await t.core.traceQuery({ sessionId: s.id, types: ['PUBCOMP'] })).frames.length === 2, { what: 'both QoS 2 flows complete' });
    const all = await t.core.traceQuery({ sessionId: s.id, kinds: ['packet'], limit: 100 });
    const seq = all.frames.map((f) => `${f.dir === 'c2s' ? '>' : '<'}${f.type}`);
    assert.deepEqual(seq.slice(0, 4), ['>CONNECT', '<CONNACK', '>SUBSCRIBE', '<SUBACK']);
    for (const x of ['>PUBLISH', '<PUBREC', '>PUBREL', '<PUBCOMP', '<PUBLISH', '>PUBREC', '<PUBREL', '>PUBCOMP']) assert.ok(seq.includes(x), `${x} in ${seq}`);
    assert.ok(all.frames.every((f) => f.side === 'client'));
    await t.core.sessionDisconnect({ id: s.id });
    const conns = await t.core.connectionList();
    const c = conns.find((x) => x.sessionId === s.id)!;
    assert.equal(c.clientId, 'core-v5');
    assert.equal(c.protocolVersion, 5);
  } finally {
    await t.dispose();
    await mosq.stop();
  }
});

test('to the embedded broker, each packet is seen twice: by the client and by the broker', async () => {
  const t = await startTestCore();
  try {
    const s = await t.core.sessionOpen({ options: { ...options(`mqtt://127.0.0.1:${t.port}`, 'legs'), protocolVersion: 4 } });
    await waitFor(async () => (await t.core.sessionList()).find((x) => x.id === s.id && x.state === 'connected'));
    await t.core.sessionSubscribe({ id: s.id, subscriptions: [{ topic: 'legs', qos: 1 }] });
    await t.core.sessionPublish({ id: s.id, message: { topic: 'legs', payloadB64: Buffer.from('both sides').toString('base64'), qos: 1, retain: false } });
    const q = await waitFor(async () => { const r = await t.core.traceQuery({ types: ['PUBLISH'], limit: 10 }); return r.frames.length === 4 && r; }, { what: '4 PUBLISH frames' });
    const legs = q.frames.map((f) => `${f.side}:${f.dir}`).sort();
    assert.deepEqual(legs, ['broker:c2s', 'broker:s2c', 'client:c2s', 'client:s2c']);
    const bytes = await Promise.all(q.frames.map(async (f) => Buffer.from((await t.core.traceFrame({ seq: f.seq }))!.bytesB64, 'base64')));
    const byLeg = new Map(q.frames.map((f, i) => [`${f.side}:${f.dir}`, bytes[i]]));
    assert.ok(byLeg.get('client:c2s')!.equals(byLeg.get('broker:c2s')!), 'what the client sent is what the broker got');
    assert.ok(byLeg.get('broker:s2c')!.equals(byLeg.get('client:s2c')!), 'what the broker sent is what the client got');
  } finally {
    await t.dispose();
  }
});
