// What the fold reads beyond the summary (decoded from bytes mqtt-packet wrote), and the flow index
// over a real trace store: folds at ticks, announces once per tick, forgets what the store evicted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqtt from 'mqtt-packet';
import { BURST_FOLD_MS_PER_SECOND, FlowIndex } from '../../electron/core/flows/flow-index';
import { TraceRecorder } from '../../electron/core/trace/recorder';
import { TraceStore } from '../../electron/core/trace/trace-store';
import { decodeExtras, hashBytes } from '../../shared/flows/frame';
import type { FlowsChanged } from '../../shared/flows/types';

const gen = (p: object, v = 5) => new Uint8Array(mqtt.generate(p as mqtt.Packet, { protocolVersion: v }));

test('extras: CONNECT will and Receive Maximum, CONNACK session present, every SUBACK code, PUBLISH topic alias and payload identity', () => {
  const connect = gen({
    cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clean: false, keepalive: 30, clientId: 'dev-7',
    properties: { receiveMaximum: 20, sessionExpiryInterval: 60 },
    will: { topic: 'status/dev-7', payload: Buffer.from('gone'), qos: 1, retain: true, properties: { willDelayInterval: 5 } },
  });
  assert.deepEqual(decodeExtras('CONNECT', connect, 5), {
    level: 5, cleanStart: false, receiveMaximum: 20, clientId: 'dev-7',
    will: { topic: 'status/dev-7', qos: 1, retain: true, payloadHash: hashBytes(Buffer.from('gone')), payloadSize: 4 },
  });
  const v4 = gen({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 0, clientId: 'old' }, 4);
  assert.deepEqual(decodeExtras('CONNECT', v4, 4), { level: 4, cleanStart: true, clientId: 'old' });
  assert.deepEqual(decodeExtras('CONNACK', gen({ cmd: 'connack', sessionPresent: true, reasonCode: 0, properties: { receiveMaximum: 10 } }), 5),
    { sessionPresent: true, receiveMaximum: 10 });
  assert.deepEqual(decodeExtras('CONNACK', gen({ cmd: 'connack', sessionPresent: false, returnCode: 0 }, 4), 4), { sessionPresent: false });
  assert.deepEqual(decodeExtras('SUBACK', gen({ cmd: 'suback', messageId: 3, granted: [1, 0x87, 2], properties: { reasonString: 'no' } }), 5)?.reasonCodes, [1, 0x87, 2]);
  assert.deepEqual(decodeExtras('SUBACK', gen({ cmd: 'suback', messageId: 3, granted: [0, 128] }, 4), 4)?.reasonCodes, [0, 128]);
  const pub = gen({ cmd: 'publish', topic: '', payload: Buffer.from('21.5'), qos: 1, messageId: 9, dup: false, retain: false, properties: { topicAlias: 4 } });
  assert.deepEqual(decodeExtras('PUBLISH', pub, 5), { topicAlias: 4, payloadHash: hashBytes(Buffer.from('21.5')) });
  assert.notEqual(hashBytes(Buffer.from('21.5')), hashBytes(Buffer.from('21.6')));
  // Bytes that end early give what could be read, never an exception.
  assert.deepEqual(decodeExtras('CONNECT', connect.subarray(0, 12), 5), { level: 5, cleanStart: false });
  assert.equal(decodeExtras('PINGREQ', Uint8Array.of(0xc0, 0), 4), undefined);
});

function put(store: TraceStore, ctx: ReturnType<TraceRecorder['adopt']>, s2c: boolean, p: object, t: number): number {
  return store.importFrame(ctx, s2c, 'packet', t, gen(p, 4), null);
}

test('the index folds at batch ticks, announces once per tick (not on a query), and forgets what the store evicted', () => {
  const store = new TraceStore(8 * 2 ** 20);
  const recorder = new TraceRecorder(store, () => {});
  const changes: FlowsChanged[] = [];
  const index = new FlowIndex(recorder, (c) => changes.push(c));
  try {
    const ctx = recorder.adopt({ id: 1, side: 'broker', transport: 'tcp', remote: '127.0.0.1:9', local: '127.0.0.1:1883', openedAtMs: 0 });
    store.importFrame(ctx, false, 'event', 0, new Uint8Array(0), 'connection opened');
    put(store, ctx, false, { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 0, clientId: 'idx' }, 10);
    put(store, ctx, true, { cmd: 'connack', sessionPresent: false, returnCode: 0 }, 20);
    put(store, ctx, false, { cmd: 'publish', topic: 'a', payload: Buffer.from('x'), qos: 1, messageId: 1 }, 30);
    assert.equal(index.engine.total, 0, 'appending frames folds nothing: that waits for the batch tick');
    index.update(false);
    assert.equal(index.engine.total, 2);
    assert.equal(changes.length, 0, 'a query-time fold does not announce');
    recorder.flush();
    assert.equal(changes.length, 1);
    assert.deepEqual(changes[0], { counts: { complete: 1, 'in-flight': 1, stalled: 0, retransmitted: 0, refused: 0, broken: 0 }, total: 2 });
    recorder.flush();
    assert.equal(changes.length, 1, 'nothing new, nothing announced');
    // A trace read from a file is "now" at its last frame: the open publish is not stalled by this process's clock.
    assert.equal(index.engine.counts.stalled, 0);
    put(store, ctx, true, { cmd: 'puback', messageId: 1 }, 6_000_030);
    recorder.flush();
    assert.equal(changes.at(-1)!.counts.complete, 2);

    // Fill the budget with more pings until the first frames are evicted: their flows go, the rest stay.
    let t = 7_000_000;
    while (store.firstSeq === 0) {
      put(store, ctx, false, { cmd: 'pingreq' }, t++);
      put(store, ctx, true, { cmd: 'pingresp' }, t++);
      if ((store.nextSeq & 1023) < 2) recorder.flush();
    }
    recorder.flush();
    assert.ok(![...index.engine.flows.values()].some((r) => r.kind === 'connect'), 'the connect flow (frames 1–2) is forgotten');
    const kept = [...index.engine.flows.values()];
    assert.ok(kept.length > 0 && kept.every((r) => r.lastSeq >= store.firstSeq), 'every flow left has a frame in the store');
    assert.equal(index.engine.total, Object.values(index.engine.counts).reduce((a, b) => a + b, 0));
    assert.equal(index.missed, 0);
    // The budget bounds the flows too: their memory is counted per frame in the trace's bytes.
    assert.ok(store.attachedPerFrame > 4 && store.attachedPerFrame < 1024, `${store.attachedPerFrame} B a frame`);
    assert.ok(store.stats().bytes <= store.budgetBytes);
    index.dispose();
    assert.equal(store.attachedPerFrame, 0);
  } finally {
    index.dispose();
    recorder.dispose();
  }
});

test('IdTable: lookups by id survive forgetting from the front, compaction and a survivor at the front', async () => {
  const { IdTable } = await import('../../shared/flows/id-table');
  const t = new IdTable<{ id: number }>();
  for (let id = 5; id < 5005; id++) t.set(id, { id });
  assert.equal(t.size, 5000);
  for (let id = 6; id < 4000; id++) t.delete(id); // id 5 survives at the front: nothing compacts past it
  assert.equal(t.get(5)?.id, 5);
  assert.equal(t.get(4000)?.id, 4000);
  t.delete(5); // now the front is empty: the array is compacted
  assert.equal(t.size, 1005);
  assert.equal(t.has(5), false);
  assert.equal(t.get(3999), undefined);
  assert.deepEqual([...t.values()].slice(0, 2).map((x) => x.id), [4000, 4001]);
  t.set(5005, { id: 5005 });
  assert.equal(t.get(5005)?.id, 5005);
  assert.equal(t.get(4500)?.id, 4500);
  for (let id = 4000; id <= 5005; id++) t.delete(id);
  assert.equal(t.size, 0);
  t.set(9000, { id: 9000 }); // an empty table restarts at the next id
  assert.deepEqual([...t.values()].map((x) => x.id), [9000]);
  assert.throws(() => t.set(10, { id: 10 }), /older than the table/);
});

test('large fanned-out payloads (stored once) join one journey; one differing byte in the middle does not', async () => {
  const { allJourneys } = await import('../../shared/flows/queries');
  const store = new TraceStore(64 * 2 ** 20);
  const recorder = new TraceRecorder(store, () => {});
  const index = new FlowIndex(recorder);
  try {
    const conn = (i: number) => recorder.adopt({ id: i, side: 'broker', transport: 'tcp', remote: `127.0.0.1:${i}`, local: '127.0.0.1:1883', openedAtMs: 0 });
    const [pub, a, b, c] = [conn(1), conn(2), conn(3), conn(4)];
    const body = Buffer.alloc(4096, 0x61);
    const other = Buffer.from(body);
    other[2048] = 0x62;
    let t = 0;
    put(store, pub, false, { cmd: 'publish', topic: 'big', payload: body, qos: 0 }, t++);
    put(store, a, true, { cmd: 'publish', topic: 'big', payload: body, qos: 0 }, t++);
    put(store, b, true, { cmd: 'publish', topic: 'big', payload: body, qos: 0 }, t++);
    put(store, c, true, { cmd: 'publish', topic: 'big', payload: other, qos: 0 }, t++);
    index.update();
    const js = allJourneys(index.engine);
    assert.equal(js.length, 2);
    assert.deepEqual(js[0].deliveries.map((d) => d.conn), [a.id, b.id]);
    assert.equal(js[1].publisher, undefined, 'the altered payload is not that publish');
  } finally {
    index.dispose();
    recorder.dispose();
  }
});

test('nobody wants flows: the tick folds nothing; a backlog is folded in slices that yield, time held at the last folded frame', async () => {
  const store = new TraceStore(256 * 2 ** 20);
  const recorder = new TraceRecorder(store, () => {});
  const index = new FlowIndex(recorder);
  let wanted = false;
  index.wanted = () => wanted;
  try {
    const ctx = recorder.adopt({ id: 1, side: 'broker', transport: 'tcp', remote: '127.0.0.1:9', local: '127.0.0.1:1883', openedAtMs: 0 });
    put(store, ctx, false, { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 0, clientId: 'bulk' }, 10);
    put(store, ctx, true, { cmd: 'connack', sessionPresent: false, returnCode: 0 }, 20);
    // 30,000 QoS 1 exchanges, each answered 10 s later in trace time: more than one slice.
    const n = 30_000;
    for (let i = 0; i < n; i++) {
      const id = (i % 60_000) + 1;
      put(store, ctx, false, { cmd: 'publish', topic: 'b', payload: Buffer.from('x'), qos: 1, messageId: id }, 100 + i * 20);
      put(store, ctx, true, { cmd: 'puback', messageId: id }, 100 + i * 20 + 10);
    }
    recorder.flush();
    assert.equal(index.engine.total, 0, 'a headless broker nobody watches folds nothing at its ticks');
    wanted = true;
    recorder.flush();
    const first = index.engine.total;
    assert.ok(first > 0 && first < n + 1, `one slice folded first (${first} flows), not the whole backlog`);
    assert.equal(index.engine.counts.stalled, 0, 'an exchange whose answer is not folded yet is not stalled');
    for (let k = 0; k < 10 && index.engine.total < n + 1; k++) await new Promise((r) => setImmediate(r));
    assert.equal(index.engine.total, n + 1, 'the rest followed on later turns of the event loop');
    assert.equal(index.engine.counts.complete, n + 1);
  } finally {
    index.dispose();
    recorder.dispose();
  }
});

test('in a burst the tick folds a little and catches up when it is quiet, unless eviction would reach unfolded frames', async () => {
  for (const [budget, defers] of [[256 * 2 ** 20, true], [16 * 2 ** 20, false]] as const) {
    const store = new TraceStore(budget);
    const recorder = new TraceRecorder(store, () => {});
    // Ticks only where the test calls flush(): the recorder's own ~30 Hz timer would tick at random points.
    clearInterval((recorder as unknown as { timer: NodeJS.Timeout }).timer);
    const index = new FlowIndex(recorder);
    try {
      const ctx = recorder.adopt({ id: 1, side: 'broker', transport: 'tcp', remote: '127.0.0.1:9', local: '127.0.0.1:1883', openedAtMs: 0 });
      put(store, ctx, false, { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 0, clientId: 'burst' }, 10);
      recorder.flush();
      const n = 20_000;
      for (let i = 0; i < n; i++) put(store, ctx, false, { cmd: 'publish', topic: 'b', payload: Buffer.from('x'), qos: 0 }, 100 + i);
      recorder.flush();
      const during = index.engine.total;
      await new Promise((r) => setImmediate(r));
      if (defers) {
        assert.ok(during < 1000, `a burst on a roomy store folds a little per tick (${during} flows)`);
        recorder.flush(); // a quiet tick right after the burst: still counted as the burst
        assert.ok(index.engine.total < during + 1000, 'one quiet tick does not end a burst');
        await new Promise((r) => setTimeout(r, 200));
        recorder.flush(); // quiet for longer: the catch-up starts in slices
        const caught = index.engine.total;
        assert.ok(caught > during && caught < n + 1, `one slice folded (${caught} flows)`);
        // A new burst before the next slice: the catch-up waits for the ticks.
        for (let i = 0; i < 1000; i++) put(store, ctx, false, { cmd: 'publish', topic: 'b', payload: Buffer.from('y'), qos: 0 }, 100 + n + i);
        for (let k = 0; k < 5; k++) await new Promise((r) => setImmediate(r));
        assert.equal(index.engine.total, caught, 'the catch-up stopped while the new burst goes on');
        recorder.flush(); // the burst's tick: a little
        await new Promise((r) => setTimeout(r, 200));
        recorder.flush(); // quiet again: the catch-up goes on to the end
        for (let k = 0; k < 20 && index.engine.total < n + 1001; k++) await new Promise((r) => setImmediate(r));
        assert.equal(index.engine.total, n + 1001);
        continue;
      } else {
        assert.ok(during >= 5000, `near eviction the burst is folded in slices at once (${during} flows)`);
        await new Promise((r) => setTimeout(r, 200));
        recorder.flush(); // the rest once it is quiet
        for (let k = 0; k < 10 && index.engine.total + index.missed < n + 1; k++) await new Promise((r) => setImmediate(r));
      }
      assert.equal(index.missed, 0, 'nothing was evicted before it was folded');
      assert.equal(index.engine.total, n + 1);
    } finally {
      index.dispose();
      recorder.dispose();
    }
  }
});

test('in a burst the small folds stop once they took their share of the second, and go on in the next', () => {
  const store = new TraceStore(256 * 2 ** 20);
  const recorder = new TraceRecorder(store, () => {});
  clearInterval((recorder as unknown as { timer: NodeJS.Timeout }).timer);
  const index = new FlowIndex(recorder);
  // A clock that moves 2 ms at every reading: each fold is timed at 2 ms.
  let now = 10_000;
  index.clock = () => (now += 2);
  try {
    const ctx = recorder.adopt({ id: 1, side: 'broker', transport: 'tcp', remote: '127.0.0.1:9', local: '127.0.0.1:1883', openedAtMs: 0 });
    put(store, ctx, false, { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 0, clientId: 'burst' }, 10);
    recorder.flush();
    const start = index.engine.total;
    let t = 100;
    const burstTick = () => {
      for (let i = 0; i < 500; i++) put(store, ctx, false, { cmd: 'publish', topic: 'b', payload: Buffer.from('x'), qos: 0 }, t++);
      recorder.flush();
      return index.engine.total;
    };
    const totals = Array.from({ length: 10 }, burstTick);
    const perFold = totals[0] - start;
    assert.ok(perFold > 0 && perFold <= 100, `the first burst tick folds a little (${perFold})`);
    const folds = Math.ceil(BURST_FOLD_MS_PER_SECOND / 2);
    assert.equal(totals[folds - 1], start + folds * perFold, `${folds} ticks fold, 2 ms each`);
    assert.deepEqual(totals.slice(folds), totals.slice(folds).map(() => start + folds * perFold), 'the rest of the second folds nothing');
    now += 1000;
    assert.equal(burstTick(), start + (folds + 1) * perFold, 'the next second folds again');
    // Quiet: the catch-up folds everything.
    now += 1000;
    recorder.flush();
    index.update(false, Infinity);
    assert.equal(index.engine.total, 1 + 11 * 500);
  } finally {
    index.dispose();
    recorder.dispose();
  }
});
