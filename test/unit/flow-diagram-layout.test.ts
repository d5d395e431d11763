// The sequence diagram's layout as a pure function: lanes, one arrow per packet in time order, both taps of
// one packet merged into one arrow, marks in words (DUP, resent, refused, broken), notes for unfinished flows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectionInfo } from '../../shared/contract/types';
import { formatUs, layoutDiagram, MAX_CLIENT_LANES, type DiagramFlow, type DiagramStep } from '../../renderer/features/flows/diagram-layout';

const info = (id: number, clientId: string, side: 'broker' | 'client' = 'broker', protocolVersion: 4 | 5 = 5): ConnectionInfo =>
  ({ id, side, transport: 'tcp', remote: `127.0.0.1:${5000 + id}`, local: '127.0.0.1:1883', clientId, protocolVersion, openedAtMs: 0 });
const step = (seq: number, type: string, dir: 'c2s' | 's2c', timeUs: number, extra: Partial<DiagramStep> = {}): DiagramStep => ({ seq, type, dir, timeUs, ...extra });
const flow = (id: string, conn: number, kind: string, steps: DiagramStep[], extra: Partial<DiagramFlow> = {}): DiagramFlow =>
  ({ id, conn, side: 'broker', kind, packetId: 1, qos: Number(kind.slice(-1)), state: 'complete', steps, ...extra });

const conns = new Map([[1, info(1, 'pub')], [2, info(2, 'sub-q1')], [3, info(3, 'sub-q2')], [9, info(9, 'pub', 'client')]]);

// mosquitto_pub -q 2 to subscribers at QoS 1 and 2, as the broker tap sees it (times interleave).
const inbound = flow('in', 1, 'publish-qos2', [step(10, 'PUBLISH', 'c2s', 1000), step(13, 'PUBREC', 's2c', 1300), step(16, 'PUBREL', 'c2s', 1600), step(18, 'PUBCOMP', 's2c', 1800)]);
const d1 = flow('d1', 2, 'publish-qos1', [step(11, 'PUBLISH', 's2c', 1100), step(14, 'PUBACK', 'c2s', 1400)]);
const d2 = flow('d2', 3, 'publish-qos2', [step(12, 'PUBLISH', 's2c', 1200), step(15, 'PUBREC', 'c2s', 1500), step(17, 'PUBREL', 's2c', 1700), step(19, 'PUBCOMP', 'c2s', 1900)]);
const journey = {
  topic: 't', qos: 2, publisher: { conn: 1, clientId: 'pub' }, inboundFlow: 'in',
  deliveries: [{ conn: 2, clientId: 'sub-q1', qos: 1, flow: 'd1', state: 'complete', cause: 'publish' }, { conn: 3, clientId: 'sub-q2', qos: 2, flow: 'd2', state: 'complete', cause: 'publish' }],
};

test('a QoS 2 journey: publisher, broker, subscribers; arrows in time order with the right ends', () => {
  const l = layoutDiagram({ flows: [d2, inbound, d1], journey, conns });
  assert.deepEqual(l.lanes.map((x) => [x.role, x.title]), [['publisher', 'pub'], ['broker', 'MQScope broker'], ['subscriber', 'sub-q1'], ['subscriber', 'sub-q2']]);
  assert.match(l.lanes[2].subtitle, /gets QoS 1/);
  assert.match(l.lanes[3].subtitle, /gets QoS 2/);
  assert.deepEqual(l.arrows.map((a) => a.seq), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  const ends = l.arrows.map((a) => `${a.type}:${l.lanes[a.fromLane].title}>${l.lanes[a.toLane].title}`);
  assert.deepEqual(ends, [
    'PUBLISH:pub>MQScope broker', 'PUBLISH:MQScope broker>sub-q1', 'PUBLISH:MQScope broker>sub-q2', 'PUBREC:MQScope broker>pub',
    'PUBACK:sub-q1>MQScope broker', 'PUBREC:sub-q2>MQScope broker', 'PUBREL:pub>MQScope broker', 'PUBREL:MQScope broker>sub-q2',
    'PUBCOMP:MQScope broker>pub', 'PUBCOMP:sub-q2>MQScope broker',
  ]);
  assert.equal(l.arrows[0].label, 'PUBLISH · id 1 · QoS 2');
  assert.deepEqual(l.arrows.map((a) => a.deltaUs), [0, 100, 100, 100, 100, 100, 100, 100, 100, 100]);
  assert.equal(l.arrows[9].relUs, 900);
  // Rows go down, arrows touch their lanes, nothing is outside the drawing.
  for (let i = 1; i < l.arrows.length; i++) assert.ok(l.arrows[i].y > l.arrows[i - 1].y);
  for (const a of l.arrows) {
    assert.equal(a.x1, l.lanes[a.fromLane].x);
    assert.equal(a.x2, l.lanes[a.toLane].x);
    assert.ok(a.y < l.height && Math.max(a.x1, a.x2) < l.width);
  }
  assert.equal(l.notes.length, 0);
  assert.equal(l.gaps.length, 0);
});

test('both ends ours: the client-tap frames merge into the broker-tap arrows, both seqs kept', () => {
  const tapSide = flow('tap', 9, 'publish-qos2', [step(5, 'PUBLISH', 'c2s', 990), step(20, 'PUBREC', 's2c', 1310), step(21, 'PUBREL', 'c2s', 1590), step(22, 'PUBCOMP', 's2c', 1810)],
    { side: 'client', peer: { conn: 1, flowId: 'in' } });
  const inPeer = { ...inbound, peer: { conn: 9, flowId: 'tap' } };
  const l = layoutDiagram({ flows: [inPeer, tapSide, d1], journey: { ...journey, deliveries: [journey.deliveries[0]] }, conns });
  assert.equal(l.lanes.length, 3, 'no extra lane for the second recording of the same packets');
  assert.equal(l.lanes[0].tap, 'MQScope session · both ends tapped');
  const pubArrows = l.arrows.filter((a) => a.flowId === 'in');
  assert.deepEqual(pubArrows.map((a) => [a.type, a.seq, a.tapSeq]), [['PUBLISH', 10, 5], ['PUBREC', 13, 20], ['PUBREL', 16, 21], ['PUBCOMP', 18, 22]]);
  // The row time is the earlier recording (the client sent the PUBLISH before the broker read it).
  assert.equal(l.startUs, 990);
});

test('DUP, resend, refusal and broken steps are marked in words; unfinished flows get a note', () => {
  const retry = flow('r', 2, 'publish-qos1', [step(1, 'PUBLISH', 's2c', 0), step(2, 'PUBLISH', 's2c', 5_000_000, { dup: true }), step(3, 'PUBACK', 'c2s', 5_000_400)], { state: 'retransmitted' });
  const refused = flow('x', 3, 'subscribe', [step(4, 'SUBSCRIBE', 'c2s', 10), step(5, 'SUBACK', 's2c', 20, { reasonCode: 0x87 })], { state: 'refused', qos: undefined });
  const rel = flow('q', 1, 'publish-qos2', [step(6, 'PUBLISH', 'c2s', 30), step(7, 'PUBREC', 's2c', 40), step(8, 'PUBREL', 'c2s', 50), step(9, 'PUBREL', 'c2s', 60), step(10, 'PUBREL', 'c2s', 65, { conn: 5, note: 'resent after reconnect' })],
    { state: 'stalled', problem: 'no PUBCOMP after 5 s' });
  const odd = flow('b', 1, 'publish-qos1', [step(11, 'PUBACK', 's2c', 70, { note: 'ack for unknown id 7' })], { state: 'broken', problem: 'ack for unknown id 7' });
  const l = layoutDiagram({ flows: [retry, refused, rel, odd], conns });
  const by = (seq: number) => l.arrows.find((a) => a.seq === seq)!;
  assert.deepEqual(by(2).marks, ['dup']);
  assert.equal(by(2).markText, 'DUP');
  assert.deepEqual(by(1).marks, []);
  assert.deepEqual(by(9).marks, ['resend']);
  assert.equal(by(9).markText, 'resent');
  // A resend on a later connection of the same client stays on the client's lane and says so.
  assert.deepEqual(by(10).marks, ['resend']);
  assert.equal(by(10).markText, 'on reconnected #5 · resent after reconnect');
  assert.equal(by(10).fromLane, by(9).fromLane);
  // A note on a step of a flow that is not broken is information, not an error.
  const info1 = layoutDiagram({ flows: [flow('i', 1, 'connect', [step(1, 'CONNECT', 'c2s', 0, { note: 'clean start' })])], conns }).arrows[0];
  assert.deepEqual([info1.marks, info1.markText], [['note'], 'clean start']);
  assert.deepEqual(by(5).marks, ['refused']);
  assert.equal(by(5).markText, 'refused: Not authorized (0x87)');
  assert.deepEqual(by(11).marks, ['broken']);
  assert.deepEqual(l.notes.map((n) => [n.tone, n.text]), [['warn', 'pub: no PUBCOMP after 5 s'], ['danger', 'pub: ack for unknown id 7']]);
  assert.ok(l.notes.every((n) => n.y > l.arrows[l.arrows.length - 1].y && n.y < l.height));
  assert.equal(by(2).deltaUs, 5_000_000 - 70);
  // The one long pause gets a break line between its two rows.
  assert.deepEqual(l.gaps.map((g) => g.text), ['5.000 s later']);
  assert.ok(l.gaps[0].y > l.arrows[l.arrows.indexOf(by(2)) - 1].y && l.gaps[0].y < by(2).y);
});

test('a single client-side flow to an external broker: client lane, then the remote broker', () => {
  const c = new Map([[4, { ...info(4, 'mqscope-1', 'client'), remote: '10.0.0.5:1883' }]]);
  const f = flow('c', 4, 'connect', [step(1, 'CONNECT', 'c2s', 0), step(2, 'CONNACK', 's2c', 800)], { side: 'client', qos: undefined, packetId: undefined });
  const l = layoutDiagram({ flows: [f], conns: c });
  assert.deepEqual(l.lanes.map((x) => x.title), ['mqscope-1', 'broker']);
  assert.match(l.lanes[1].detail, /10\.0\.0\.5:1883/);
  assert.deepEqual(l.arrows.map((a) => [a.label, a.fromLane, a.toLane]), [['CONNECT', 0, 1], ['CONNACK', 1, 0]]);
});

test('a will: the dead publisher keeps its lane and the lane says the broker published for it', () => {
  const l = layoutDiagram({ flows: [d1], journey: { topic: 'devices/x/status', qos: 1, publisher: { conn: 1 }, deliveries: [{ ...journey.deliveries[0], cause: 'will' }] }, conns });
  assert.deepEqual(l.lanes.map((x) => [x.role, x.title]), [['publisher', 'pub'], ['broker', 'MQScope broker'], ['subscriber', 'sub-q1']]);
  assert.equal(l.lanes[0].subtitle, 'its will · sent by the broker');
  assert.match(l.lanes[2].subtitle, /gets QoS 1 · will/);
  assert.deepEqual(l.arrows.map((a) => a.type), ['PUBLISH', 'PUBACK']);
});

test('a large fan-out draws the first lanes and says how many were left out', () => {
  const many = new Map(conns);
  const subs: DiagramFlow[] = [];
  for (let i = 0; i < 1000; i++) {
    many.set(100 + i, info(100 + i, `s${i}`));
    subs.push(flow(`s${i}`, 100 + i, 'publish-qos1', [step(100 + 2 * i, 'PUBLISH', 's2c', 2000 + i), step(101 + 2 * i, 'PUBACK', 'c2s', 5000 + i)]));
  }
  const l = layoutDiagram({ flows: [inbound, ...subs], journey: { ...journey, deliveries: subs.map((s) => ({ conn: s.conn, qos: 1, flow: s.id })) }, conns: many });
  assert.equal(l.lanes.length, 2 + MAX_CLIENT_LANES);
  assert.equal(l.arrows.length, 4 + 2 * MAX_CLIENT_LANES);
  assert.ok(l.arrows.every((a) => a.fromLane < l.lanes.length && a.toLane < l.lanes.length));
  assert.deepEqual(l.notes.map((n) => n.text), [`${1000 - MAX_CLIENT_LANES} more connections not drawn (only the first ${MAX_CLIENT_LANES} get a lane; the Flows table lists every flow)`]);
});

test('formatUs picks a readable unit', () => {
  assert.equal(formatUs(250), '250 µs');
  assert.equal(formatUs(3100), '3.100 ms');
  assert.equal(formatUs(5_000_000), '5.000 s');
});
