// Flows and journeys from real peers: mosquitto_pub -q 2 through the embedded broker to mosquitto_sub
// -q 1 and -q 2, and MQScope's own client session joined with the broker tap (loopback peers).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { JourneyResult } from '../../shared/flows/types';
import { startTestCore, type TestCore } from '../support/core';
import { run, startPeer, type Peer } from '../support/processes';
import { waitFor } from '../support/wait';

let t: TestCore;
const peers: Peer[] = [];
before(async () => { t = await startTestCore(); });
after(async () => {
  for (const p of peers) await p.kill('SIGKILL');
  await t?.dispose();
});

async function subscribed(clientId: string, topic: string): Promise<void> {
  await waitFor(async () => (await t.core.brokerSubscriptions()).some((s) => s.clientId === clientId && s.topic === topic && s.online),
    { what: `${clientId} subscribed to ${topic}` });
}

test('mosquitto_pub -q 2 to mosquitto_sub -q 1 and -q 2: one journey, inbound QoS 2 complete in 4 steps, deliveries at QoS 1 and 2 complete', async () => {
  const port = String(t.port);
  const topic = 'flows/plant/temp';
  const sub1 = startPeer('mosquitto_sub', ['-p', port, '-i', 'fsub1', '-q', '1', '-t', topic, '-C', '1']);
  const sub2 = startPeer('mosquitto_sub', ['-p', port, '-i', 'fsub2', '-q', '2', '-t', topic, '-C', '1']);
  peers.push(sub1, sub2);
  await subscribed('fsub1', topic);
  await subscribed('fsub2', topic);
  let changes = 0;
  t.core.events.on('flowsChanged', () => { changes++; });
  await run('mosquitto_pub', ['-p', port, '-i', 'fpub', '-q', '2', '-t', topic, '-m', '21.5']);
  await sub1.waitOut('21.5');
  await sub2.waitOut('21.5');

  const inbound = await waitFor(async () => {
    const { flows } = await t.core.flowsQuery({ clientId: 'fpub', kinds: ['publish-qos2'] });
    return flows.length === 1 && flows[0].state === 'complete' ? flows[0] : null;
  }, { what: 'the inbound QoS 2 flow complete' });
  const full = (await t.core.flowGet({ id: inbound.id }))!;
  assert.deepEqual(full.steps.map((s) => `${s.type} ${s.dir}`), ['PUBLISH c2s', 'PUBREC s2c', 'PUBREL c2s', 'PUBCOMP s2c']);
  assert.equal(full.side, 'broker');
  assert.equal(full.topic, topic);
  assert.ok(full.steps.every((s, i) => i === 0 || s.timeUs >= full.steps[i - 1].timeUs), 'steps in time order');
  assert.equal(full.durationUs, full.steps[3].timeUs - full.steps[0].timeUs);

  const got: JourneyResult = await waitFor(async () => {
    const j = await t.core.journeyGet({ flowId: inbound.id });
    return j && j.journey.deliveries.length === 2 && j.journey.deliveries.every((d) => d.state === 'complete') ? j : null;
  }, { what: 'two complete deliveries' });
  const { journey } = got;
  assert.equal(journey.topic, topic);
  assert.equal(journey.publisher?.clientId, 'fpub');
  assert.equal(journey.inboundFlow, inbound.id);
  assert.equal(journey.payloadSize, 4);
  const byClient = Object.fromEntries(journey.deliveries.map((d) => [d.clientId, d]));
  assert.equal(byClient.fsub1.qos, 1, 'downgraded to the subscription QoS');
  assert.equal(byClient.fsub2.qos, 2);
  assert.equal(byClient.fsub1.cause, 'publish');
  const d1 = got.flows.find((f) => f.id === byClient.fsub1.flow)!;
  const d2 = got.flows.find((f) => f.id === byClient.fsub2.flow)!;
  assert.deepEqual(d1.steps.map((s) => `${s.type} ${s.dir}`), ['PUBLISH s2c', 'PUBACK c2s']);
  assert.deepEqual(d2.steps.map((s) => `${s.type} ${s.dir}`), ['PUBLISH s2c', 'PUBREC c2s', 'PUBREL s2c', 'PUBCOMP c2s']);
  const alone = await t.core.journeyGet({ seq: d2.steps[0].seq });
  assert.equal(alone?.journey.id, journey.id, 'the delivered PUBLISH frame leads to the same journey');

  const marks = await t.core.flowsOfFrames({ fromSeq: full.steps[0].seq, toSeq: full.steps[3].seq });
  assert.deepEqual(marks.filter((m) => m.flowId === inbound.id).map((m) => m.seq), full.steps.map((s) => s.seq));
  // Queries fold without announcing; the next batch tick (≤ 33 ms) announces what changed.
  await waitFor(() => changes > 0, { what: 'flowsChanged announced at a batch tick' });
  const { counts, total } = await t.core.flowsQuery({});
  assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), total);
  assert.equal(counts.broken, 0, 'real clients break no rule');
});

test('MQScope\'s own session publishing to the embedded broker: the client-tap flow is joined with the broker-tap flow', async () => {
  const s = await t.core.sessionOpen({
    options: {
      name: 'loop', url: `mqtt://127.0.0.1:${t.port}`, protocolVersion: 5, clientId: 'loop-me', keepalive: 60, clean: true,
      connectTimeoutMs: 5000, reconnect: { enabled: false, initialDelayMs: 0, maxDelayMs: 0, maxTries: 0 },
    },
  });
  await t.core.sessionConnect({ id: s.id });
  await waitFor(async () => (await t.core.sessionList()).find((x) => x.id === s.id)?.state === 'connected', { what: 'session connected' });
  await t.core.sessionPublish({ id: s.id, message: { topic: 'flows/loop', payloadB64: Buffer.from('hi').toString('base64'), qos: 1, retain: false } });
  const client = await waitFor(async () => {
    const { flows } = await t.core.flowsQuery({ clientId: 'loop-me', kinds: ['publish-qos1'] });
    const f = flows.find((x) => x.side === 'client' && x.state === 'complete' && x.peer);
    return f ?? null;
  }, { what: 'the client-side publish flow with a peer' });
  const broker = (await t.core.flowGet({ id: client.peer!.flowId }))!;
  assert.equal(broker.side, 'broker');
  assert.equal(broker.peer?.flowId, client.id);
  assert.equal(broker.packetId, client.packetId);
  const j = (await t.core.journeyGet({ flowId: client.id }))!;
  assert.equal(j.journey.inboundFlow, broker.id);
  assert.deepEqual(j.journey.deliveries, [], 'nobody subscribed to flows/loop');
  assert.deepEqual(j.flows.map((f) => f.side), ['broker', 'client']);
  const windows = await t.core.flowWindows();
  const w = windows.find((x) => x.side === 'client' && x.clientId === 'loop-me');
  assert.ok(w, 'the live session has a window');
  assert.equal(w.c2s.qos1, 0, 'nothing outstanding once acknowledged');
  await t.core.sessionClose({ id: s.id });
});

test('real peers: a retained message delivered on subscribe, a will after kill -9, a message to nobody', async () => {
  const port = String(t.port);
  await run('mosquitto_pub', ['-p', port, '-i', 'rpub', '-q', '1', '-r', '-t', 'flows/cfg', '-m', 'v1']);
  const late = startPeer('mosquitto_sub', ['-p', port, '-i', 'rlate', '-q', '1', '-t', 'flows/cfg', '-C', '1']);
  peers.push(late);
  await late.waitOut('v1');
  const watcher = startPeer('mosquitto_sub', ['-p', port, '-i', 'rwatch', '-q', '1', '-t', 'flows/status/#', '-v']);
  peers.push(watcher);
  await subscribed('rwatch', 'flows/status/#');
  const dying = startPeer('mosquitto_sub', ['-p', port, '-i', 'rdying', '-t', 'flows/none', '--will-topic', 'flows/status/rdying', '--will-payload', 'lost', '--will-qos', '1']);
  peers.push(dying);
  await subscribed('rdying', 'flows/none');
  await dying.kill('SIGKILL');
  await watcher.waitOut('flows/status/rdying lost');
  await run('mosquitto_pub', ['-p', port, '-i', 'rlonely', '-t', 'flows/nobody/here', '-m', 'echo']);

  const journeyOfClient = async (clientId: string, kind: 'publish-qos0' | 'publish-qos1') => {
    const f = (await t.core.flowsQuery({ clientId, kinds: [kind] })).flows.find((x) => x.side === 'broker');
    return f ? (await t.core.journeyGet({ flowId: f.id }))?.journey ?? null : null;
  };
  const retained = await waitFor(() => journeyOfClient('rpub', 'publish-qos1'), { what: 'the retained publish journey' });
  assert.equal(retained.retain, true);
  assert.deepEqual(retained.deliveries.map((d) => [d.clientId, d.cause]), [['rlate', 'retained']]);
  const will = await waitFor(async () => {
    const d = (await t.core.flowsQuery({ clientId: 'rwatch', kinds: ['publish-qos1'] })).flows[0];
    return d ? (await t.core.journeyGet({ flowId: d.id }))?.journey : null;
  }, { what: 'the will delivery' });
  assert.equal(will.topic, 'flows/status/rdying');
  assert.equal(will.publisher?.clientId, 'rdying');
  assert.equal(will.inboundFlow, undefined);
  assert.deepEqual(will.deliveries.map((d) => [d.clientId, d.cause]), [['rwatch', 'will']]);
  const lonely = await waitFor(() => journeyOfClient('rlonely', 'publish-qos0'), { what: 'the lonely journey' });
  assert.deepEqual(lonely.deliveries, []);
  await watcher.kill();
});

test('flows are rebuilt when the trace is cleared, and an opened file has flows of its own', async () => {
  const before = await t.core.flowsQuery({ kinds: ['publish-qos2'] });
  assert.ok(before.total > 0);
  const saveDir = await mkdtemp(join(tmpdir(), 'mqscope-flows-'));
  const file = join(saveDir, 'saved.mqtrace');
  await t.core.saveTraceFile(file);
  const reset = new Promise((r) => t.core.events.once('flowsChanged', r));
  await t.core.traceClear(undefined);
  await reset;
  assert.equal((await t.core.flowsQuery({})).total, 0);
  const doc = (await t.core.openTraceFile(file)).id;
  await rm(saveDir, { recursive: true, force: true });
  assert.equal((await t.core.flowsQuery({})).total, 0, 'the live capture stays cleared');
  const after = await t.core.flowsQuery({ kinds: ['publish-qos2'], doc });
  assert.equal(after.total, before.total);
  const inbound = after.flows.find((f) => f.clientId === 'fpub')!;
  assert.equal(inbound.state, 'complete');
  assert.deepEqual((await t.core.flowGet({ id: inbound.id, doc }))?.steps.map((s) => s.type), ['PUBLISH', 'PUBREC', 'PUBREL', 'PUBCOMP']);
  const j = await t.core.journeyGet({ flowId: inbound.id, doc });
  assert.deepEqual(j?.journey.deliveries.map((d) => [d.clientId, d.qos, d.state]).sort(), [['fsub1', 1, 'complete'], ['fsub2', 2, 'complete']]);
});
