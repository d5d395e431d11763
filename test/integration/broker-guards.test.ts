// Findings 4 and 7 of issue 9, against the embedded broker on real sockets:
// - garbage or an unfinished packet on a keepalive-0 connection is closed after the inactivity limit,
//   while an idle but complete keepalive-0 client stays;
// - a QoS 0 subscriber that stops reading never holds up other clients; its drops are counted;
// - the WebSocket listener refuses browsers from foreign origins unless they are allowed.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import WebSocket from 'ws';
import { startTestCore, type TestCore } from '../support/core';
import { waitFor } from '../support/wait';

const gen = (p: object) => mqttPacket.generate(p as mqttPacket.Packet);
const connect = (clientId: string) => gen({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId, clean: true, keepalive: 0 });

async function raw(t: TestCore, first: Buffer): Promise<{ s: net.Socket; received: () => Buffer }> {
  const s = net.connect(t.port, '127.0.0.1');
  const chunks: Buffer[] = [];
  s.on('data', (d) => chunks.push(d));
  s.on('error', () => {});
  await new Promise<void>((r) => s.once('connect', () => r()));
  s.write(first);
  return { s, received: () => Buffer.concat(chunks) };
}
const events = (t: TestCore) => {
  const st = t.core.recorder.store;
  const out: string[] = [];
  for (let q = st.firstSeq; q < st.nextSeq; q++) { const f = st.summary(q); if (f?.kind === 'event' && f.note) out.push(f.note); }
  return out;
};
const CONNACK = Buffer.from([0x20, 0x02, 0x00, 0x00]);

test('inactivity limit: no CONNECT, or a packet left unfinished, is closed; a quiet keepalive-0 client stays', async () => {
  const t = await startTestCore({ inactivityTimeoutSec: 0.3 });
  try {
    const quiet = await raw(t, connect('quiet'));
    await waitFor(() => quiet.received().includes(CONNACK), { what: 'quiet connected' });
    const garbage = await raw(t, Buffer.from([0x30, 0x64, 0x00])); // a PUBLISH header claiming 100 bytes, no CONNECT
    const stalled = await raw(t, connect('stalled'));
    await waitFor(() => stalled.received().includes(CONNACK), { what: 'stalled connected' });
    stalled.s.write(Buffer.from([0x30, 0x64, 0x00, 0x03, 0x61])); // 5 of 102 bytes, then nothing
    await waitFor(() => garbage.s.closed && stalled.s.closed, { timeoutMs: 10_000, what: 'both closed by the broker' });
    const ev = events(t);
    assert.ok(ev.some((e) => e.includes('no CONNECT within 0.3 s of opening the connection')), ev.join('\n'));
    assert.ok(ev.some((e) => e.includes('a packet was left unfinished: no byte of it for 0.3 s')), ev.join('\n'));
    // Both limits have run out by now; the complete, idle keepalive-0 client is still served.
    assert.equal(quiet.s.closed, false);
    quiet.s.write(Buffer.from([0xc0, 0x00]));
    await waitFor(() => quiet.received().includes(Buffer.from([0xd0, 0x00])), { what: 'PINGRESP to the quiet client' });
    quiet.s.destroy();
  } finally {
    await t.dispose();
  }
});

test('a QoS 0 subscriber that stops reading does not stall other clients; its drops are counted', async () => {
  const t = await startTestCore();
  try {
    const slow = await raw(t, Buffer.concat([connect('slow'), gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'flood/#', qos: 0 }] })]));
    await waitFor(() => slow.received().length >= 9, { what: 'slow subscribed' });
    slow.s.pause(); // reads nothing from now on

    const healthy = await mqtt.connectAsync(`mqtt://127.0.0.1:${t.port}`, { clientId: 'healthy', reconnectPeriod: 0 });
    let got = 0;
    healthy.on('message', () => { got++; });
    await healthy.subscribeAsync('flood/#', { qos: 0 });
    const pub = await raw(t, connect('pub'));
    await waitFor(() => pub.received().includes(CONNACK), { what: 'publisher connected' });
    const N = 3000;
    const payload = Buffer.alloc(16 * 1024, 7); // 48 MiB in all: far more than the slow client's socket buffers hold
    for (let k = 0; k < N; k++) {
      const ok = pub.s.write(gen({ cmd: 'publish', topic: `flood/${k}`, payload, qos: 0, retain: false, dup: false }));
      if (!ok) await new Promise((r) => pub.s.once('drain', r));
    }
    await waitFor(() => got === N, { timeoutMs: 30_000, what: `healthy subscriber to get all ${N} (got ${got})` });
    const rows = await t.core.brokerClients(undefined);
    const slowRow = rows.find((r) => r.clientId === 'slow')!;
    assert.ok((slowRow.droppedQoS0 ?? 0) > 0, 'drops for the slow client are counted');
    assert.equal(rows.find((r) => r.clientId === 'healthy')!.droppedQoS0, 0);
    await healthy.endAsync();
    slow.s.destroy();
    pub.s.destroy();
  } finally {
    await t.dispose();
  }
});

function wsAttempt(url: string, origin?: string, host?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, ['mqtt'], { ...(origin ? { origin } : {}), ...(host ? { headers: { host } } : {}) });
    ws.once('open', () => { ws.close(); resolve(101); });
    ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => {});
  });
}

test('WebSocket listener: foreign browser origins refused, own origin, no origin and allowed origins accepted', async () => {
  const t = await startTestCore({ wsAllowedOrigins: ['https://tools.example:8443'] });
  try {
    assert.equal(await wsAttempt(t.wsUrl, 'http://evil.example'), 403);
    assert.equal(await wsAttempt(t.wsUrl, `http://127.0.0.1:${t.wsPort + 1}`), 403);
    assert.equal(await wsAttempt(t.wsUrl, 'null'), 403);
    // DNS rebinding: the page's name points at this machine, so Origin and Host agree, but it is not ours.
    assert.equal(await wsAttempt(t.wsUrl, `http://evil.example:${t.wsPort}`, `evil.example:${t.wsPort}`), 403);
    assert.equal(await wsAttempt(t.wsUrl), 101);
    assert.equal(await wsAttempt(t.wsUrl, `http://127.0.0.1:${t.wsPort}`), 101);
    assert.equal(await wsAttempt(t.wsUrl, `http://localhost:${t.wsPort}`), 101);
    assert.equal(await wsAttempt(t.wsUrl, 'https://tools.example:8443'), 101);
    // A refused page never reached the broker: no MQTT connection was opened for it.
    const wsConns = (await t.core.connectionList(undefined)).filter((c) => c.transport === 'ws');
    assert.equal(wsConns.length, 4);
  } finally {
    await t.dispose();
  }
});
