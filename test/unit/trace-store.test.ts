// The byte budget bounds memory; what is evicted is counted exactly; fan-out payloads are stored once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { Framer } from '../../electron/core/trace/framer';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';

function ctx(id: number): ConnCtx {
  return { id, clientSide: false, version: 4, sawConnect: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} };
}

test('a long run stays within the budget and counts every evicted frame', () => {
  const budget = 16 * 2 ** 20;
  const store = new TraceStore(budget);
  const f = new Framer(store, ctx(1), false);
  let total = 0;
  let wire = 0;
  let peak = 0;
  for (let i = 0; i < 300_000; i++) {
    const p = mqttPacket.generate({ cmd: 'publish', topic: `t/${i % 1000}`, payload: Buffer.from(`payload ${i} `.repeat(8)), qos: 0, retain: false, dup: false } as mqttPacket.Packet);
    f.feed(p);
    total++;
    wire += p.length;
    if (store.bytes > peak) peak = store.bytes;
  }
  const s = store.stats();
  assert.ok(peak <= budget, `peak ${peak} > budget ${budget}`);
  assert.ok(s.evictedFrames > 0, 'the run was long enough to evict');
  assert.equal(s.frames + s.evictedFrames, total);
  assert.equal(s.firstSeq, s.evictedFrames);
  // Evicted bytes are the wire bytes of exactly the evicted frames.
  let kept = 0;
  for (let q = s.firstSeq; q < s.nextSeq; q++) kept += store.summary(q)!.length;
  assert.equal(s.evictedBytes + kept, wire);
  // The newest frame is intact.
  const last = store.summary(s.nextSeq - 1)!;
  assert.equal(last.topic, `t/${(total - 1) % 1000}`);
});

test('lowering the budget at run time evicts at once; raising it keeps what is there', () => {
  const store = new TraceStore(64 * 2 ** 20);
  const f = new Framer(store, ctx(1), false);
  for (let i = 0; i < 100_000; i++) f.feed(mqttPacket.generate({ cmd: 'publish', topic: 'a', payload: Buffer.from(String(i).padEnd(200, '.')), qos: 0, retain: false, dup: false } as mqttPacket.Packet));
  assert.equal(store.stats().evictedFrames, 0);
  store.setBudget(8 * 2 ** 20);
  assert.ok(store.bytes <= 8 * 2 ** 20);
  assert.ok(store.stats().evictedFrames > 0);
});

test('a payload fanned out to many subscribers is stored once', () => {
  const store = new TraceStore();
  const payload = Buffer.alloc(4096, 0x5a);
  const inbound = new Framer(store, ctx(1), false);
  inbound.feed(mqttPacket.generate({ cmd: 'publish', topic: 'fan', payload, qos: 0, retain: false, dup: false } as mqttPacket.Packet));
  const before = store.bytes;
  const outs = Array.from({ length: 10 }, (_, i) => new Framer(store, ctx(2 + i), true));
  for (const o of outs) o.feed(mqttPacket.generate({ cmd: 'publish', topic: 'fan', payload, qos: 1, messageId: 7, retain: false, dup: false } as mqttPacket.Packet));
  // The slab is allocated in 1 MiB steps, so count bytes used via the store's own position math:
  for (let s = 1; s <= 10; s++) assert.ok(store.bytesOf(s)!.subarray(-4096).equals(payload), `frame ${s} payload intact`);
  assert.equal(store.bytes, before, 'ten 4 KiB fan-out copies fit in the slab already allocated');
  const used = (store as unknown as { pool: { current: { used: number } } }).pool.current.used;
  assert.ok(used < 4096 * 2, `slab holds ${used} bytes for 11 frames of 4 KiB payload`);
});

test('the broker writing one payload Buffer to many subscribers is recognised without copying it again', () => {
  const store = new TraceStore();
  const payload = Buffer.alloc(2048, 0x33);
  const used = () => (store as unknown as { pool: { used: number } }).pool.used;
  const outs = Array.from({ length: 10 }, (_, i) => new Framer(store, ctx(2 + i), true));
  let pid = 1;
  const header = () => {
    const whole = mqttPacket.generate({ cmd: 'publish', topic: 'fan/out', payload, qos: 1, messageId: pid++, retain: false, dup: false } as mqttPacket.Packet);
    return whole.subarray(0, whole.length - payload.length);
  };
  outs[0].feed(header());
  outs[0].feed(payload);
  const afterFirst = used();
  for (const o of outs.slice(1)) { o.feed(header()); o.feed(payload); }
  assert.ok(used() - afterFirst < 10 * 64, `9 more frames added ${used() - afterFirst} bytes`);
  for (let s = 0; s < 10; s++) {
    const bytes = store.bytesOf(s)!;
    assert.ok(bytes.subarray(-2048).equals(payload));
    assert.equal(store.summary(s)!.packetId, s + 1);
  }
  // A different Buffer with other bytes is not mistaken for it.
  const other = Buffer.alloc(2048, 0x44);
  outs[0].feed(header());
  outs[0].feed(other);
  assert.ok(store.bytesOf(10)!.subarray(-2048).equals(other));
});

test('a payload the broker forwards (new Buffer, same bytes as just received) is not copied again', () => {
  const store = new TraceStore();
  const used = () => (store as unknown as { pool: { used: number } }).pool.used;
  const inbound = new Framer(store, ctx(1), false);
  const outbound = new Framer(store, ctx(2), true);
  const payload = Buffer.from('x'.repeat(300));
  inbound.feed(mqttPacket.generate({ cmd: 'publish', topic: 'fw', payload, qos: 0, retain: false, dup: false } as mqttPacket.Packet));
  const before = used();
  const whole = mqttPacket.generate({ cmd: 'publish', topic: 'fw', payload, qos: 0, retain: false, dup: false } as mqttPacket.Packet);
  outbound.feed(whole.subarray(0, whole.length - 300));
  outbound.feed(Buffer.from(payload)); // a copy: equal bytes, another object
  assert.equal(used() - before, whole.length - 300, 'only the header was stored');
  assert.ok(store.bytesOf(1)!.equals(whole));
  // Different bytes of the same length are stored as they are.
  const other = Buffer.from('y'.repeat(300));
  outbound.feed(whole.subarray(0, whole.length - 300));
  outbound.feed(other);
  assert.ok(store.bytesOf(2)!.subarray(-300).equals(other));
});

test('a payload repeated for ever is stored again per slab, so eviction takes the oldest frames, not the whole trace', () => {
  // A device repeating the same status: every frame's payload equals the first one stored. When later frames
  // pointed at that first copy, its slab (the oldest) could not go until every frame was evicted: a 16 MiB
  // trace fell from 278,528 frames to 1, again and again.
  const budget = 16 * 2 ** 20;
  const store = new TraceStore(budget);
  const f = new Framer(store, ctx(1), false);
  const packets = Array.from({ length: 64 }, (_, i) => mqttPacket.generate({ cmd: 'publish', topic: 'status', payload: Buffer.alloc(4096, 0x5a), qos: 1, messageId: 1 + i, retain: false, dup: false } as mqttPacket.Packet));
  let maxHeld = 0;
  let minHeld = Infinity;
  for (let i = 0; i < 1_200_000; i++) {
    f.feed(packets[i & 63]);
    const held = store.nextSeq - store.firstSeq;
    if (store.evictedFrames > 0) { maxHeld = Math.max(maxHeld, held); minHeld = Math.min(minHeld, held); }
    assert.ok(store.bytes <= budget);
  }
  assert.ok(store.evictedFrames > 2 * maxHeld, `the run wrapped the trace more than twice (${store.evictedFrames} evicted, ${maxHeld} held at most)`);
  // One 1 MiB slab holds ~90,000 of these frames' heads: what freeing it evicts at once, at this budget.
  assert.ok(minHeld > maxHeld / 2, `after the first eviction the trace held ${minHeld}…${maxHeld} frames`);
  const oldest = store.bytesOf(store.firstSeq)!;
  assert.ok(oldest.equals(packets[store.firstSeq & 63]), 'the oldest frame kept is whole');
});

test('a big payload stored again after its first copy was evicted is copied, not pointed at freed memory', () => {
  // Big payloads get slabs of their own; with no small frame yet there is no slab being filled, and the
  // first copy's slab is freed by eviction while the dedupe still remembers where it was.
  const store = new TraceStore(4 * 2 ** 20);
  const f = new Framer(store, ctx(1), false);
  const big = (fill: number) => mqttPacket.generate({ cmd: 'publish', topic: 'fw', payload: Buffer.alloc(600 * 1024, fill), qos: 0, retain: false, dup: false } as mqttPacket.Packet);
  const a = big(0x61);
  f.feed(a);
  for (let k = 0; k < 6; k++) f.feed(big(0x62 + k));
  assert.ok(store.stats().evictedFrames >= 1, 'the first copy was evicted');
  f.feed(a);
  const s = store.stats();
  assert.equal(s.frames + s.evictedFrames, 8);
  assert.ok(store.bytesOf(store.nextSeq - 1)?.equals(a), `the newest frame is the payload again (${s.frames} frames held)`);
});

test('big payloads between a few small frames: memory stays within the budget and the trace keeps the newest frames', () => {
  // A camera's 300 KiB images (each in a slab of its own) and a short status message after each. The status
  // messages fill one small slab for minutes; slabs were freed only oldest first and never past the one being
  // filled, so no image's slab was ever freed: the trace held 0 frames and memory grew to 615 MB at 16 MiB.
  const budget = 16 * 2 ** 20;
  const store = new TraceStore(budget);
  const f = new Framer(store, ctx(1), false);
  let minHeld = Infinity;
  let maxListed = 0;
  for (let r = 0; r < 1000; r++) {
    const image = Buffer.alloc(300 * 1024);
    image.writeUInt32BE(r);
    const status = mqttPacket.generate({ cmd: 'publish', topic: 'camera/status', payload: Buffer.from(`image ${r}`), qos: 0, retain: false, dup: false } as mqttPacket.Packet);
    f.feed(mqttPacket.generate({ cmd: 'publish', topic: 'camera/jpeg', payload: image, qos: 0, retain: false, dup: false } as mqttPacket.Packet));
    f.feed(status);
    assert.ok(store.bytes <= budget, `${store.bytes} bytes held at image ${r}, over the ${budget} budget`);
    if (store.evictedFrames > 0) minHeld = Math.min(minHeld, store.nextSeq - store.firstSeq);
    assert.ok(store.bytesOf(store.nextSeq - 1)?.equals(status), `the newest frame is kept (image ${r})`);
    // Freed image slabs wait in the list behind the status messages' slab; each release looks through them.
    maxListed = Math.max(maxListed, (store as unknown as { pool: { slabs: unknown[] } }).pool.slabs.length);
  }
  assert.ok(maxListed <= 400, `up to ${maxListed} slabs listed at once, for ~50 live ones`);
  assert.ok(store.evictedFrames > 1000, `${store.evictedFrames} frames evicted`);
  // ~50 images fit in 16 MiB; eviction takes a few of the oldest at a time.
  assert.ok(minHeld >= 80, `the trace held as few as ${minHeld} frames`);
});

test('frames of 600 KiB at a 3 MiB budget: eviction takes the oldest one at a time, never the frame just stored', () => {
  const store = new TraceStore(3 * 2 ** 20);
  const f = new Framer(store, ctx(1), false);
  for (let r = 0; r < 20; r++) {
    const payload = Buffer.alloc(600 * 1024, r);
    const p = mqttPacket.generate({ cmd: 'publish', topic: 'fw', payload, qos: 0, retain: false, dup: false } as mqttPacket.Packet);
    f.feed(p);
    assert.ok(store.bytesOf(store.nextSeq - 1)?.equals(p), `frame ${r} is kept once stored`);
    if (r >= 3) assert.equal(store.nextSeq - store.firstSeq, 3, `three such frames fit (after frame ${r})`);
  }
});
