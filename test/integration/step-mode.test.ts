// Step mode and the raw sender on MQScope's own connections, against a real mosquitto, through the real
// core (contract methods, trace recorder): held acknowledgements go out only when the user says so, a
// dropped PUBCOMP leaves the flow open until a reconnect resends the PUBREL, and raw bytes reach the wire
// (and mosquitto_sub) exactly as written.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseParams } from '../../shared/contract/schemas';
import type { FrameSummary, SessionInfo, StepItem, StepState } from '../../shared/contract/types';
import { startCutProxy, type CutProxy } from '../support/cut-proxy';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { startTestCore, type TestCore } from '../support/core';
import { waitFor } from '../support/wait';
import { mosquittoSub, sessionOptions } from './sessions-helpers';

const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
let mosq: Mosquitto;
let tc: TestCore;
let proxy: CutProxy;
const stepEvents: StepState[] = [];
before(async () => {
  [mosq, tc] = await Promise.all([startMosquitto(), startTestCore()]);
  proxy = await startCutProxy(mosq.port);
  tc.core.events.on('sessionStep', (s) => stepEvents.push(s));
});
after(async () => {
  await tc?.dispose();
  await proxy?.close();
  await mosq?.stop();
});

async function open(url: string, extra: Parameters<typeof sessionOptions>[1] = {}): Promise<SessionInfo> {
  const s = await tc.core.sessionOpen({ options: sessionOptions(url, extra) });
  return connected(s.id);
}
function connected(id: string, conns = 1): Promise<SessionInfo> {
  return waitFor(async () => {
    const s = (await tc.core.sessionList()).find((x) => x.id === id);
    return s?.state === 'connected' && s.conns.length >= conns ? s : undefined;
  }, { what: `session connected (${conns} connection(s))` });
}
function heldStep(id: string, match: (i: StepItem) => boolean, what: string): Promise<StepItem> {
  return waitFor(async () => (await tc.core.sessionStepQueue({ id })).items.find(match), { what });
}
async function frames(sessionId: string): Promise<FrameSummary[]> {
  return (await tc.core.traceQuery({ sessionId, limit: 10_000 })).frames;
}

describe('step mode', () => {
  test('hold PUBREC and PUBCOMP of a QoS 2 publish to mosquitto, drop the PUBCOMP, reconnect: PUBREL resent, then complete', async () => {
    const s = await open(`mqtt://127.0.0.1:${proxy.port}`, { clean: false, reconnect: { enabled: true, initialDelayMs: 20, maxDelayMs: 100, maxTries: 10 } });
    assert.deepEqual(await tc.core.sessionStepMode({ id: s.id, on: true }), { sessionId: s.id, on: true, items: [] });
    let done = false;
    const published = tc.core.sessionPublish({ id: s.id, message: { topic: 'step/q2', payloadB64: b64('held'), qos: 2, retain: false } })
      .finally(() => { done = true; });

    const pubrec = await heldStep(s.id, (i) => i.received === 'PUBREC', 'PUBREC held');
    assert.equal(pubrec.reply, 'PUBREL');
    assert.ok(!(await frames(s.id)).some((f) => f.type === 'PUBREL'), 'no PUBREL on the wire while held');
    await tc.core.sessionStepAction({ id: s.id, item: pubrec.id, action: 'send' });

    const pubcomp = await heldStep(s.id, (i) => i.received === 'PUBCOMP', 'incoming PUBCOMP held');
    assert.equal(pubcomp.reply, null);
    assert.equal(pubcomp.packetId, pubrec.packetId);
    const after = await tc.core.sessionStepAction({ id: s.id, item: pubcomp.id, action: 'drop' });
    assert.deepEqual(after.items, []);
    assert.ok(stepEvents.some((e) => e.sessionId === s.id && e.items.some((i) => i.id === pubcomp.id)), 'the queue change was announced');
    assert.equal((await tc.core.sessionList()).find((x) => x.id === s.id)?.inflight, 1, 'the flow is still open');
    assert.equal(done, false);

    proxy.breakAll();
    const resumed = await connected(s.id, 2);
    const again = await heldStep(s.id, (i) => i.received === 'PUBCOMP' && i.conn === resumed.conns[1], 'PUBCOMP for the resent PUBREL held');
    assert.equal(again.packetId, pubrec.packetId);
    // The flow engine (client-side tap) sees the PUBREL resent after the reconnect: retransmitted. The
    // PUBCOMP that the session holds is on the wire already, so the wire-level flow may be complete.
    const continued = await waitFor(async () => {
      const f = (await tc.core.flowsQuery({ conns: [resumed.conns[0]!], kinds: ['publish-qos2'] })).flows.find((x) => x.side === 'client' && x.packetId === pubrec.packetId);
      const full = f ? await tc.core.flowGet({ id: f.id }) : null;
      return full?.steps.some((st) => st.conn === resumed.conns[1] && st.type === 'PUBREL') ? full : undefined;
    }, { what: 'the flow continued on the new connection' });
    assert.equal(continued.retransmitted, true, 'the flow says retransmitted');
    await tc.core.sessionStepAction({ id: s.id, item: again.id, action: 'send' });
    const result = await published;
    assert.equal(result.packetId, pubrec.packetId);
    assert.deepEqual(result.reasonCodes, [0, 0]);
    const flow = await waitFor(async () => {
      const f = (await tc.core.flowsQuery({ conns: [resumed.conns[0]!], kinds: ['publish-qos2'] })).flows.find((x) => x.side === 'client' && x.packetId === pubrec.packetId);
      return f?.state === 'complete' ? f : undefined;
    }, { what: 'the flow complete' });
    assert.equal(flow.retransmitted, true, 'complete, and still marked as retransmitted');

    const all = await frames(s.id);
    const [c1, c2] = resumed.conns;
    const on = (conn: number, type: string) => all.filter((f) => f.conn === conn && f.type === type);
    assert.equal(on(c1!, 'PUBREL').length, 1);
    assert.equal(on(c2!, 'PUBREL').length, 1, 'PUBREL resent after the reconnect');
    assert.equal(on(c2!, 'PUBREL')[0]!.packetId, pubrec.packetId);
    assert.equal(on(c2!, 'PUBLISH').length, 0, 'not the PUBLISH: PUBREC had arrived');
    assert.equal(on(c1!, 'PUBCOMP').length, 1, 'the dropped PUBCOMP did arrive on the wire');
    assert.equal(on(c2!, 'PUBCOMP').length, 1);
    assert.ok(all.some((f) => f.kind === 'event' && /incoming PUBCOMP id \d+ — dropped by the user/.test(f.note ?? '')));
    await tc.core.sessionStepMode({ id: s.id, on: false });
    await tc.core.sessionClose({ id: s.id });
  });

  test('held PUBACK for an incoming QoS 1 message: duplicate sends it twice; turning step mode off releases the rest', async () => {
    const s = await open(`mqtt://127.0.0.1:${mosq.port}`);
    const pub = await open(`mqtt://127.0.0.1:${mosq.port}`);
    await tc.core.sessionSubscribe({ id: s.id, subscriptions: [{ topic: 'step/q1', qos: 1 }] });
    await tc.core.sessionStepMode({ id: s.id, on: true });
    await tc.core.sessionPublish({ id: pub.id, message: { topic: 'step/q1', payloadB64: b64('a'), qos: 1, retain: false } });
    const first = await heldStep(s.id, (i) => i.received === 'PUBLISH', 'PUBACK held');
    assert.deepEqual([first.reply, first.topic, first.qos], ['PUBACK', 'step/q1', 1]);
    await tc.core.sessionStepAction({ id: s.id, item: first.id, action: 'duplicate' });
    await tc.core.sessionPublish({ id: pub.id, message: { topic: 'step/q1', payloadB64: b64('b'), qos: 1, retain: false } });
    const second = await heldStep(s.id, (i) => i.received === 'PUBLISH' && i.id !== first.id, 'second PUBACK held');
    await assert.rejects(tc.core.sessionStepAction({ id: s.id, item: 999, action: 'send' }), /step 999 is not waiting/);
    await tc.core.sessionStepMode({ id: s.id, on: false });
    const acks = await waitFor(async () => {
      const a = (await frames(s.id)).filter((f) => f.type === 'PUBACK' && f.dir === 'c2s');
      return a.length === 3 ? a : undefined;
    }, { what: 'three PUBACKs on the wire' });
    assert.deepEqual(acks.map((a) => a.packetId), [first.packetId, first.packetId, second.packetId]);
    assert.deepEqual((await tc.core.sessionStepQueue({ id: s.id })).items, []);
  });
});

describe('raw sender', () => {
  test('hex bytes go on the wire verbatim and mosquitto_sub receives the message', async () => {
    const s = await open(`mqtt://127.0.0.1:${mosq.port}`);
    const peer = await mosquittoSub(mosq.port, 'raw/t');
    try {
      const bytes = Buffer.concat([Buffer.from([0x30, 2 + 5 + 5, 0x00, 0x05]), Buffer.from('raw/thello')]);
      const r = await tc.core.sessionSendRaw({ id: s.id, bytesB64: b64(bytes) });
      assert.equal(r.length, bytes.length);
      await waitFor(() => peer.lines().includes('hello'), { what: `mosquitto_sub to print hello (got ${peer.lines().join('|')})` });
      const sent = (await frames(s.id)).filter((f) => f.type === 'PUBLISH' && f.dir === 'c2s');
      assert.equal(sent.length, 1);
      const detail = await tc.core.traceFrame({ seq: sent[0]!.seq });
      assert.deepEqual(Buffer.from(detail!.bytesB64, 'base64'), bytes);
    } finally {
      peer.stop();
    }
  });

  test('fields form: a QoS 1 PUBLISH with a chosen packet id, the broker acknowledges that id', async () => {
    const s = await open(`mqtt://127.0.0.1:${mosq.port}`);
    const r = await tc.core.sessionSendRaw({ id: s.id, packet: { cmd: 'publish', topic: 'raw/f', payloadB64: b64('x'), qos: 1, messageId: 4242 } });
    assert.equal(Buffer.from(r.bytesB64, 'base64')[0], 0x32);
    const all = await waitFor(async () => {
      const f = await frames(s.id);
      return f.some((x) => x.type === 'PUBACK' && x.packetId === 4242) ? f : undefined;
    }, { what: 'PUBACK 4242' });
    const pub = all.find((f) => f.type === 'PUBLISH' && f.dir === 'c2s')!;
    assert.deepEqual(Buffer.from((await tc.core.traceFrame({ seq: pub.seq }))!.bytesB64, 'base64'), Buffer.from(r.bytesB64, 'base64'));
    assert.ok(all.some((f) => /PUBACK for packet id 4242, which has no QoS 1 publish in flight/.test(f.note ?? '')), 'the session saw an ack it did not expect');
    await assert.rejects(tc.core.sessionSendRaw({ id: s.id, packet: { cmd: 'publish', topic: 'x', qos: 1 } }), /needs a messageId/);
    await assert.rejects(tc.core.sessionSendRaw({ id: s.id, packet: { cmd: 'subscribe', messageId: 1 } }), /cannot encode SUBSCRIBE/);
    assert.throws(() => parseParams('sessionSendRaw', { id: s.id, bytesB64: 'AA==', packet: { cmd: 'pingreq' } }), /either bytesB64 or packet/);
    assert.throws(() => parseParams('sessionSendRaw', { id: s.id, packet: { cmd: 'hello' } }), /packet\.cmd/);
  });
});
