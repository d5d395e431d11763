// Small packets come in runs: a coalesced writev is tens of small PUBLISHes the tap gathers into one chunk,
// and a read holds as many; the framer copies the whole ones into the slab together. Whatever the run (short,
// long, cut at a chunk's end, at a slab's end, mixed with large packets, past the budget), in what a broker
// sends and in what a client receives, every frame must be the packet byte for byte with its summary, and
// the slabs must still be freed as frames are evicted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { Framer } from '../../electron/core/trace/framer';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';

const conn = (clientSide: boolean): ConnCtx => ({ id: 1, clientSide, version: 4, sawConnect: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect: () => {} });
/** The broker's side writing to a client, or a client's side reading from its broker: the same bytes, s2c. */
const directions = [['a broker sends', false], ['a client receives', true]] as const;

/** A varied stream of what a broker sends: small PUBLISHes of many sizes and QoS, acks, and some large ones. */
function brokerPackets(count: number): Buffer[] {
  const out: Buffer[] = [];
  let seed = 11;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  for (let i = 0; i < count; i++) {
    const kind = rnd(20);
    const qos = rnd(3) as 0 | 1 | 2;
    const p = kind === 0 ? { cmd: 'puback', messageId: 1 + rnd(60000) }
      : kind === 1 ? { cmd: 'pingresp' }
        : kind === 2 ? { cmd: 'publish', topic: `big/${i}`, payload: Buffer.alloc(300 + rnd(5000), i & 255), qos, messageId: qos ? 1 + rnd(60000) : undefined, retain: false, dup: false }
          : { cmd: 'publish', topic: `plant/line${rnd(40)}/temp`, payload: Buffer.alloc(rnd(200), i & 255), qos, messageId: qos ? 1 + rnd(60000) : undefined, retain: rnd(7) === 0, dup: false };
    out.push(mqttPacket.generate(p as mqttPacket.Packet));
  }
  return out;
}

function parse(bytes: Buffer): mqttPacket.Packet {
  const parser = mqttPacket.parser();
  const got: mqttPacket.Packet[] = [];
  parser.on('packet', (p) => got.push(p));
  parser.parse(bytes);
  assert.equal(got.length, 1);
  return got[0];
}

/** The stream cut into chunks the way writevs and gathering cut it: mostly many packets, some cut mid-packet. */
function chunksOf(all: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let i = 0, seed = 5;
  while (i < all.length) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (seed % 9000);
    parts.push(all.subarray(i, i + n));
    i += n;
  }
  return parts;
}

for (const [name, clientSide] of directions) test(`${name}: runs of whole packets are kept byte for byte, with their summaries, however the chunks cut them`, () => {
  const pk = brokerPackets(20_000);
  const store = new TraceStore(1 << 30);
  const c = conn(clientSide);
  const framer = new Framer(store, c, true);
  for (const c of chunksOf(Buffer.concat(pk))) framer.feed(c);
  assert.equal(store.nextSeq - store.firstSeq, pk.length);
  for (let s = 0; s < pk.length; s++) {
    assert.ok(store.bytesOf(s)!.equals(pk[s]), `frame ${s} bytes differ`);
    const parsed = parse(pk[s]);
    const sum = store.summary(s)!;
    assert.equal(sum.type, parsed.cmd.toUpperCase(), `frame ${s} type`);
    if (parsed.cmd === 'publish') {
      const p = parsed;
      assert.equal(sum.topic, p.topic, `frame ${s} topic`);
      assert.equal(sum.payloadSize, (p.payload as Buffer).length, `frame ${s} payload size`);
      assert.equal(sum.packetId ?? 0, p.qos ? p.messageId : 0, `frame ${s} packet id`);
    }
  }
  assert.equal(store.stats().malformed, 0);
  assert.equal(clientSide ? c.packetsIn : c.packetsOut, pk.length);
});

for (const [name, clientSide] of directions) test(`${name}: at the budget, slabs that held runs are freed as their frames are evicted, and what is left is intact`, () => {
  const budget = 8 * 2 ** 20;
  const store = new TraceStore(budget);
  const framer = new Framer(store, conn(clientSide), true);
  const pk = brokerPackets(5_000);
  const all = Buffer.concat(pk);
  const chunks = chunksOf(all);
  let rounds = 0;
  while (store.firstSeq < 5 * pk.length) {
    for (const c of chunks) framer.feed(c);
    rounds++;
    assert.ok(store.bytes <= budget, `round ${rounds}: ${store.bytes} bytes held against a budget of ${budget}`);
  }
  const held = store.nextSeq - store.firstSeq;
  assert.ok(held > 1000, `${held} frames held`);
  for (let s = store.firstSeq; s < store.nextSeq; s++) assert.ok(store.bytesOf(s)!.equals(pk[s % pk.length]), `frame ${s} bytes differ`);
});
