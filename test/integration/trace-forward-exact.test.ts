// The embedded broker forwards payloads the tap stores once (recognised as views of the read they came
// in, or as the same Buffer written to many subscribers) while the trace evicts and reuses its slabs.
// Whatever the shortcut, every frame the trace holds must be exactly the bytes on the real socket.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { startTestCore } from '../support/core';
import { waitFor } from '../support/wait';

const gen = (p: object) => mqttPacket.generate(p as mqttPacket.Packet);

interface Peer { s: net.Socket; id: string; got: () => Buffer; size: () => number }

async function peer(port: number, id: string): Promise<Peer> {
  const s = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let size = 0;
  s.on('data', (d) => { chunks.push(d); size += d.length; });
  s.on('error', () => {});
  await new Promise<void>((r) => s.once('connect', () => r()));
  s.write(gen({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: id, clean: true, keepalive: 0 }));
  await waitFor(() => size >= 4, { what: `${id} CONNACK` });
  return { s, id, got: () => Buffer.concat(chunks), size: () => size };
}

test('forwarded payloads in the trace are the exact bytes each subscriber received, through eviction', async () => {
  const t = await startTestCore({ wsPort: null }, 16 * 2 ** 20);
  const peers: Peer[] = [];
  try {
    const subs = await Promise.all([0, 1, 2].map((k) => peer(t.port, `sub-${k}`)));
    peers.push(...subs);
    for (const [k, s] of subs.entries()) {
      s.s.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'fw/#', qos: k === 2 ? 1 : 0 }] }));
    }
    await waitFor(() => subs.every((s) => s.size() >= 4 + 5), { what: 'SUBACKs' });
    const pub = await peer(t.port, 'pub');
    peers.push(pub);
    // Distinct payloads of 300 B to 5 KiB, written many packets at a time so reads hold several.
    const n = 6000;
    let batch: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      const payload = Buffer.alloc(300 + ((i * 797) % 4800), i & 0xff);
      payload.writeUInt32BE(i, 0);
      payload.writeUInt32BE(i, payload.length - 4);
      batch.push(gen({ cmd: 'publish', topic: `fw/${i % 5}`, payload, qos: i % 3 === 0 ? 1 : 0, messageId: i % 3 === 0 ? (i % 60000) + 1 : undefined, retain: false, dup: false }));
      if (batch.length === 20) { pub.s.write(Buffer.concat(batch)); batch = []; await new Promise((r) => setImmediate(r)); }
    }
    if (batch.length) pub.s.write(Buffer.concat(batch));
    // Subscriber 2 gets QoS 1 copies it must acknowledge; it answers every PUBLISH it reads.
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    let received = 0;
    parser.on('packet', (p) => {
      if (p.cmd !== 'publish') return;
      received++;
      if (p.qos === 1) subs[2].s.write(gen({ cmd: 'puback', messageId: p.messageId }));
    });
    let fed = 0;
    await waitFor(() => {
      const all = subs[2].got();
      parser.parse(all.subarray(fed));
      fed = all.length;
      return received === n;
    }, { what: 'subscriber 2 got every message', timeoutMs: 60_000 });
    await waitFor(() => subs.slice(0, 2).every((s) => s.size() >= subs[2].size() - 6000 * 2), { what: 'subscribers 0 and 1', timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 200));

    const store = t.core.recorder.store;
    const stats = store.stats();
    assert.ok(stats.evictedFrames > 0, 'the run went past the budget, so slabs were freed and reused');
    const conns = t.core.recorder.connections();
    for (const p of peers) {
      const conn = conns.find((c) => c.clientId === p.id && c.side === 'broker');
      assert.ok(conn, `connection of ${p.id}`);
      // What the broker sent this peer: the frames the trace still holds are the newest ones, in order.
      const held: Buffer[] = [];
      for (let q = stats.firstSeq; q < stats.nextSeq; q++) {
        const f = store.summary(q)!;
        if (f.conn === conn.id && f.dir === 's2c' && f.kind === 'packet') held.push(store.bytesOf(q)!);
      }
      const traced = Buffer.concat(held);
      const wire = p.got();
      assert.ok(traced.length > 0, `${p.id}: frames held`);
      assert.ok(wire.subarray(wire.length - traced.length).equals(traced), `${p.id}: the held frames are the last ${traced.length} bytes it received`);
    }
  } finally {
    for (const p of peers) p.s.destroy();
    await t.dispose();
  }
});
