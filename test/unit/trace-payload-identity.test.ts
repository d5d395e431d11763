// The tap's cheap ways of storing a payload once: a forwarded payload recognised as a view of the read it
// arrived in, and slabs reused under eviction. Neither may ever make a frame hold bytes other than its own.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { Framer } from '../../electron/core/trace/framer';
import { tapStream } from '../../electron/core/trace/tap';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';
import { PayloadDedupe } from '../../electron/core/trace/payload-dedupe';

function ctx(id: number): ConnCtx {
  return { id, clientSide: false, version: 4, sawConnect: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} };
}
const publish = (topic: string, payload: Buffer, messageId?: number) => mqttPacket.generate(
  { cmd: 'publish', topic, payload, qos: messageId ? 1 : 0, messageId, retain: false, dup: false } as mqttPacket.Packet);
const used = (store: TraceStore) => (store as unknown as { pool: { used: number } }).pool.used;

/** The broker's side of a forward: header bytes, then the payload Buffer it was handed, as aedes writes them. */
function forward(out: Framer, topic: string, payload: Buffer): Buffer {
  const whole = publish(topic, payload);
  out.feed(whole.subarray(0, whole.length - payload.length), payload.length);
  out.feed(payload);
  return whole;
}

/** One socket read holding several PUBLISH packets; returns the read and where each payload sits in it. */
function oneRead(payloads: Buffer[]): { read: Buffer; views: Buffer[] } {
  const packets = payloads.map((p) => publish('in/read', p));
  const read = Buffer.concat(packets);
  let at = 0;
  const views = packets.map((pk, k) => { const v = read.subarray(at + pk.length - payloads[k].length, at + pk.length); at += pk.length; return v; });
  return { read, views };
}

test('a forwarded payload that is a view of the read it arrived in is neither copied nor compared, in any order', () => {
  const store = new TraceStore();
  const inbound = new Framer(store, ctx(1), false);
  const out = new Framer(store, ctx(2), true);
  const payloads = [0x41, 0x42, 0x43, 0x44].map((c) => Buffer.alloc(3000, c));
  const { read, views } = oneRead(payloads);
  inbound.feed(read);
  const before = used(store);
  const order = [2, 0, 3, 1];
  const sent = order.map((k) => publish('fw', views[k]));
  // Count byte copies and compares of payload size while the broker forwards.
  const proto = Buffer.prototype as unknown as Record<'copy' | 'compare', (...a: unknown[]) => number>;
  const real = { copy: proto.copy, compare: proto.compare };
  let touched = 0;
  for (const m of ['copy', 'compare'] as const) {
    const fromArg = m === 'copy' ? 2 : 3;
    proto[m] = function (this: Buffer, ...a: unknown[]) {
      const n = ((a[fromArg + 1] as number | undefined) ?? this.length) - ((a[fromArg] as number | undefined) ?? 0);
      if (n >= 3000) touched++;
      return real[m].apply(this, a);
    };
  }
  try {
    order.forEach((k, j) => {
      out.feed(sent[j].subarray(0, sent[j].length - 3000), 3000);
      out.feed(views[k]);
    });
  } finally {
    Object.assign(proto, real);
  }
  assert.equal(touched, 0, 'no payload was copied or compared');
  assert.ok(used(store) - before < 4 * 64, `four forwards added ${used(store) - before} bytes (headers only)`);
  for (let k = 0; k < 4; k++) assert.ok(store.bytesOf(4 + k)!.equals(sent[k]), `forward ${k} holds its own bytes`);
});

test('a fan-out whose writevs hold several messages finds every later subscriber\'s payloads by identity', (t) => {
  const store = new TraceStore();
  const inbound = new Framer(store, ctx(1), false);
  const payloads = [0x41, 0x42, 0x43, 0x44, 0x45, 0x46].map((c) => Buffer.alloc(4096, c));
  const { read, views } = oneRead(payloads);
  inbound.feed(read);
  const before = used(store);
  // Count lookups by where a payload sits in a read; finding the Buffer itself makes none.
  let memReads = 0;
  const realByView = PayloadDedupe.prototype.byView;
  PayloadDedupe.prototype.byView = function (this: PayloadDedupe, chunk: Buffer) { memReads++; return realByView.call(this, chunk); };
  t.after(() => { PayloadDedupe.prototype.byView = realByView; });
  const subscribers = [2, 3, 4, 5].map((id) => new Framer(store, ctx(id), true));
  const wire: Buffer[] = [];
  let afterFirst = 0;
  subscribers.forEach((out, s) => {
    // One writev per subscriber: the six messages of the read, header and payload each.
    const packets = views.map((v) => publish('fan', v));
    let ahead = packets.reduce((n, pk) => n + pk.length, 0);
    packets.forEach((pk, k) => {
      ahead -= pk.length;
      out.feed(pk.subarray(0, pk.length - 4096), 4096 + ahead);
      out.feed(views[k], ahead);
      wire.push(pk);
    });
    if (s === 0) afterFirst = memReads;
  });
  assert.ok(afterFirst > 0, 'the first subscriber\'s payloads were found where they sit in the read');
  assert.equal(memReads, afterFirst, 'the other subscribers\' payloads were found by identity');
  assert.ok(used(store) - before < wire.length * 64, `${wire.length} deliveries added ${used(store) - before} bytes (headers only)`);
  wire.forEach((pk, k) => assert.ok(store.bytesOf(6 + k)!.equals(pk), `delivery ${k} holds its own bytes`));
});

test('a payload Buffer whose memory a later read fills is not taken for what it held', () => {
  const store = new TraceStore();
  const inbound = new Framer(store, ctx(1), false);
  const out = new Framer(store, ctx(2), true);
  const memory = Buffer.alloc(8192);
  const payload = memory.subarray(4000, 6000).fill(0x31);
  const first = forward(out, 'fw', payload); // remembered by identity
  const incoming = publish('in', Buffer.alloc(6000, 0x32));
  incoming.copy(memory); // a stream reading into that memory (net.Socket's `onread` option does this)
  inbound.feed(memory.subarray(0, incoming.length));
  const second = forward(out, 'fw', payload); // the same Buffer, now holding other bytes
  assert.notDeepEqual(first, second);
  assert.ok(store.bytesOf(0)!.equals(first));
  assert.ok(store.bytesOf(2)!.equals(second), 'the second forward holds the bytes that were written');
});

test('a fan-out over real sockets stores each later subscriber\'s PUBLISH as its head alone, every frame what its peer received', async () => {
  const store = new TraceStore();
  const payloads = [0x61, 0x62, 0x63, 0x64, 0x65].map((c) => Buffer.alloc(4096, c));
  const topic = Buffer.from('fan/out');
  // As a broker writes a PUBLISH: its header in small pieces, then the payload Buffer it was handed.
  const pieces = (p: Buffer) => [Buffer.from([0x30]), Buffer.from([(2 + topic.length + p.length) & 127 | 128, (2 + topic.length + p.length) >> 7]),
    Buffer.from([0, topic.length]), topic, p];
  const peers = 3;
  const got: Buffer[][] = Array.from({ length: peers }, () => []);
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const clients = Array.from({ length: peers }, (_, k) => {
    const c = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    c.on('data', (d) => got[k].push(d));
    return c;
  });
  const sockets: net.Socket[] = [];
  await new Promise<void>((r) => server.on('connection', (s) => { sockets.push(s); if (sockets.length === peers) r(); }));
  const framers = sockets.map((s, k) => {
    const sent = new Framer(store, ctx(k + 1), true);
    tapStream(s, new Framer(store, ctx(k + 1), false), sent, () => {});
    return sent;
  });
  // Payloads that reach a framer's feed: those not taken with their head.
  let payloadsFed = 0;
  for (const f of framers) {
    const feed = f.feed.bind(f);
    f.feed = (chunk, ahead, end) => { if (payloads.includes(chunk as Buffer<ArrayBuffer>)) payloadsFed++; feed(chunk, ahead, end); };
  }
  try {
    // The order of clients and accepted sockets may differ: each peer's bytes are matched to its socket below.
    for (const s of sockets) {
      s.cork();
      for (const p of payloads) for (const piece of pieces(p)) s.write(piece);
      process.nextTick(() => s.uncork());
    }
    const wire = Buffer.concat(payloads.map((p) => Buffer.concat(pieces(p))));
    while (got.some((g) => Buffer.concat(g).length < wire.length)) await new Promise((r) => setTimeout(r, 5));
    for (const g of got) assert.ok(Buffer.concat(g).equals(wire), 'each peer received the five PUBLISHes');
    assert.equal(payloadsFed, payloads.length, 'only the first subscriber\'s payloads went the usual way');
    assert.equal(store.nextSeq, peers * payloads.length);
    for (let q = 0; q < store.nextSeq; q++) {
      assert.ok(store.bytesOf(q)!.equals(Buffer.concat(pieces(payloads[q % payloads.length]))), `frame ${q} holds the PUBLISH its peer received`);
    }
    assert.ok(used(store) < payloads.length * 4096 + peers * payloads.length * 16, `${used(store)} bytes of slab: each payload once`);
  } finally {
    for (const c of clients) c.destroy();
    for (const s of sockets) s.destroy();
    server.close();
  }
});

test('a head and body the framer cannot take together store nothing, and then go the usual way intact', () => {
  const store = new TraceStore();
  const out = new Framer(store, ctx(2), true);
  const known = Buffer.alloc(1000, 0x4b);
  forward(out, 'k', known); // stored, remembered by identity
  const base = used(store);
  const headOf = (pk: Buffer, body: number) => Buffer.from(pk.subarray(0, pk.length - body));
  // A payload never stored: nothing to share.
  const fresh = Buffer.alloc(1000, 0x46);
  assert.equal(out.feedHeadAndBody(headOf(publish('k', fresh), 1000), publish('k', fresh).length - 1000, fresh), false);
  // A head whose packet does not end with this body.
  const longer = publish('k', Buffer.alloc(1001, 0x4b));
  assert.equal(out.feedHeadAndBody(headOf(longer, 1001), longer.length - 1001, known), false);
  // A head the store refuses to share a payload for: QoS bits 3 are malformed [MQTT-3.3.1-4].
  const bad = headOf(publish('k', known), 1000);
  bad[0] |= 0x06;
  assert.equal(out.feedHeadAndBody(bad, bad.length, known), false);
  assert.equal(store.nextSeq, 1, 'nothing stored');
  assert.equal(used(store), base, 'no reservation left behind');
  // Mid-packet: the framer holds the start of another packet.
  const other = publish('o', Buffer.alloc(600, 0x4f));
  out.feed(other.subarray(0, 20), other.length - 20);
  assert.equal(out.feedHeadAndBody(headOf(publish('k', known), 1000), publish('k', known).length - 1000, known), false);
  out.feed(other.subarray(20));
  // The usual way still stores every one of them exactly.
  const tail = [forward(out, 'k', fresh), forward(out, 'k', known)];
  const malformed = Buffer.concat([bad, known]);
  out.feed(bad, 1000);
  out.feed(known);
  assert.ok(store.bytesOf(1)!.equals(other));
  assert.ok(store.bytesOf(2)!.equals(tail[0]));
  assert.ok(store.bytesOf(3)!.equals(tail[1]));
  assert.ok(store.bytesOf(4)!.equals(malformed), 'the malformed PUBLISH kept as it was sent');
  assert.ok(out.feedHeadAndBody(headOf(publish('k', known), 1000), publish('k', known).length - 1000, known), 'a shared payload at a packet boundary is taken');
  assert.ok(store.bytesOf(5)!.equals(publish('k', known)));
});

test('payload identity never merges two different payloads', () => {
  const store = new TraceStore();
  const inbound = new Framer(store, ctx(1), false);
  const out = new Framer(store, ctx(2), true);
  const a = Buffer.alloc(1000, 0x61);
  const b = Buffer.alloc(1000, 0x62);
  const { read, views } = oneRead([a, b]);
  inbound.feed(read);
  // Same length, same read, other offset: the other payload's bytes.
  const wrongOffset = read.subarray(views[0].byteOffset - read.byteOffset + 1, views[0].byteOffset - read.byteOffset + 1001);
  const w1 = forward(out, 'x', wrongOffset);
  // Same length and offset as a received payload, but other memory with other bytes.
  const elsewhere = Buffer.alloc(read.length, 0x7a).subarray(views[1].byteOffset - read.byteOffset, views[1].byteOffset - read.byteOffset + 1000);
  const w2 = forward(out, 'x', elsewhere);
  // A shorter view starting where a received payload starts.
  const shorter = views[0].subarray(0, 999);
  const w3 = forward(out, 'x', Buffer.concat([shorter, Buffer.from([0x21])]));
  assert.ok(store.bytesOf(2)!.equals(w1));
  assert.ok(store.bytesOf(3)!.equals(w2));
  assert.ok(store.bytesOf(4)!.equals(w3));
  // And the received frames are untouched.
  assert.ok(store.bytesOf(0)!.subarray(-1000).equals(a));
  assert.ok(store.bytesOf(1)!.subarray(-1000).equals(b));
});

test('a read buffer that is reused for a later read cannot stand for the bytes it held before', () => {
  const store = new TraceStore();
  const inbound = new Framer(store, ctx(1), false);
  const out = new Framer(store, ctx(2), true);
  // A stream reading into one buffer it reuses (net.Socket's `onread` option does this).
  const memory = Buffer.alloc(8192);
  const first = publish('reuse', Buffer.alloc(2000, 0x31));
  first.copy(memory);
  const read1 = memory.subarray(0, first.length);
  inbound.feed(read1);
  const payloadView = read1.subarray(first.length - 2000);
  const second = publish('reuse', Buffer.alloc(2000, 0x32));
  second.copy(memory); // the same memory now holds the next read
  inbound.feed(memory.subarray(0, second.length));
  const third = publish('reuse', Buffer.alloc(2000, 0x33));
  third.copy(memory); // and another read arrives before the broker forwards the first payload
  inbound.feed(memory.subarray(0, third.length));
  const wire = forward(out, 'reuse', payloadView); // what the broker writes is what that memory holds now
  assert.ok(store.bytesOf(3)!.equals(wire), 'the forward holds the bytes that were written');
  assert.ok(store.bytesOf(0)!.equals(first), 'the first read keeps its own bytes');
  assert.ok(store.bytesOf(1)!.equals(second));
});

test('at the budget, slabs freed by eviction are reused (hardly any new slab memory), every kept frame exact', () => {
  const budget = 8 * 2 ** 20;
  const store = new TraceStore(budget);
  const f = new Framer(store, ctx(1), false);
  const frame = (i: number) => { const p = Buffer.alloc(700 + (i % 300), i & 0xff); p.writeUInt32BE(i); return publish(`t/${i % 7}`, p); };
  let i = 0;
  while (store.stats().evictedFrames === 0) f.feed(frame(i++));
  for (let k = 0; k < 5000; k++) f.feed(frame(i++)); // settle into eviction
  const real = Buffer.allocUnsafeSlow;
  let allocated = 0;
  Buffer.allocUnsafeSlow = (n: number) => { allocated += n; return real(n); };
  try {
    for (let k = 0; k < 40_000; k++) {
      f.feed(frame(i++));
      assert.ok(store.bytes <= budget, `${store.bytes} bytes held, over the ${budget} budget`);
    }
  } finally {
    Buffer.allocUnsafeSlow = real;
  }
  // ~34 MB went through; a block of the index freed now and then makes room for one slab more, no more.
  assert.ok(allocated <= budget / 2, `${allocated} bytes of new slabs for 40,000 frames at the budget`);
  const s = store.stats();
  assert.ok(s.evictedFrames > 40_000, 'the run evicted more than it added');
  assert.equal(s.frames + s.evictedFrames, i);
  for (let q = s.firstSeq; q < s.nextSeq; q++) assert.ok(store.bytesOf(q)!.equals(frame(q)), `frame ${q} is exact`);
});

test('a payload remembered before its slab was reused is not taken for what the slab holds now', () => {
  const store = new TraceStore(4 * 2 ** 20);
  const inbound = new Framer(store, ctx(1), false);
  const out = new Framer(store, ctx(2), true);
  const payload = Buffer.alloc(4096, 0x55);
  const first = forward(out, 'fan', payload); // remembered: the broker may write this Buffer again
  assert.ok(store.bytesOf(0)!.equals(first));
  // Evict it and let its slab be reused by other bytes.
  let k = 0;
  while (store.stats().firstSeq === 0 || k < 3000) inbound.feed(publish('other', Buffer.alloc(4096, k++ & 0xff)));
  const again = forward(out, 'fan', payload);
  assert.ok(store.bytesOf(store.stats().nextSeq - 1)!.equals(again));
});

test('lowering the budget below what spare slabs hold frees them', () => {
  const store = new TraceStore(16 * 2 ** 20);
  const f = new Framer(store, ctx(1), false);
  const unique = (i: number) => { const p = Buffer.alloc(1000, 0x2e); p.writeUInt32BE(i); return p; };
  for (let i = 0; i < 20_000; i++) f.feed(publish('a', unique(i)));
  assert.ok(store.stats().evictedFrames > 0);
  store.setBudget(4 * 2 ** 20);
  assert.ok(store.bytes <= 4 * 2 ** 20, `${store.bytes} bytes held after lowering the budget to 4 MiB`);
  for (let i = 0; i < 5000; i++) {
    f.feed(publish('a', unique(20_000 + i)));
    assert.ok(store.bytes <= 4 * 2 ** 20, `${store.bytes} bytes held at a 4 MiB budget`);
  }
});

/** How many blocks of the frame index `run` makes (a block has three Float64Array columns of 16,384 rows). */
function newIndexBlocks(run: () => void): number {
  const Real = globalThis.Float64Array;
  let columns = 0;
  globalThis.Float64Array = class extends Real { constructor(...a: unknown[]) { super(...(a as [number])); if (a[0] === 16384) columns++; } } as Float64ArrayConstructor;
  try {
    run();
  } finally {
    globalThis.Float64Array = Real;
  }
  return columns / 3;
}

test('at the budget, the frame index reuses the blocks eviction emptied (hardly any new column arrays), every kept row exact', () => {
  const budget = 32 * 2 ** 20; // spare blocks are kept in the 5 % the store keeps free below its budget: ≥ 2 blocks here
  const store = new TraceStore(budget);
  const f = new Framer(store, ctx(1), false);
  const frame = (i: number) => {
    const p = Buffer.alloc(20 + (i % 40), i & 0xff);
    p.writeUInt32BE(i);
    return mqttPacket.generate({ cmd: 'publish', topic: `b/${i % 5}`, payload: p, qos: 1, messageId: 1 + (i % 65535), retain: false, dup: false });
  };
  let i = 0;
  while (store.stats().evictedFrames < 40_000) f.feed(frame(i++)); // past the budget, whole blocks evicted
  const evictedBefore = store.stats().evictedFrames;
  const blocks = newIndexBlocks(() => {
    for (let k = 0; k < 100_000; k++) {
      f.feed(frame(i++));
      assert.ok(store.bytes <= budget, `${store.bytes} bytes held, over the ${budget} budget`);
    }
  });
  const s = store.stats();
  assert.ok(s.evictedFrames - evictedBefore > 3 * 16384, `the run evicted ${s.evictedFrames - evictedBefore} frames: more than three blocks`);
  // Eviction frees slabs, not blocks, so now and then a block is needed while the oldest is not yet empty;
  // without reuse every one of the ~6 blocks filled here was new.
  assert.ok(blocks <= 1, `${blocks} new blocks of the frame index while ${s.evictedFrames - evictedBefore} frames were evicted`);
  assert.equal(s.frames + s.evictedFrames, i);
  for (let q = s.firstSeq; q < s.nextSeq; q++) {
    assert.ok(store.bytesOf(q)!.equals(frame(q)), `frame ${q} is exact`);
    const sum = store.summary(q)!;
    assert.equal(sum.packetId, 1 + (q % 65535));
    assert.equal(sum.topic, `b/${q % 5}`);
    assert.equal(sum.seq, q);
  }
});

test('frames that are mostly index rows (one payload stored once per slab): at the budget no new index block is made', () => {
  // QoS 2 of one 4 KiB payload: each frame keeps a ~15-byte head in the slabs and a 45-byte index row, so the
  // index is most of the trace and eviction empties several blocks at once. Two spares were kept and the
  // rest dropped, and as many were made new a moment later: ~5 blocks (3.5 MB) a second in the bench's
  // QoS 2 4 KiB cell, each counted by V8 toward its next full collection.
  const budget = 32 * 2 ** 20;
  const store = new TraceStore(budget);
  const f = new Framer(store, ctx(1), false);
  const payload = Buffer.alloc(4096, 0x42);
  const packets = Array.from({ length: 64 }, (_, k) => publish('q2', payload, 1 + k));
  let i = 0;
  while (store.stats().evictedFrames < 100_000) f.feed(packets[i++ & 63]);
  const evictedBefore = store.stats().evictedFrames;
  const blocks = newIndexBlocks(() => {
    for (let k = 0; k < 400_000; k++) {
      f.feed(packets[i++ & 63]);
      assert.ok(store.bytes <= budget, `${store.bytes} bytes held, over the ${budget} budget`);
    }
  });
  const s = store.stats();
  assert.ok(s.evictedFrames - evictedBefore >= 400_000 - 16384, `the run evicted ${s.evictedFrames - evictedBefore} frames`);
  assert.equal(blocks, 0, `${blocks} new blocks of the frame index while ${s.evictedFrames - evictedBefore} frames were evicted`);
  assert.equal(s.frames + s.evictedFrames, i);
  assert.ok(store.bytesOf(s.firstSeq)!.equals(packets[s.firstSeq & 63]), 'the oldest frame kept is whole');
});
