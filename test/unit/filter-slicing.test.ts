// A long filter scan leaves the event loop free between slices, and a newer query from the same caller
// cancels the one it replaces (a 1 M-frame search once held MQTT round trips for seconds).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { FilterQueries } from '../../electron/core/trace/filter-query';
import { Framer } from '../../electron/core/trace/framer';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';

function bigStore(frames: number): TraceStore {
  const store = new TraceStore(512 * 2 ** 20);
  const ctx: ConnCtx = { id: 1, clientSide: false, version: 5, sawConnect: true, imported: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} };
  const f = new Framer(store, ctx, false);
  const a = mqttPacket.generate({ cmd: 'publish', topic: 'a/b', payload: Buffer.from('x'), qos: 0, retain: false, dup: false, properties: { userProperties: { k1: 'v1' } } } as mqttPacket.Packet, { protocolVersion: 5 });
  const b = mqttPacket.generate({ cmd: 'publish', topic: 'a/c', payload: Buffer.from('y'), qos: 0, retain: false, dup: false, properties: { userProperties: { k1: 'v2' } } } as mqttPacket.Packet, { protocolVersion: 5 });
  for (let i = 0; i < frames; i++) f.feed(i % 3 === 0 ? a : b);
  return store;
}
const v5 = () => ({ protocolVersion: 5 as const });

test('a long scan yields: other tasks run while it is under way, and its answer is complete', async () => {
  const store = bigStore(200_000);
  const queries = new FilterQueries();
  let ticks = 0;
  let done = false;
  const tick = () => { if (!done) { ticks++; setImmediate(tick); } };
  setImmediate(tick);
  // Properties need a full decode of every frame: far longer than one slice.
  const r = await queries.run(store, v5, { filter: 'prop.user.k1 == "v1"', limit: 3 });
  done = true;
  assert.ok(ticks >= 5, `only ${ticks} other turns of the event loop ran during the scan`);
  assert.equal(r.matching, Math.ceil(200_000 / 3));
  assert.deepEqual(r.frames.map((f) => f.seq), [0, 3, 6]);
});

test('a new query from the same caller cancels the one it replaces; other callers are untouched', async () => {
  const store = bigStore(200_000);
  const queries = new FilterQueries();
  const first = queries.run(store, v5, { filter: 'prop.user.k1 == "v1"', caller: 'list' });
  const other = queries.run(store, v5, { filter: 'prop.user.k1 == "v2"', caller: 'follow' });
  await new Promise((r) => setImmediate(r));
  const second = queries.run(store, v5, { filter: 'topic == "a/c"', caller: 'list' });
  await assert.rejects(first, (e: Error & { code?: string }) => e.code === 'cancelled' && /replaced/.test(e.message));
  assert.equal((await second).matching, 200_000 - Math.ceil(200_000 / 3));
  assert.equal((await other).matching, 200_000 - Math.ceil(200_000 / 3));
  const third = queries.run(store, v5, { filter: 'prop.user.k1 == "v1"', caller: 'list' });
  await new Promise((r) => setImmediate(r));
  assert.equal(queries.cancel('list'), true);
  await assert.rejects(third, (e: Error & { code?: string }) => e.code === 'cancelled');
});

test('a bad filter is refused with its position, before any scanning', async () => {
  const queries = new FilterQueries();
  await assert.rejects(queries.run(new TraceStore(), v5, { filter: 'type == PUBLISH && qos ==' }),
    (e: Error & { code?: string }) => e.code === 'bad-filter' && e.message === "filter: expected a value after '==' at 26");
});

test('properties are read from the header even when the payload is stored once for many frames', async () => {
  const store = new TraceStore();
  const ctx = (id: number): ConnCtx => ({ id, clientSide: false, version: 5, sawConnect: true, imported: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} });
  const payload = Buffer.alloc(4096, 0x41);
  const pkt = (site: string) => mqttPacket.generate({ cmd: 'publish', topic: 'big', payload, qos: 0, retain: false, dup: false, properties: { userProperties: { site } } } as mqttPacket.Packet, { protocolVersion: 5 });
  new Framer(store, ctx(1), false).feed(pkt('north'));
  for (let i = 0; i < 3; i++) new Framer(store, ctx(2 + i), true).feed(pkt(i === 1 ? 'south' : 'north'));
  const shared = [1, 2, 3].filter((seq) => { const b = store.blockOf(seq)!; return b.payPos[seq - b.firstSeq] >= 0; });
  assert.ok(shared.length > 0, 'the payload is stored once and referenced');
  const r = await new FilterQueries().run(store, v5, { filter: 'prop.user.site == "north" && payload contains "AAAA"' });
  assert.deepEqual(r.frames.map((f) => f.seq), [0, 1, 3]);
});
