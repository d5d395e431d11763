// Findings 2 and 3 of issue 9: the trace budget is charged for bytes that arrived, never for a length a
// peer claims; a stalled partial packet neither pins slabs nor stops eviction; memory held for unfinished
// packets comes back when their connection closes; unfinished packets together are bounded, and the
// connection that goes over is recorded as malformed and closed. Real sockets against the embedded broker.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { startTestCore, type TestCore } from '../support/core';
import { waitFor } from '../support/wait';

const connect = (clientId: string) =>
  mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId, clean: true, keepalive: 0 });
const publish = (topic: string, payload: Buffer) =>
  mqttPacket.generate({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false, messageId: 0 });

async function open(t: TestCore): Promise<net.Socket> {
  const s = net.connect(t.port, '127.0.0.1');
  s.on('error', () => {});
  s.on('data', () => {});
  await new Promise<void>((r) => s.once('connect', () => r()));
  return s;
}
const write = (s: net.Socket, b: Buffer) => new Promise<void>((r) => s.write(b, () => r()));
const closed = (s: net.Socket) => new Promise<void>((r) => (s.closed ? r() : s.once('close', () => r())));
/** A CONNECT/PINGREQ round trip on a fresh connection: bytes written earlier on other sockets have been read by now. */
async function roundTrip(t: TestCore): Promise<void> {
  const s = net.connect(t.port, '127.0.0.1');
  s.on('error', () => {});
  let got = Buffer.alloc(0);
  await new Promise<void>((r) => {
    s.on('data', (d) => { got = Buffer.concat([got, d]); if (got.includes(Buffer.from([0xd0, 0x00]))) r(); });
    s.write(Buffer.concat([connect(`rt${Math.random()}`), Buffer.from([0xc0, 0x00])]));
  });
  s.destroy();
  await closed(s);
}
const notes = (t: TestCore) => {
  const st = t.core.recorder.store;
  const out: string[] = [];
  for (let s = st.firstSeq; s < st.nextSeq; s++) { const n = st.noteOf(s); if (n) out.push(n); }
  return out;
};

test('13 bytes of a PUBLISH claiming 1,000, then silence (keepalive 0): the budget holds and eviction keeps working', async () => {
  const budget = 8 * 2 ** 20;
  const t = await startTestCore({}, budget);
  const store = t.core.recorder.store;
  try {
    const stalled = await open(t);
    const head = publish('t/stall', Buffer.alloc(988, 1)); // 1,000 bytes on the wire
    assert.equal(head.length, 1000);
    await write(stalled, Buffer.concat([connect('stalled'), head.subarray(0, 13)]));
    await roundTrip(t);

    // 32 MiB of traffic through the broker: four times the budget.
    const pub = await open(t);
    await write(pub, connect('flood'));
    let maxBytes = 0;
    for (let k = 0; k < 8400; k++) {
      await write(pub, publish('t/flood', randomBytes(4000))); // distinct payloads: nothing deduplicated
      if (k % 100 === 0) maxBytes = Math.max(maxBytes, store.bytes);
    }
    const total = await waitFor(() => { const s = store.stats(); return s.nextSeq >= 8400 && s; }, { what: 'the flood to be traced' });
    maxBytes = Math.max(maxBytes, store.bytes);
    assert.ok(maxBytes <= budget, `store bytes ${maxBytes} over the budget ${budget}`);
    assert.ok(total.evictedFrames > 0, 'old frames were evicted');
    // Eviction removes the oldest frames, not every new one: most of a budget's worth of frames stays.
    assert.ok(total.frames > 500, `only ${total.frames} frames left: new frames are being evicted at once`);
    assert.ok(store.has(total.nextSeq - 1));
    assert.ok(store.partialBytes > 0 && store.partialBytes < 1000, `held ${store.partialBytes} bytes for 13 received`);

    stalled.destroy();
    await waitFor(() => notes(t).some((n) => n === 'connection closed after 13 of 1000 bytes of this packet'), { what: 'the cut packet kept as malformed' });
    assert.equal(store.partialBytes, 0, 'memory of the unfinished packet returned when its connection closed');
    pub.destroy();
  } finally {
    await t.dispose();
  }
});

test('two 6-byte headers claiming ~128 MiB each, no CONNECT: nothing is charged for the claim, no history is evicted', async () => {
  const t = await startTestCore(); // default 256 MiB budget: each claim is just under half of it
  const store = t.core.recorder.store;
  try {
    const pub = await open(t);
    await write(pub, connect('history'));
    for (let k = 0; k < 50; k++) await write(pub, publish('t/history', Buffer.from(`m${k}`)));
    await waitFor(() => store.stats().frames >= 52, { what: 'history traced' });
    const before = store.stats();
    const claim = store.budgetBytes / 2 - 100;
    const header = Buffer.from([0x30, 0x80 | (claim & 0x7f), 0x80 | ((claim >> 7) & 0x7f), 0x80 | ((claim >> 14) & 0x7f), claim >> 21, 0x00]);
    const a = await open(t);
    const b = await open(t);
    await write(a, header);
    await write(b, header);
    await roundTrip(t);
    const during = store.stats();
    assert.equal(during.evictedFrames, 0, 'no history evicted for a claim');
    assert.ok(store.bytes - before.bytes < 64 * 1024, `store grew by ${store.bytes - before.bytes} bytes for 12 received`);
    a.destroy();
    b.destroy();
    await waitFor(() => notes(t).filter((n) => /^connection closed after 6 of \d+ bytes/.test(n)).length === 2, { what: 'both partials kept as malformed' });
    assert.equal(store.partialBytes, 0);
    assert.ok(store.bytes - before.bytes < 64 * 1024, 'nothing stays allocated after the connections closed');
    assert.equal(store.stats().evictedFrames, 0);
    pub.destroy();
  } finally {
    await t.dispose();
  }
});

test('unfinished packets past half the budget: the connection that goes over is kept as malformed and closed by the broker', async () => {
  const budget = 6 * 2 ** 20;
  const t = await startTestCore({}, budget);
  const store = t.core.recorder.store;
  const KiB = 1024;
  try {
    const big = publish('t/big', Buffer.alloc(2800 * KiB, 3)); // under half the budget: kept whole when complete
    const a = await open(t);
    await write(a, connect('a'));
    await write(a, big.subarray(0, 2000 * KiB));
    await roundTrip(t);
    const b = await open(t);
    await write(b, connect('b'));
    for (let k = 0; k < 2000 && !b.closed; k += 16) await write(b, big.subarray(k * KiB, (k + 16) * KiB));
    await closed(b);
    assert.ok(notes(t).some((n) => n.startsWith('unfinished packet: ') && n.endsWith('the connection is closed')), 'the cut is recorded');
    assert.ok(store.partialBytes <= store.partialLimit);
    assert.ok(store.bytes <= budget);
    // The first connection is untouched and can finish its packet.
    assert.equal(a.closed, false);
    await write(a, big.subarray(2000 * KiB));
    await waitFor(() => { for (let s = store.firstSeq; s < store.nextSeq; s++) if (store.summary(s)?.payloadSize === 2800 * KiB) return true; return false; }, { what: 'the 2,800 KiB packet traced whole' });
    assert.equal(store.partialBytes, 0);
    a.destroy();
  } finally {
    await t.dispose();
  }
});
