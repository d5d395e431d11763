// A QoS 2 message the broker resends after a reconnect (its PUBREC was lost) is on the wire twice, but the
// session delivers it once and says so in the trace; the Messages view's list (the renderer's trace model,
// fed by the real core) shows it once, while the Trace keeps both PUBLISH frames.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SessionInfo } from '../../shared/contract/types';
import { startCutProxy, type CutProxy } from '../support/cut-proxy';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { startTestCore, type TestCore } from '../support/core';
import { waitFor } from '../support/wait';
import { sessionOptions } from './sessions-helpers';

(globalThis as { requestAnimationFrame?: (cb: () => void) => unknown }).requestAnimationFrame ??= (cb) => setTimeout(cb, 0);
const { TraceModel } = await import('../../renderer/features/trace/trace-model');

let mosq: Mosquitto;
let tc: TestCore;
let proxy: CutProxy;
before(async () => {
  [mosq, tc] = await Promise.all([startMosquitto(), startTestCore()]);
  proxy = await startCutProxy(mosq.port);
});
after(async () => {
  await tc?.dispose();
  await proxy?.close();
  await mosq?.stop();
});

test('a resent QoS 2 PUBLISH is listed once in the Messages view, twice in the trace', async () => {
  const core = tc.core;
  const topic = 'dup/list';
  const reconnect = { enabled: true, initialDelayMs: 20, maxDelayMs: 100, maxTries: 10 };
  const sub = await core.sessionOpen({ options: sessionOptions(`mqtt://127.0.0.1:${proxy.port}`, { clean: false, reconnect }) });
  const pub = await core.sessionOpen({ options: sessionOptions(`mqtt://127.0.0.1:${mosq.port}`) });
  const connected = (id: string, conns = 1) => waitFor(async () => {
    const s = (await core.sessionList()).find((x) => x.id === id);
    return s?.state === 'connected' && s.conns.length >= conns ? s : undefined;
  }, { what: `session ${id} connected` });
  await Promise.all([connected(sub.id), connected(pub.id)]);
  await core.sessionSubscribe({ id: sub.id, subscriptions: [{ topic, qos: 2 }] });
  const cut = proxy.cutAt({ dir: 'c2s', type: 5 }); // the subscriber's PUBREC never reaches mosquitto
  await core.sessionPublish({ id: pub.id, message: { topic, payloadB64: Buffer.from('once').toString('base64'), qos: 2, retain: false } });
  await cut;
  const resumed: SessionInfo = await connected(sub.id, 2);
  await core.sessionPublish({ id: pub.id, message: { topic, payloadB64: Buffer.from('fence').toString('base64'), qos: 2, retain: false } });

  const wirePublishes = async () => (await core.traceQuery({ sessionId: sub.id, types: ['PUBLISH'], dir: 's2c' })).frames;
  await waitFor(async () => (await wirePublishes()).length === 3, { what: 'three PUBLISH frames to the subscriber' });
  const frames = await wirePublishes();
  assert.deepEqual(frames.map((f) => [f.topic, f.dup]), [[topic, false], [topic, true], [topic, false]]);
  assert.equal(frames[0]!.packetId, frames[1]!.packetId, 'mosquitto resent the same packet id');

  const model = new TraceModel();
  model.start(core);
  await waitFor(() => model.frames.length > 0, { what: 'the model to load the trace' });
  const view = model.messagesFor(resumed.conns);
  const listed = Array.from({ length: view.count }, (_, i) => view.get(i)!);
  assert.deepEqual(listed.map((f) => [f.seq, f.dup]), [[frames[0]!.seq, false], [frames[2]!.seq, false]]);
});
