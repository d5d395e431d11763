// Trace batches packed straight from the store's columns (electron/core/trace/store-columns.ts) are the very
// columns packFrames makes of the store's summaries: every packet type in 3.1.1 and 5, malformed records,
// connection events, notes, topics (empty, shared, many), shared payloads, ranges across blocks and across
// eviction, and a clock origin the short wall-clock form cannot carry. Message pages, packed as they pick
// their frames, equal packFrames of the summaries they picked before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { packFrameList, packFrames, unpackFrames } from '../../shared/contract/frame-columns';
import type { FrameSummary } from '../../shared/contract/types';
import { BLOCK } from '../../electron/core/trace/frame-index';
import { Framer } from '../../electron/core/trace/framer';
import { StoreBatch } from '../../electron/core/trace/store-batch';
import { messagePage } from '../../electron/core/trace/message-page';
import { packStoreFrames } from '../../electron/core/trace/store-columns';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';

function ctx(id: number, version: number, clientSide: boolean): ConnCtx {
  return { id, clientSide, version, sawConnect: false, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} };
}

const gen = (p: object, version: number) => mqttPacket.generate({ ...p } as mqttPacket.Packet, { protocolVersion: version });

/** One exchange of every packet type on a connection of `version`, seen from the broker or the client side. */
function exchange(store: TraceStore, id: number, version: 4 | 5, clientSide: boolean, round: number): void {
  const c = ctx(id, version, clientSide);
  const c2s = new Framer(store, c, false);
  const s2c = new Framer(store, c, true);
  const v5 = version === 5;
  const fanout = Buffer.alloc(512, 0x40 + (round % 16));
  c2s.feed(gen({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clean: true, clientId: `c${id}-${round}`, keepalive: 30 }, version));
  s2c.feed(gen({ cmd: 'connack', sessionPresent: false, ...(v5 ? { reasonCode: 0 } : { returnCode: 0 }) }, version));
  c2s.feed(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a/#', qos: 1 }] }, version));
  s2c.feed(gen({ cmd: 'suback', messageId: 1, granted: [1, 0x80] }, version));
  for (let q = 0; q < 3; q++) {
    c2s.feed(gen({ cmd: 'publish', topic: `a/${round % 5}/${q}`, payload: Buffer.from(`m${round}`), qos: q, messageId: q ? 10 + q : undefined, retain: q === 1, dup: q === 2 }, version));
  }
  // A payload written to many, and an empty payload.
  s2c.feed(gen({ cmd: 'publish', topic: 'a/fan', payload: fanout, qos: 0, retain: false, dup: false }, version));
  s2c.feed(gen({ cmd: 'publish', topic: 'a/fan', payload: fanout, qos: 1, messageId: 3, retain: true, dup: false }, version));
  s2c.feed(gen({ cmd: 'publish', topic: 'a/empty', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false }, version));
  if (v5) s2c.feed(gen({ cmd: 'publish', topic: '', payload: Buffer.from('alias'), qos: 0, retain: false, dup: false, properties: { topicAlias: 2 } }, version));
  s2c.feed(gen({ cmd: 'puback', messageId: 11, ...(v5 ? { reasonCode: round % 2 ? 0x10 : 0 } : {}) }, version));
  s2c.feed(gen({ cmd: 'pubrec', messageId: 12, ...(v5 ? { reasonCode: 0 } : {}) }, version));
  c2s.feed(gen({ cmd: 'pubrel', messageId: 12 }, version));
  s2c.feed(gen({ cmd: 'pubcomp', messageId: 12 }, version));
  c2s.feed(gen({ cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['a/#'] }, version));
  s2c.feed(gen({ cmd: 'unsuback', messageId: 2, ...(v5 ? { granted: [0] } : {}) }, version));
  c2s.feed(gen({ cmd: 'pingreq' }, version));
  s2c.feed(gen({ cmd: 'pingresp' }, version));
  if (v5) c2s.feed(gen({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'x' } }, version));
  // Broken rules: a second CONNECT, a PUBLISH with QoS 3, a reserved packet type.
  c2s.feed(gen({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clean: true, clientId: 'again', keepalive: 30 }, version));
  c2s.feed(Buffer.from([0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01]));
  c2s.feed(Buffer.from([0x00, 0x00]));
  store.commitEvent(c, clientSide, `event ${round} “ü”`);
  c2s.feed(gen({ cmd: 'disconnect', ...(v5 ? { reasonCode: 0 } : {}) }, version));
}

function fill(store: TraceStore, rounds: number): void {
  for (let r = 0; r < rounds; r++) exchange(store, 1 + (r % 4), r % 2 ? 5 : 4, r % 3 === 0, r);
}

function summaries(store: TraceStore, from: number, to: number): FrameSummary[] {
  const out: FrameSummary[] = [];
  for (let s = Math.max(from, store.firstSeq); s <= Math.min(to, store.nextSeq - 1); s++) out.push(store.summary(s)!);
  return out;
}

function assertSame(store: TraceStore, from: number, to: number): void {
  assert.deepStrictEqual(packStoreFrames(store, from, to), packFrames(summaries(store, from, to)), `range ${from}..${to}`);
}

test('columns from the store equal packFrames of its summaries, for every packet kind', () => {
  const store = new TraceStore();
  fill(store, 40);
  const all = summaries(store, 0, store.nextSeq);
  const types = new Set(all.map((f) => f.type));
  assert.equal(types.size, 17, `every packet type, RESERVED and none (events): ${[...types].join(' ')}`);
  for (const kind of ['packet', 'malformed', 'event']) assert.ok(all.some((f) => f.kind === kind), kind);
  assert.ok(all.some((f) => f.topic === ''), 'an empty topic');
  assert.ok(all.some((f) => f.reasonCode !== undefined && f.reasonCode !== 0), 'a reason code');
  assert.ok(all.some((f) => f.type === 'PUBLISH' && f.qos === undefined), 'a PUBLISH with QoS 3 (no qos field)');
  assert.ok(all.some((f) => f.side === 'client') && all.some((f) => f.side === 'broker'));
  assert.ok(all.some((f) => f.payloadSize === 0) && all.some((f) => f.dup === true) && all.some((f) => f.retain === true));
  assertSame(store, 0, store.nextSeq - 1);
  for (let from = 0; from < 60; from += 7) assertSame(store, from, from + 13);
  assertSame(store, store.nextSeq - 1, store.nextSeq - 1);
  assert.deepStrictEqual(packStoreFrames(store, 5, 4), packFrames([]), 'an empty range');
});

test('across blocks and eviction: the frames still stored, packed the same', () => {
  const store = new TraceStore(8 * 2 ** 20);
  fill(store, 5000);
  const s = store.stats();
  assert.ok(s.evictedFrames > 0 && s.firstSeq > BLOCK, `evicted ${s.evictedFrames}`);
  assert.ok(s.frames > 2 * BLOCK, 'more than two blocks held');
  assertSame(store, 0, s.firstSeq + 100); // starts in what was evicted
  const edge = Math.ceil(s.firstSeq / BLOCK) * BLOCK;
  assertSame(store, edge - 50, edge + 50); // across a block boundary
  assertSame(store, s.firstSeq, s.nextSeq - 1); // everything held
  assertSame(store, s.nextSeq - 2000, s.nextSeq + 10); // past the end
});

test('a clock origin beyond whole microseconds sends the wall clock as it is, like packFrames', () => {
  const store = new TraceStore(undefined, 1e13 + 0.123);
  fill(store, 3);
  const packed = packStoreFrames(store, 0, store.nextSeq - 1);
  assert.ok(packed.wallMs, 'the long form');
  assert.deepStrictEqual(packed, packFrames(summaries(store, 0, store.nextSeq - 1)));
});

test('a StoreBatch goes on the wire as packFrameList of the same batch would', () => {
  const store = new TraceStore();
  fill(store, 6);
  const stats = store.stats();
  const batch = new StoreBatch(store, 10, 3, store.nextSeq - 1, stats);
  const plain = { frames: summaries(store, 10, store.nextSeq - 1), fromSeq: 3, toSeq: store.nextSeq - 1, stats };
  assert.equal(batch.count, plain.frames.length);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(batch.wire())), JSON.parse(JSON.stringify(packFrameList(plain))));
  assert.deepStrictEqual(batch.frames, unpackFrames(packFrames(plain.frames)), 'frames as a client unpacks them');
  assert.deepStrictEqual(JSON.parse(JSON.stringify(batch)), JSON.parse(JSON.stringify({ ...plain, frames: batch.frames })), 'no store inside its JSON');
  const empty = new StoreBatch(store, store.nextSeq, store.nextSeq, store.nextSeq - 1, stats);
  assert.deepStrictEqual(empty.wire(), packFrameList({ frames: [], fromSeq: store.nextSeq, toSeq: store.nextSeq - 1, stats }));
});

/** What a message page held before it was packed from the columns: the summaries of the frames it picks. */
function pickedSummaries(store: TraceStore, from: number, to: number, limit: number): { frames: FrameSummary[]; nextFromSeq: number | null } {
  const hi = Math.min(to, store.nextSeq - 1);
  const frames: FrameSummary[] = [];
  let s = Math.max(from, store.firstSeq);
  for (; s <= hi && frames.length < limit; s++) {
    const f = store.summary(s)!;
    if (f.side === 'client' && ((f.kind === 'packet' && f.dir === 's2c' && f.type === 'PUBLISH') || f.kind === 'event')) frames.push(f);
  }
  return { frames, nextFromSeq: s <= hi ? s : null };
}

test('a message page goes on the wire as packFrameList of its summaries would, and pages on from where it stopped', () => {
  const store = new TraceStore(8 * 2 ** 20);
  fill(store, 5000);
  const s = store.stats();
  assert.ok(s.evictedFrames > 0, 'some frames evicted');
  for (const [from, to, limit] of [[0, s.nextSeq - 1, 2000], [s.firstSeq + 5, s.firstSeq + 3000, 7], [s.nextSeq - 40, s.nextSeq + 5, 100], [s.nextSeq, s.nextSeq + 9, 10]]) {
    const page = messagePage(store, from, to, limit);
    const plain = pickedSummaries(store, from, to, limit);
    assert.equal(page.nextFromSeq, plain.nextFromSeq, `next of ${from}..${to} by ${limit}`);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(packFrameList(page))), JSON.parse(JSON.stringify(packFrameList(plain))), `page ${from}..${to} by ${limit}`);
    assert.deepStrictEqual(page.frames, unpackFrames(packFrames(plain.frames)), 'frames as a client unpacks them');
  }
  const some = messagePage(store, s.firstSeq, s.nextSeq - 1, 50);
  assert.equal(some.frames.length, 50);
  assert.ok(some.frames.some((f) => f.kind === 'event') && some.frames.some((f) => f.type === 'PUBLISH'), 'messages and events');
  assert.ok(some.frames.every((f) => f.side === 'client'), 'only the client side');
});
