// Property test: the compiled, reordered, cached, sliced evaluator in core selects exactly the frames a
// brute-force interpretation of the same expression selects, over seeded random traces. The reference
// reads the public summaries and the packets as they were generated (properties included), not the
// store's columns or the dissector.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import type { ConnectionInfo, FrameSummary } from '../../shared/contract/types';
import { parseFilter, type FilterNode, type Literal } from '../../shared/filter';
import { topicMatches } from '../../shared/mqtt/topic';
import { FilterQueries } from '../../electron/core/trace/filter-query';
import { chunkTestOf } from '../../electron/core/trace/filter-chunks';
import { CHUNK, FilterIndex, INDEX_BYTES_PER_FRAME } from '../../electron/core/trace/filter-index';
import { TraceRecorder } from '../../electron/core/trace/recorder';
import { TraceStore } from '../../electron/core/trace/trace-store';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOPICS = ['a/b', 'a/c/d', '$SYS/x', 'plant/line1/temp', 'x', 'a'];
const PAYLOADS = ['', 'hello', '{"c":21.5}', 'xyz and more', 'say "hi"', '\u00e9t\u00e9'];
const CLIENTS = ['ext-sub', 'pub-1', 'pub-2', undefined];
type Props = { name: string; key?: string; value: string | number }[];
interface Truth { props: Props; payload?: Buffer }

interface Generated { store: TraceStore; recorder: TraceRecorder; truth: Map<number, Truth> }

/** clustered: connection, packet kind, QoS and topic stay the same for runs of up to 600 frames (as in real traffic), so chunks differ. */
function generate(seed: number, frames: number, clustered = false): Generated {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const store = new TraceStore(256 * 2 ** 20);
  const recorder = new TraceRecorder(store, () => {});
  const conns = Array.from({ length: 4 }, (_, i) => {
    const v = r() < 0.6 ? 5 : 4;
    const info: ConnectionInfo = { id: i + 1, side: r() < 0.5 ? 'broker' : 'client', transport: 'tcp', remote: '127.0.0.1:1', local: '127.0.0.1:2', openedAtMs: 0, protocolVersion: v as 4 | 5 };
    const cid = pick(CLIENTS);
    if (cid !== undefined) info.clientId = cid;
    return { rec: recorder.adopt(info), v };
  });
  const truth = new Map<number, Truth>();
  let t = 0;
  let run = 0;
  let current: (typeof conns)[number] | undefined;
  let qosNow: number | undefined;
  let topicNow: string | undefined;
  let kindNow: 'publish' | 'puback' | 'pubrec' | 'subscribe' | 'connect' | 'pingreq' | 'disconnect' | undefined;
  for (let n = 0; n < frames; n++) {
    if (!clustered || run-- <= 0) { current = pick(conns); kindNow = undefined; qosNow = undefined; topicNow = undefined; run = Math.floor(r() * 600); }
    const { rec, v } = current!;
    const s2c = r() < 0.5;
    t += Math.floor(r() * 50_000);
    const roll = r();
    if (roll < 0.05) { store.importFrame(rec, s2c, 'event', t, new Uint8Array(0), 'connection opened'); truth.set(store.nextSeq - 1, { props: [] }); continue; }
    if (roll < 0.1) {
      store.importFrame(rec, s2c, 'malformed', t, Uint8Array.from([0x00, 2, r() * 255, 7]), 'reserved type');
      truth.set(store.nextSeq - 1, { props: [] });
      continue;
    }
    const props: Props = [];
    const properties: Record<string, unknown> = {};
    const withProps = v === 5 && r() < 0.7;
    const kind = kindNow ?? pick(['publish', 'publish', 'publish', 'puback', 'pubrec', 'subscribe', 'connect', 'pingreq', 'disconnect'] as const);
    if (clustered) kindNow = kind;
    let packet: Record<string, unknown>;
    let payload: Buffer | undefined;
    if (kind === 'publish') {
      const qos = clustered ? (qosNow ??= pick([0, 1, 2])) : pick([0, 1, 2]);
      payload = Buffer.from(pick(PAYLOADS));
      if (withProps) {
        if (r() < 0.5) { properties.contentType = pick(['application/json', 'text/plain']); props.push({ name: 'Content Type', value: properties.contentType as string }); }
        if (r() < 0.4) { properties.messageExpiryInterval = pick([5, 10, 60]); props.push({ name: 'Message Expiry Interval', value: properties.messageExpiryInterval as number }); }
        if (r() < 0.3) { properties.responseTopic = 'reply/to'; props.push({ name: 'Response Topic', value: 'reply/to' }); }
        if (r() < 0.5) {
          const k = pick(['k1', 'k2']);
          const val = pick(['v1', 'v2']);
          properties.userProperties = { [k]: val };
          props.push({ name: 'User Property', key: k, value: val });
        }
      }
      packet = { cmd: 'publish', topic: clustered ? (topicNow ??= pick(TOPICS)) : pick(TOPICS), payload, qos, retain: r() < 0.3, dup: qos > 0 && r() < 0.3, messageId: qos ? 1 + Math.floor(r() * 20) : undefined };
    } else if (kind === 'puback' || kind === 'pubrec') {
      packet = { cmd: kind, messageId: 1 + Math.floor(r() * 20) };
      if (v === 5) packet.reasonCode = pick([0, 0x10, 0x80]);
      if (withProps && r() < 0.5) { properties.reasonString = 'because'; props.push({ name: 'Reason String', value: 'because' }); }
    } else if (kind === 'subscribe') {
      packet = { cmd: 'subscribe', messageId: 1 + Math.floor(r() * 20), subscriptions: [{ topic: pick(['a/#', 'a/+', 'plant/#']), qos: 1 }] };
    } else if (kind === 'connect') {
      packet = { cmd: 'connect', protocolId: 'MQTT', protocolVersion: v, clean: true, keepalive: 30, clientId: rec.info.clientId ?? '' };
      if (withProps && r() < 0.5) { properties.sessionExpiryInterval = 60; props.push({ name: 'Session Expiry Interval', value: 60 }); }
    } else {
      packet = { cmd: kind };
      if (kind === 'disconnect' && v === 5) packet.reasonCode = 0;
    }
    if (Object.keys(properties).length) packet.properties = properties;
    const bytes = mqttPacket.generate(packet as unknown as mqttPacket.Packet, { protocolVersion: v });
    store.importFrame(rec, s2c, 'packet', t, bytes, null);
    truth.set(store.nextSeq - 1, { props, payload });
  }
  return { store, recorder, truth };
}

// ---- the brute-force reference ----

interface RefFrame { s: FrameSummary; conn: ConnectionInfo | undefined; truth: Truth }

function value(l: Literal): string | number | RegExp {
  if (l.kind === 'number') return l.value;
  if (l.kind === 'regex') return new RegExp(l.source, l.flags);
  return l.value;
}

function cmp(op: string, a: string | number | boolean | Buffer | undefined, l: Literal): boolean {
  if (a === undefined) return false;
  const v = value(l);
  if (Buffer.isBuffer(a)) {
    if (op === 'contains') return a.includes(Buffer.from(v as string));
    if (op === '~') return (v as RegExp).test(a.toString('utf8'));
    return a.equals(Buffer.from(v as string)) === (op === '==');
  }
  if (typeof a === 'boolean') {
    const want = v === 1 || v === 'true';
    return op === '==' ? a === want : a !== want;
  }
  switch (op) {
    case '==': return a === v;
    case '!=': return a !== v;
    case '<': return (a as number) < (v as number);
    case '<=': return (a as number) <= (v as number);
    case '>': return (a as number) > (v as number);
    case '>=': return (a as number) >= (v as number);
    case 'contains': return typeof a === 'string' && a.includes(v as string);
    case '~': return typeof a === 'string' && (typeof v === 'string' ? new RegExp(v) : v as RegExp).test(a);
    case 'matches': return typeof a === 'string' && topicMatches(v as string, a);
  }
  throw new Error(op);
}

function fieldOf(name: string, f: RefFrame): string | number | boolean | Buffer | undefined {
  const s = f.s;
  switch (name) {
    case 'type': return s.type === null ? undefined : s.type;
    case 'dir': return s.dir;
    case 'side': return s.side;
    case 'conn': return s.conn;
    case 'client': return f.conn?.clientId;
    case 'qos': return s.qos;
    case 'dup': return s.dup;
    case 'retain': return s.retain;
    case 'id': return s.packetId;
    case 'topic': return s.topic;
    case 'size': return s.length;
    case 'reason': return s.reasonCode;
    case 'payload': return s.type === 'PUBLISH' ? f.truth.payload : undefined;
    case 'malformed': return s.kind === 'malformed';
    case 'event': return s.kind === 'event';
    case 'time': return s.timeUs / 1e6;
    case 'frame': return s.seq;
  }
  throw new Error(name);
}

const TYPE_NAMES = ['RESERVED', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH'];
// Filter spellings ignore case, '-' and '_'.
const PROP_NAME: Record<string, string> = { contenttype: 'Content Type', messageexpiryinterval: 'Message Expiry Interval', responsetopic: 'Response Topic', reasonstring: 'Reason String', sessionexpiryinterval: 'Session Expiry Interval' };

function props(field: string, f: RefFrame): (string | number)[] {
  if (field.startsWith('prop.user.')) return f.truth.props.filter((p) => p.key === field.slice(10)).map((p) => p.value);
  return f.truth.props.filter((p) => p.name === PROP_NAME[field.slice(5).replace(/[-_]/g, '').toLowerCase()] && p.key === undefined).map((p) => p.value);
}

function evaluate(n: FilterNode, f: RefFrame): boolean {
  switch (n.kind) {
    case 'and': return evaluate(n.left, f) && evaluate(n.right, f);
    case 'or': return evaluate(n.left, f) || evaluate(n.right, f);
    case 'not': return !evaluate(n.operand, f);
    case 'has': {
      if (n.field.startsWith('prop.')) return props(n.field, f).length > 0;
      const a = fieldOf(n.field, f);
      return typeof a === 'boolean' ? a : a !== undefined;
    }
    case 'cmp': {
      if (n.field.startsWith('prop.')) {
        return props(n.field, f).some((p) => (typeof p === 'number') === (n.value.kind === 'number') && cmp(n.op, p, n.value));
      }
      let a = fieldOf(n.field, f);
      if (n.field === 'type' && a !== undefined) {
        if (n.value.kind === 'number') a = TYPE_NAMES.indexOf(a as string);
        else return cmp(n.op, a, { ...n.value, value: (n.value as { value: string }).value.toUpperCase() } as Literal);
      }
      if (n.field === 'dir' && n.value.kind === 'word' && (n.value.value === 'in' || n.value.value === 'out')) {
        a = (f.s.side === 'broker') === (f.s.dir === 'c2s') ? 'in' : 'out';
      }
      return cmp(n.op, a, n.value);
    }
  }
}

// ---- random expressions ----

const ATOMS = [
  'type == PUBLISH', 'type != CONNECT', 'type == 3', 'type == puback', 'qos == 2', 'qos >= 1', 'qos < 1', 'dup', 'retain == 0', 'retain == true',
  'id > 10', 'id', 'id <= 0x5', 'topic == "a/b"', 'topic matches "a/#"', 'topic matches "+/b"', 'topic matches "#"', 'topic ~ /^a/', 'topic contains "line"',
  'topic != "x"', 'client == "ext-sub"', 'client ~ /^pub/', 'client', 'client != "pub-1"', 'conn == 2', 'conn != 3', 'side == client', 'side != broker',
  'dir == in', 'dir == out', 'dir == s2c', 'dir != c2s', 'size > 20', 'size <= 4', 'reason == 0', 'reason', 'reason >= 0x80',
  'payload contains "xyz"', 'payload contains "\\""', 'payload ~ /^\\{/', 'payload == "hello"', 'payload', 'payload != ""',
  'prop.contentType == "application/json"', 'prop.content_type ~ /text/', 'prop.messageExpiryInterval > 10', 'prop.MessageExpiryInterval == 5',
  'prop.user.k1 == "v1"', 'prop.user.k2', 'prop.user.k1 != "v2"', 'prop.responseTopic', 'prop.reasonString contains "cause"', 'prop.sessionExpiryInterval >= 60',
  'malformed', 'event', 'frame < 50', 'frame >= 100', 'time > 1.5', 'time <= 3',
];

function expression(r: () => number, depth: number): string {
  if (depth <= 0 || r() < 0.3) return ATOMS[Math.floor(r() * ATOMS.length)];
  const roll = r();
  if (roll < 0.15) return `!${r() < 0.5 ? ' ' : ''}(${expression(r, depth - 1)})`;
  if (roll < 0.25) return `not ${ATOMS[Math.floor(r() * ATOMS.length)]}`;
  if (roll < 0.35) return `(${expression(r, depth - 1)})`;
  const op = pickOp(r);
  return `${expression(r, depth - 1)} ${op} ${expression(r, depth - 1)}`;
}
const pickOp = (r: () => number) => ['&&', '||', 'and', 'or'][Math.floor(r() * 4)];

test('core filter = brute-force reference on random traces (seeded)', async () => {
  const queries = new FilterQueries();
  let checked = 0;
  let nonTrivial = 0;
  for (const seed of [1, 2, 3, 42, 2026]) {
    const { store, recorder, truth } = generate(seed, 1500);
    const frames: RefFrame[] = [];
    for (let s = store.firstSeq; s < store.nextSeq; s++) {
      const sum = store.summary(s)!;
      frames.push({ s: sum, conn: recorder.conns.get(sum.conn)?.info, truth: truth.get(s)! });
    }
    const r = rng(seed * 7919);
    for (let k = 0; k < 120; k++) {
      const src = expression(r, 4);
      const ast = parseFilter(src);
      const want = frames.filter((f) => evaluate(ast, f)).map((f) => f.s.seq);
      const got = await queries.run(store, (id) => recorder.conns.get(id)?.info, { filter: src, limit: 100000 });
      assert.deepEqual(got.frames.map((f) => f.seq), want, `seed ${seed}: ${src}`);
      assert.equal(got.matching, want.length, `seed ${seed}: count of ${src}`);
      checked++;
      if (want.length > 0 && want.length < frames.length) nonTrivial++;
    }
    recorder.dispose();
  }
  // Guard against a generator that only produces filters matching all or nothing.
  assert.ok(nonTrivial > checked / 2, `${nonTrivial} of ${checked} expressions split the trace`);
});

// The indexed path (filter-index.ts: interned property lists, per-chunk zone maps that skip chunks) must
// select exactly what the reference selects, whether the batch tick indexed everything, part of it (the
// query catches up), or indexed frames while their connection's protocol level was not known yet.
test('indexed filter = brute-force reference, with the index built by the tick, partly, or knowing no versions', async () => {
  const queries = new FilterQueries();
  let skippable = 0;
  let chunks = 0;
  let interned = 0;
  for (const [seed, clustered] of [[5, true], [6, true], [11, false], [2027, true]] as const) {
    const { store, recorder, truth } = generate(seed, 4000, clustered);
    const conns = (id: number) => recorder.conns.get(id)?.info;
    const frames: RefFrame[] = [];
    for (let s = store.firstSeq; s < store.nextSeq; s++) {
      const sum = store.summary(s)!;
      frames.push({ s: sum, conn: conns(sum.conn), truth: truth.get(s)! });
    }
    const full = new FilterIndex(store);
    full.extend(conns);
    const partial = new FilterIndex(store);
    partial.extend(conns, store.firstSeq + 2345);
    const blind = new FilterIndex(store);
    blind.extend(() => undefined);
    interned += full.setCount;
    const r = rng(seed * 104729);
    for (let k = 0; k < 60; k++) {
      const src = expression(r, 4);
      const ast = parseFilter(src);
      const want = frames.filter((f) => evaluate(ast, f)).map((f) => f.s.seq);
      for (const [name, index] of [['full', full], ['partial', partial], ['blind', blind]] as const) {
        const got = await queries.run(store, conns, { filter: src, limit: 100000 }, undefined, index);
        assert.deepEqual(got.frames.map((f) => f.seq), want, `seed ${seed}, ${name} index: ${src}`);
        assert.equal(got.matching, want.length, `seed ${seed}, ${name} index: count of ${src}`);
      }
      const test = chunkTestOf(src, () => full.topics);
      for (let s = store.firstSeq; s < store.nextSeq; s += CHUNK) {
        chunks++;
        const z = full.chunk(s)!;
        if (test && !test(z.mask, z.conns, z.topics)) skippable++;
      }
    }
    full.dispose(); partial.dispose(); blind.dispose();
    recorder.dispose();
  }
  // The zone maps do rule chunks out (otherwise the equality above would not exercise skipping).
  assert.ok(interned > 10, `${interned} property lists interned`);
  assert.ok(skippable > chunks / 20, `${skippable} of ${chunks} (filter, chunk) pairs skipped`);
});

// topic matches / ~ / contains: the chunk is skipped when none of the listed topics that pass has its
// bit in the chunk's topic mask. Topics come in runs of whole chunks here, so most chunks can be ruled out.
test('topic matches, ~ and contains skip chunks whose topics cannot match, and stop skipping past the listed-topic cap', async () => {
  const store = new TraceStore(256 * 2 ** 20);
  const recorder = new TraceRecorder(store, () => {});
  const info: ConnectionInfo = { id: 1, side: 'broker', transport: 'tcp', remote: '127.0.0.1:1', local: '127.0.0.1:2', openedAtMs: 0, protocolVersion: 4 };
  const rec = recorder.adopt(info);
  const conns = (id: number) => (id === 1 ? info : undefined);
  const publish = (topic: string) => store.importFrame(rec, false, 'packet', 0, mqttPacket.generate({ cmd: 'publish', topic, payload: Buffer.from('x'), qos: 0, retain: false, dup: false } as mqttPacket.Packet), null);
  // 40 chunks, each one sensor's readings: plant/line<k>/temp or plant/line<k>/hum.
  const topicOfChunk = (c: number) => `plant/line${c >> 1}/${c % 2 ? 'hum' : 'temp'}`;
  for (let c = 0; c < 40; c++) for (let i = 0; i < CHUNK; i++) publish(topicOfChunk(c));
  const index = new FilterIndex(store);
  index.extend(conns);
  const queries = new FilterQueries();
  const cases: [string, (t: string) => boolean][] = [
    ['topic matches "plant/line7/+"', (t) => t.startsWith('plant/line7/')],
    ['topic ~ /line1[0-2]\\/hum$/', (t) => /line1[0-2]\/hum$/.test(t)],
    ['topic contains "line3/"', (t) => t.includes('line3/')],
  ];
  for (const [src, passes] of cases) {
    const test = chunkTestOf(src, () => index.topics);
    assert.ok(test, `${src} has a chunk test`);
    let skipped = 0;
    for (let c = 0; c < 40; c++) {
      const z = index.chunk(store.firstSeq + c * CHUNK)!;
      const may = test(z.mask, z.conns, z.topics);
      if (passes(topicOfChunk(c))) assert.ok(may, `${src}: chunk ${c} (${topicOfChunk(c)}) holds matches and must not be skipped`);
      if (!may) skipped++;
    }
    assert.ok(skipped >= 20, `${src}: ${skipped} of 40 chunks skipped`);
    const want: number[] = [];
    for (let s = store.firstSeq; s < store.nextSeq; s++) if (passes(store.topicOf(s)!)) want.push(s);
    assert.ok(want.length > 0, `${src} matches something`);
    const got = await queries.run(store, conns, { filter: src, limit: 100000 }, undefined, index);
    assert.deepEqual(got.frames.map((f) => f.seq), want, src);
  }
  // Past 65,536 distinct topics the list no longer covers every chunk: the test must say "maybe" everywhere.
  for (let n = 0; n < 65536; n++) publish(`flood/${n}`);
  index.extend(conns);
  assert.equal(index.topics, null, 'the list stops at its cap');
  const late = chunkTestOf('topic matches "plant/line7/+"', () => index.topics)!;
  for (let c = 0; c < 40; c++) { const z = index.chunk(store.firstSeq + c * CHUNK)!; assert.ok(late(z.mask, z.conns, z.topics), `chunk ${c} not skipped past the cap`); }
  index.dispose();
  recorder.dispose();
});

test('the index is charged to the store\'s budget per frame and freed as frames are evicted', () => {
  const { store, recorder } = generate(9, 3000);
  const conns = (id: number) => recorder.conns.get(id)?.info;
  // Topics are interned when first read (the index reads them): read them first, so what the index adds is its own.
  for (let s = store.firstSeq; s < store.nextSeq; s++) store.topicOf(s);
  const before = store.bytes;
  const index = new FilterIndex(store);
  index.extend(conns);
  const frames = store.nextSeq - store.firstSeq;
  assert.ok(store.bytes - before >= frames * INDEX_BYTES_PER_FRAME, `charged ${store.bytes - before} B for ${frames} frames`);
  assert.ok(store.bytes - before < frames * (INDEX_BYTES_PER_FRAME + 64), 'and not more than its table spread over the frames');
  index.dispose();
  assert.equal(store.bytes, before, 'dispose gives it back');
  recorder.dispose();
});

test('bounds and order: backward returns the newest matches within the bounds, the count covers the store', async () => {
  const { store, recorder } = generate(7, 3000);
  const queries = new FilterQueries();
  const conns = (id: number) => recorder.conns.get(id)?.info;
  const all = (await queries.run(store, conns, { filter: 'type == PUBLISH', limit: 100000 })).frames.map((f) => f.seq);
  const back = await queries.run(store, conns, { filter: 'type == PUBLISH', order: 'backward', limit: 10, toSeq: 2000, fromSeq: 100 });
  const inBounds = all.filter((s) => s >= 100 && s <= 2000);
  assert.deepEqual(back.frames.map((f) => f.seq), inBounds.slice(-10).reverse());
  assert.equal(back.matching, all.length);
  const fwd = await queries.run(store, conns, { filter: 'type == PUBLISH', limit: 5, fromSeq: 100 });
  assert.deepEqual(fwd.frames.map((f) => f.seq), inBounds.slice(0, 5));
  recorder.dispose();
});
