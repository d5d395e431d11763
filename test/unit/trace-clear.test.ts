// Clear is not eviction: what a Clear removed is reported as cleared (so no view calls it "evicted"),
// and the evicted count stays the budget's own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { Framer } from '../../electron/core/trace/framer';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';

test('a Clear is counted as cleared frames, not evicted ones; numbering goes on', () => {
  const store = new TraceStore();
  const ctx: ConnCtx = { id: 1, clientSide: false, version: 4, sawConnect: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} };
  const f = new Framer(store, ctx, false);
  const pkt = mqttPacket.generate({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 0, retain: false, dup: false } as mqttPacket.Packet);
  for (let i = 0; i < 10; i++) f.feed(pkt);
  store.clear();
  const s = store.stats();
  assert.deepEqual(s.cleared, { fromSeq: 0, toSeq: 10 });
  assert.equal(s.evictedFrames, 0);
  assert.equal(s.frames, 0);
  f.feed(pkt);
  assert.equal(store.stats().nextSeq, 11, 'frame numbers are never reused');
  assert.equal(store.summary(10)?.topic, 't');
  assert.equal(store.summary(3), null);
});

test('an opened file keeps its numbering and clock: startAt and the origin', () => {
  const store = new TraceStore(undefined, Date.UTC(2026, 11, 1, 13, 46, 42, 123));
  store.startAt(318);
  const ctx: ConnCtx = { id: 7, clientSide: true, version: 4, sawConnect: true, imported: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} };
  const seq = store.importFrame(ctx, true, 'packet', 456.7, mqttPacket.generate({ cmd: 'pingresp' } as mqttPacket.Packet), null);
  assert.equal(seq, 318);
  const sum = store.summary(318)!;
  assert.equal(Math.round(sum.wallMs * 1000), Date.UTC(2026, 11, 1, 13, 46, 42, 123) * 1000 + 456, 'whole microseconds, floored once');
  assert.equal(sum.conn, 7);
  assert.throws(() => store.startAt(0), /empty store/);
});
