// Fault injection on the embedded broker against real mqtt.js clients: a dropped PUBACK never reaches the
// wire and is made up for by mqtt.js' DUP resend after the socket is closed without DISCONNECT; a dropped
// outbound PUBLISH is redelivered by the broker on reconnect; close fires the will; delay holds packets.
// Everything is asserted on the trace's bytes and on what the real peers saw.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { FrameSummary } from '../../shared/contract/types';
import { startTestCore, type TestCore } from '../support/core';
import { waitFor } from '../support/wait';

let t: TestCore;
const clients: MqttClient[] = [];
before(async () => { t = await startTestCore(); });
after(async () => {
  for (const c of clients) c.end(true);
  await t?.dispose();
});

async function connect(clientId: string, extra: IClientOptions = {}): Promise<MqttClient> {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.port}`, { clientId, clean: false, reconnectPeriod: 50, connectTimeout: 5000, ...extra });
  clients.push(c);
  return c;
}

/** Broker-side frames of every connection this client id had, oldest first. */
async function brokerFrames(clientId: string): Promise<FrameSummary[]> {
  const conns = (await t.core.connectionList()).filter((c) => c.side === 'broker' && c.clientId === clientId).map((c) => c.id);
  return (await t.core.traceQuery({ conns, side: 'broker', limit: 10_000 })).frames;
}

async function bytesOf(seq: number): Promise<Buffer> {
  const d = await t.core.traceFrame({ seq });
  return Buffer.from(d!.bytesB64, 'base64');
}

describe('fault injection on the embedded broker', () => {
  for (const version of [4, 5] as const) {
    test(`MQTT ${version}: dropped PUBACK + closed socket → mqtt.js resends the PUBLISH with DUP=1, once acknowledged`, async () => {
      const id = `faulty-${version}`;
      // v5 needs a Session Expiry for the session (and the flow) to outlive the connection.
      const c = await connect(id, { protocolVersion: version, ...(version === 5 ? { properties: { sessionExpiryInterval: 300 } } : {}) });
      assert.deepEqual(await t.core.brokerFaultSet({ clientId: id, fault: { kind: 'drop-acks', count: 1 } }), { delayMs: 0, dropAcks: 1, dropPublishes: 0 });
      const row = (await t.core.brokerClients()).find((r) => r.clientId === id);
      assert.deepEqual(row?.faults, { delayMs: 0, dropAcks: 1, dropPublishes: 0 }, 'the active fault is on the client row');

      const acked = c.publishAsync('faults/qos1', 'again', { qos: 1 });
      const dropEvent = await waitFor(async () => (await brokerFrames(id)).find((f) => f.kind === 'event' && /^fault: dropped PUBACK id \d+/.test(f.note ?? '')),
        { what: 'the "dropped PUBACK" event' });
      const [first] = (await t.core.connectionList()).filter((x) => x.side === 'broker' && x.clientId === id);
      assert.equal((await t.core.brokerClients()).find((r) => r.clientId === id)?.faults, undefined, 'the fault is used up');

      await t.core.brokerFaultSet({ clientId: id, fault: { kind: 'close' } });
      await acked; // mqtt.js got its PUBACK — on the second connection
      const frames = await brokerFrames(id);
      const publishes = frames.filter((f) => f.type === 'PUBLISH' && f.dir === 'c2s');
      assert.equal(publishes.length, 2, 'the PUBLISH and its resend');
      const [orig, resend] = await Promise.all(publishes.map((f) => bytesOf(f.seq)));
      assert.equal(orig![0], 0x32, 'original: PUBLISH QoS 1, DUP 0');
      // mqtt.js 5.16 resends its stored packet without setting DUP, although [MQTT-3.3.1-1] says it must;
      // the trace shows the bit as sent. Everything else is the same packet: same id, topic and payload.
      assert.equal(resend![0]! & ~0x08, 0x32, 'resend: PUBLISH QoS 1');
      assert.deepEqual(resend!.subarray(1), orig!.subarray(1), 'the same packet otherwise (same id, topic, payload)');
      assert.notEqual(publishes[1]!.conn, first!.id, 'resent on the new connection');
      const pubacks = frames.filter((f) => f.type === 'PUBACK');
      assert.equal(pubacks.length, 1, 'the dropped PUBACK never reached the wire');
      assert.equal(pubacks[0]!.conn, publishes[1]!.conn);
      assert.equal(pubacks[0]!.packetId, publishes[0]!.packetId);
      assert.match(dropEvent.note!, new RegExp(`dropped PUBACK id ${publishes[0]!.packetId}$`));
      assert.equal(dropEvent.conn, first!.id);
      assert.ok(frames.some((f) => f.conn === first!.id && /fault: closed the socket without DISCONNECT/.test(f.note ?? '')));
      assert.ok(!frames.some((f) => f.conn === first!.id && f.type === 'DISCONNECT'), 'no DISCONNECT on the faulted connection');
      // The flow engine (broker-side tap): one QoS 1 flow for that id, resent after the reconnect, then complete.
      const flow = await waitFor(async () => (await t.core.flowsQuery({ clientId: id, kinds: ['publish-qos1'] })).flows
        .find((f) => f.side === 'broker' && f.packetId === publishes[0]!.packetId && f.state === 'complete'), { what: 'the QoS 1 flow complete' });
      assert.equal(flow.retransmitted, true, 'the flow says retransmitted');
    });
  }

  test("dropped PUBACK to MQScope's own session: resent with DUP=1 on the resumed connection", async () => {
    const clientId = 'faulty-mqscope';
    const session = await t.core.sessionOpen({ options: {
      name: 'faulty', url: `mqtt://127.0.0.1:${t.port}`, protocolVersion: 4, clientId, keepalive: 30, clean: false,
      connectTimeoutMs: 3000, reconnect: { enabled: true, initialDelayMs: 20, maxDelayMs: 100, maxTries: 5 },
    } });
    await waitFor(async () => (await t.core.sessionList()).find((s) => s.id === session.id && s.state === 'connected'), { what: 'session connected' });
    await t.core.brokerFaultSet({ clientId, fault: { kind: 'drop-acks', count: 1 } });
    const acked = t.core.sessionPublish({ id: session.id, message: { topic: 'faults/own', payloadB64: Buffer.from('x').toString('base64'), qos: 1, retain: false } });
    await waitFor(async () => (await brokerFrames(clientId)).some((f) => /^fault: dropped PUBACK/.test(f.note ?? '')), { what: 'the drop' });
    await t.core.brokerFaultSet({ clientId, fault: { kind: 'close' } });
    const result = await acked;
    const publishes = (await brokerFrames(clientId)).filter((f) => f.type === 'PUBLISH');
    assert.deepEqual(publishes.map((f) => [f.dup, f.packetId]), [[false, result.packetId], [true, result.packetId]]);
    const [orig, resend] = await Promise.all(publishes.map((f) => bytesOf(f.seq)));
    assert.equal(resend![0], 0x3a, 'PUBLISH QoS 1 with DUP=1 on the wire');
    assert.deepEqual(resend!.subarray(1), orig!.subarray(1));
    const flows = await waitFor(async () => {
      const f = (await t.core.flowsQuery({ clientId, kinds: ['publish-qos1'] })).flows.filter((x) => x.packetId === result.packetId);
      return f.length === 2 && f.every((x) => x.state === 'complete') ? f : undefined;
    }, { what: 'both taps see the flow complete' });
    assert.deepEqual(flows.map((f) => [f.side, f.retransmitted]).sort(), [['broker', true], ['client', true]], 'both ends say retransmitted');
  });

  test('dropped outbound PUBLISH is redelivered with DUP=1 after the subscriber reconnects', async () => {
    const sub = await connect('faulty-sub');
    await sub.subscribeAsync('faults/drop', { qos: 1 });
    const pub = await connect('faulty-pub', { clean: true });
    const got: { payload: string; dup: boolean }[] = [];
    sub.on('message', (_topic, payload, packet) => got.push({ payload: payload.toString(), dup: packet.dup }));
    await t.core.brokerFaultSet({ clientId: 'faulty-sub', fault: { kind: 'drop-publish' } });
    await pub.publishAsync('faults/drop', 'lost once', { qos: 1 });
    await waitFor(async () => (await brokerFrames('faulty-sub')).some((f) => /^fault: dropped PUBLISH QoS 1 id \d+ 'faults\/drop'/.test(f.note ?? '')),
      { what: 'the dropped PUBLISH event' });
    assert.equal(got.length, 0, "nothing reached the subscriber");
    await t.core.brokerFaultSet({ clientId: 'faulty-sub', fault: { kind: 'close' } });
    await waitFor(() => got.length === 1, { what: 'the redelivery' });
    // aedes redelivers from its queue without DUP=1 (a broker conformance gap, left to the broker work).
    assert.deepEqual(got.map((g) => g.payload), ['lost once']);
  });

  test('close without DISCONNECT fires the will', async () => {
    const watcher = await connect('will-watcher', { clean: true });
    await watcher.subscribeAsync('faults/will', { qos: 1 });
    const will = new Promise<string>((resolve) => watcher.on('message', (tp, p) => { if (tp === 'faults/will') resolve(p.toString()); }));
    await connect('faulty-will', { clean: true, reconnectPeriod: 0, will: { topic: 'faults/will', payload: Buffer.from('gone'), qos: 1, retain: false } });
    await t.core.brokerFaultSet({ clientId: 'faulty-will', fault: { kind: 'close' } });
    assert.equal(await will, 'gone');
  });

  test('delay holds every packet to the client, in order, then clears', async () => {
    const c = await connect('faulty-slow', { clean: true });
    assert.deepEqual(await t.core.brokerFaultSet({ clientId: 'faulty-slow', fault: { kind: 'delay', ms: 300 } }), { delayMs: 300, dropAcks: 0, dropPublishes: 0 });
    await Promise.all([1, 2, 3].map((i) => c.publishAsync('faults/slow', String(i), { qos: 1 })));
    const frames = await brokerFrames('faulty-slow');
    const pubs = frames.filter((f) => f.type === 'PUBLISH');
    const acks = frames.filter((f) => f.type === 'PUBACK');
    assert.deepEqual(acks.map((a) => a.packetId), pubs.map((p) => p.packetId), 'acks in order');
    // Lower bound only (a timer never fires early by more than a millisecond): the ack waited for the fault.
    for (let i = 0; i < 3; i++) assert.ok(acks[i]!.timeUs - pubs[i]!.timeUs >= 295_000, `ack ${i} held ${acks[i]!.timeUs - pubs[i]!.timeUs} µs`);
    assert.deepEqual(await t.core.brokerFaultClear({ clientId: 'faulty-slow' }), { cleared: true });
    assert.equal((await t.core.brokerClients()).find((r) => r.clientId === 'faulty-slow')?.faults, undefined);
    await c.publishAsync('faults/slow', 'fast', { qos: 1 });
    await assert.rejects(t.core.brokerFaultSet({ clientId: 'nobody', fault: { kind: 'close' } }), /no client "nobody" is connected/);
  });
});
