// The flow engine on crafted frame sequences: every state, timing, resends after reconnect, and every
// way a peer can get a handshake wrong.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toFlow } from '../../shared/flows/flow-record';
import { flowsOfFrames, queryFlows } from '../../shared/flows/queries';
import { Wire } from '../support/flow-wire';

const types = (w: Wire, id: number) => toFlow(w.e.flows.get(id)!).steps.map((s) => `${s.type}${s.dup ? '(dup)' : ''} ${s.dir}`);

test('QoS 1 and QoS 2 publishes in both directions complete, with the time of each step and in total', () => {
  const w = new Wire().open(1).connect(1, 'dev');
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 1, topic: 't' }).pkt(1, 's2c', 'PUBACK', { packetId: 1 }, undefined, 250);
  w.pkt(1, 's2c', 'PUBLISH', { qos: 2, packetId: 1, topic: 'u' }) // the server's id space is its own
    .pkt(1, 'c2s', 'PUBREC', { packetId: 1 }, undefined, 10).pkt(1, 's2c', 'PUBREL', { packetId: 1 }, undefined, 20).pkt(1, 'c2s', 'PUBCOMP', { packetId: 1 }, undefined, 30);
  const [q1] = w.flows('publish-qos1');
  const [q2] = w.flows('publish-qos2');
  assert.equal(q1.state, 'complete');
  assert.equal(toFlow(q1).durationUs, 250);
  assert.equal(q2.state, 'complete');
  assert.equal(q2.origin, 's2c');
  assert.deepEqual(types(w, q2.id), ['PUBLISH s2c', 'PUBREC c2s', 'PUBREL s2c', 'PUBCOMP c2s']);
  assert.deepEqual(toFlow(q2).steps.map((s) => s.timeUs - toFlow(q2).startUs), [0, 10, 30, 60]);
  assert.equal(toFlow(q2).durationUs, 60);
  assert.equal(w.e.counts.complete, 3); // connect + 2 publishes
});

test('connect, subscribe, unsubscribe, ping, disconnect and QoS 0 are flows too', () => {
  const w = new Wire().open(1).connect(1, 'dev');
  w.pkt(1, 'c2s', 'SUBSCRIBE', { packetId: 2, topic: 'a/#' }).pkt(1, 's2c', 'SUBACK', { packetId: 2, reasonCode: 1 }, { reasonCodes: [1] });
  w.pkt(1, 'c2s', 'UNSUBSCRIBE', { packetId: 3, topic: 'a/#' }).pkt(1, 's2c', 'UNSUBACK', { packetId: 3 });
  w.pkt(1, 'c2s', 'PINGREQ').pkt(1, 's2c', 'PINGRESP');
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 0, topic: 'x' });
  w.pkt(1, 'c2s', 'DISCONNECT');
  const kinds = w.flows().map((r) => `${r.kind}:${r.state}`);
  assert.deepEqual(kinds, ['connect:complete', 'subscribe:complete', 'unsubscribe:complete', 'ping:complete', 'publish-qos0:complete', 'disconnect:complete']);
  assert.equal(w.flows('subscribe')[0].topic, 'a/#');
});

test('an unanswered exchange is in flight, then stalled after the threshold; a late answer completes it', () => {
  const w = new Wire({ stalledMs: 2000 }).open(1).connect(1, 'dev');
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 9, topic: 't' });
  const [r] = w.flows('publish-qos1');
  w.e.tick(w.timeUs + 1_999_000);
  assert.equal(r.state, 'in-flight');
  w.e.tick(w.timeUs + 2_000_000);
  assert.equal(r.state, 'stalled');
  assert.match(toFlow(r).problem!, /no PUBACK within 2000 ms/);
  w.e.setStalledMs(10_000); // a longer threshold: not stalled any more
  assert.equal(r.state, 'in-flight');
  assert.equal(r.problem, undefined);
  w.e.setStalledMs(1000);
  assert.equal(r.state, 'stalled');
  w.pkt(1, 's2c', 'PUBACK', { packetId: 9 }, undefined, 3_000_000);
  assert.equal(r.state, 'complete');
  assert.equal(r.problem, undefined);
  assert.equal(toFlow(r).durationUs, 3_000_000);
});

test('a DUP resend on the same connection marks the flow retransmitted; it stays flagged once complete', () => {
  const w = new Wire().open(1).connect(1, 'dev');
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 4, topic: 't' }).pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 4, topic: 't', dup: true });
  const [r] = w.flows('publish-qos1');
  assert.equal(w.flows('publish-qos1').length, 1);
  assert.equal(r.state, 'retransmitted');
  w.pkt(1, 's2c', 'PUBACK', { packetId: 4 });
  assert.equal(r.state, 'complete');
  assert.equal(toFlow(r).retransmitted, true);
  assert.deepEqual(types(w, r.id), ['PUBLISH c2s', 'PUBLISH(dup) c2s', 'PUBACK s2c']);
  assert.equal(toFlow(r).steps[1].note, 'resent with DUP');
});

test('reconnect with DUP resend: the flow continues on the client\'s next connection and completes there', () => {
  const w = new Wire().open(1).connect(1, 'dev');
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 2, packetId: 7, topic: 't' }).pkt(1, 's2c', 'PUBREC', { packetId: 7 });
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 8, topic: 't' }).close(1);
  w.open(2).connect(2, 'dev', {}, true);
  w.pkt(2, 'c2s', 'PUBLISH', { qos: 1, packetId: 8, topic: 't', dup: true }).pkt(2, 's2c', 'PUBACK', { packetId: 8 });
  w.pkt(2, 'c2s', 'PUBREL', { packetId: 7 }).pkt(2, 's2c', 'PUBCOMP', { packetId: 7 });
  const [q2] = w.flows('publish-qos2');
  const [q1] = w.flows('publish-qos1');
  assert.equal(w.flows('publish-qos1').length, 1, 'the resend is not a new flow');
  for (const r of [q1, q2]) {
    const f = toFlow(r);
    assert.equal(f.state, 'complete');
    assert.equal(f.retransmitted, true);
    assert.equal(f.conn, 1);
    assert.equal(f.steps.at(-1)!.conn, 2, 'the later steps say they happened on the new connection');
  }
  assert.equal(toFlow(q1).steps[1].note, 'resent with DUP after reconnect');
  assert.equal(toFlow(q2).steps[2].note, 'PUBREL resent after reconnect');
});

test('a reconnect that starts a new session drops the unfinished exchange (stalled, says why)', () => {
  const w = new Wire().open(1).connect(1, 'dev');
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 8, topic: 't' }).close(1);
  w.open(2).connect(2, 'dev', {}, false);
  const [r] = w.flows('publish-qos1');
  assert.equal(r.state, 'stalled');
  assert.match(r.problem!, /session present 0/);
});

test('PUBREL resent after reconnect for an exchange that had completed on the wire reopens it as retransmitted', () => {
  const w = new Wire().open(1, 'client').connect(1, 'me');
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 2, packetId: 3, topic: 't' }).pkt(1, 's2c', 'PUBREC', { packetId: 3 })
    .pkt(1, 'c2s', 'PUBREL', { packetId: 3 }).pkt(1, 's2c', 'PUBCOMP', { packetId: 3 }).close(1);
  const [r] = w.flows('publish-qos2');
  assert.equal(r.state, 'complete');
  w.open(2, 'client').connect(2, 'me', {}, true).pkt(2, 'c2s', 'PUBREL', { packetId: 3 });
  assert.equal(r.state, 'retransmitted');
  w.pkt(2, 's2c', 'PUBCOMP', { packetId: 3 });
  assert.equal(r.state, 'complete');
  assert.equal(r.retransmitted, true);
  assert.equal(w.flows('publish-qos2').length, 1);
});

test('v5: a PUBREL resent after reconnect answered "Packet Identifier not found" completes (the receiver had finished)', () => {
  const w = new Wire().open(1, 'client').connect(1, 'me', {}, false, 5);
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 2, packetId: 3, topic: 't' }).pkt(1, 's2c', 'PUBREC', { packetId: 3, reasonCode: 0 })
    .pkt(1, 'c2s', 'PUBREL', { packetId: 3, reasonCode: 0 }).pkt(1, 's2c', 'PUBCOMP', { packetId: 3, reasonCode: 0 }).close(1);
  w.open(2, 'client').connect(2, 'me', {}, true, 5).pkt(2, 'c2s', 'PUBREL', { packetId: 3, reasonCode: 0 }).pkt(2, 's2c', 'PUBCOMP', { packetId: 3, reasonCode: 0x92 });
  const [r] = w.flows('publish-qos2');
  assert.equal(r.state, 'complete');
  assert.equal(r.retransmitted, true);
  assert.match(toFlow(r).steps.at(-1)!.note!, /already completed/);
  // Without an earlier PUBCOMP, 0x92 is a refusal.
  w.pkt(2, 'c2s', 'PUBLISH', { qos: 2, packetId: 4, topic: 't' }).pkt(2, 's2c', 'PUBREC', { packetId: 4, reasonCode: 0 })
    .pkt(2, 'c2s', 'PUBREL', { packetId: 4, reasonCode: 0 }).pkt(2, 's2c', 'PUBCOMP', { packetId: 4, reasonCode: 0x92 });
  assert.equal(w.flows('publish-qos2')[1].state, 'refused');
});

test('a packet id reused while in flight breaks the first exchange, citing the rule', () => {
  const w = new Wire().open(1).connect(1, 'dev');
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 5, topic: 't' }).pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 5, topic: 't' });
  const [first, second] = w.flows('publish-qos1');
  assert.equal(first.state, 'broken');
  assert.match(first.problem!, /packet id 5 was reused by a new PUBLISH \(#\d+\) before this exchange finished \[MQTT-2\.3\.1-2\]/);
  assert.equal(second.state, 'in-flight');
  w.pkt(1, 's2c', 'PUBACK', { packetId: 5 });
  assert.equal(second.state, 'complete');
});

test('an ack for an unknown id is a broken flow of its own', () => {
  const w = new Wire().open(1).connect(1, 'dev');
  w.pkt(1, 's2c', 'PUBACK', { packetId: 99 });
  const [r] = w.flows('publish-qos1');
  assert.equal(r.state, 'broken');
  assert.match(r.problem!, /PUBACK for packet id 99, but no QoS 1 PUBLISH with that id is in flight/);
  assert.equal(r.origin, 'c2s', 'a PUBACK from the server answers a PUBLISH from the client');
  w.pkt(1, 's2c', 'PINGRESP');
  assert.equal(w.flows('ping')[0].state, 'broken');
  assert.match(w.flows('ping')[0].problem!, /\[MQTT-3\.12\.4-1\]/);
});

test('acks on a connection whose start is not in the trace are not blamed', () => {
  const w = new Wire();
  w.pkt(1, 's2c', 'PUBACK', { packetId: 1 }).pkt(1, 'c2s', 'PUBREL', { packetId: 2 });
  assert.equal(w.e.total, 0);
});

test('an ack of the wrong type and steps in the wrong order are broken', () => {
  const w = new Wire().open(1).connect(1, 'dev');
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 2, packetId: 1, topic: 't' }).pkt(1, 's2c', 'PUBACK', { packetId: 1 });
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 2, packetId: 2, topic: 't' }).pkt(1, 'c2s', 'PUBREL', { packetId: 2 });
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 2, packetId: 3, topic: 't' }).pkt(1, 's2c', 'PUBREC', { packetId: 3 }).pkt(1, 's2c', 'PUBCOMP', { packetId: 3 });
  w.pkt(1, 'c2s', 'SUBSCRIBE', { packetId: 4, topic: 'a' }).pkt(1, 's2c', 'UNSUBACK', { packetId: 4 });
  const [a, b, c] = w.flows('publish-qos2');
  const [s] = w.flows('subscribe');
  assert.equal(a.state, 'broken');
  assert.match(a.problem!, /PUBACK answers a QoS 2 PUBLISH \(packet id 1\), which expects PUBREC/);
  assert.equal(b.state, 'broken');
  assert.match(b.problem!, /PUBREL before any PUBREC/);
  assert.equal(c.state, 'broken');
  assert.match(c.problem!, /PUBCOMP before the PUBREL/);
  assert.equal(s.state, 'broken');
  assert.match(s.problem!, /UNSUBACK answers a SUBSCRIBE/);
});

test('refusals: CONNACK return code (3.1.1), SUBACK 0x80, a v5 PUBACK and PUBREC reason ≥ 0x80, an error DISCONNECT', () => {
  const w = new Wire().open(1).pkt(1, 'c2s', 'CONNECT', {}, { clientId: 'x', level: 4 }).pkt(1, 's2c', 'CONNACK', { reasonCode: 5 });
  assert.equal(w.flows('connect')[0].state, 'refused');
  assert.match(w.flows('connect')[0].problem!, /refused: .*not authori[sz]ed.*\(0x05\)/i);
  w.open(2).connect(2, 'y').pkt(2, 'c2s', 'SUBSCRIBE', { packetId: 1, topic: 'a' }).pkt(2, 'c2s', 'SUBSCRIBE', { packetId: 2, topic: 'b' });
  w.pkt(2, 's2c', 'SUBACK', { packetId: 1, reasonCode: 0x80 }, { reasonCodes: [0x80] }).pkt(2, 's2c', 'SUBACK', { packetId: 2, reasonCode: 0 }, { reasonCodes: [0, 0x80] });
  const [s1, s2] = w.flows('subscribe');
  assert.equal(s1.state, 'refused');
  assert.equal(s2.state, 'refused');
  assert.match(s2.problem!, /1 of 2 filters refused \(filter 2\)/);
  w.open(3).connect(3, 'z', {}, false, 5);
  w.pkt(3, 'c2s', 'PUBLISH', { qos: 1, packetId: 1, topic: 't' }).pkt(3, 's2c', 'PUBACK', { packetId: 1, reasonCode: 0x87 });
  w.pkt(3, 'c2s', 'PUBLISH', { qos: 2, packetId: 2, topic: 't' }).pkt(3, 's2c', 'PUBREC', { packetId: 2, reasonCode: 0x90 });
  w.pkt(3, 's2c', 'DISCONNECT', { reasonCode: 0x8e });
  assert.equal(w.flows('publish-qos1')[0].state, 'refused');
  assert.match(w.flows('publish-qos1')[0].problem!, /Not authorized/);
  assert.equal(w.flows('publish-qos2')[0].state, 'refused');
  assert.equal(w.flows('disconnect')[0].state, 'refused');
  assert.match(w.flows('disconnect')[0].problem!, /the server disconnected with Session taken over/);
});

test('the connection closing ends every non-publish exchange as stalled; with no reconnect, publishes stall on the timer', () => {
  const w = new Wire().open(1).connect(1, 'dev');
  w.pkt(1, 'c2s', 'SUBSCRIBE', { packetId: 1, topic: 'a' }).pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 2, topic: 't' }).close(1);
  assert.equal(w.flows('subscribe')[0].state, 'stalled');
  assert.match(w.flows('subscribe')[0].problem!, /the connection closed before the SUBACK/);
  const [p] = w.flows('publish-qos1');
  assert.equal(p.state, 'in-flight');
  w.e.tick(w.timeUs + 6_000_000);
  assert.equal(p.state, 'stalled');
  assert.match(p.problem!, /no PUBACK within 5000 ms; the connection closed and no later connection of this client resumed it/);
});

test('topic aliases are resolved per connection and direction', () => {
  const w = new Wire().open(1).connect(1, 'dev', {}, false, 5);
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 0, topic: 'long/topic' }, { topicAlias: 3 }).pkt(1, 'c2s', 'PUBLISH', { qos: 0, topic: '' }, { topicAlias: 3 });
  assert.deepEqual(w.flows('publish-qos0').map((r) => r.topic), ['long/topic', 'long/topic']);
});

test('queries: problems first then newest; filters; per-frame marks; counts', () => {
  const w = new Wire().open(1).connect(1, 'dev');
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 1, topic: 'a/1' }).pkt(1, 's2c', 'PUBACK', { packetId: 1 });
  w.pkt(1, 's2c', 'PUBACK', { packetId: 50 });
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 2, topic: 'b/1' });
  const all = queryFlows(w.e);
  assert.deepEqual(all.flows.map((f) => f.state), ['broken', 'in-flight', 'complete', 'complete']);
  assert.equal(all.total, 4);
  assert.deepEqual(all.counts, { complete: 2, 'in-flight': 1, stalled: 0, retransmitted: 0, refused: 0, broken: 1 });
  assert.deepEqual(queryFlows(w.e, { topicFilter: 'a/#' }).flows.map((f) => f.topic), ['a/1']);
  assert.equal(queryFlows(w.e, { kinds: ['connect'] }).total, 1);
  assert.equal(queryFlows(w.e, { clientId: 'nobody' }).total, 0);
  assert.deepEqual(queryFlows(w.e, { offset: 1, limit: 1 }).flows.map((f) => f.state), ['in-flight']);
  const marks = flowsOfFrames(w.e, 0, w.seq);
  assert.deepEqual(marks.map((m) => m.seq), [1, 2, 3, 4, 5, 6], 'every packet frame, not the open event');
  assert.equal(marks[2].kind, 'publish-qos1');
  assert.equal(marks[2].flowId, marks[3].flowId);
});

test('flows whose frames were all evicted are forgotten; ones still alive stay', () => {
  const w = new Wire().open(1).connect(1, 'dev');
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 1, topic: 'a' }); // seq 3, answered much later
  for (let i = 0; i < 20; i++) w.pkt(1, 'c2s', 'PINGREQ').pkt(1, 's2c', 'PINGRESP');
  w.pkt(1, 's2c', 'PUBACK', { packetId: 1 });
  const before = w.e.total;
  w.e.forget(10);
  const kept = w.flows();
  assert.ok(kept.some((r) => r.kind === 'publish-qos1'), 'a flow with a frame still in the store stays');
  assert.ok(!kept.some((r) => r.kind === 'connect'), 'the connect flow is gone');
  assert.equal(w.e.total, before - 1 - 3);
  assert.equal(Object.values(w.e.counts).reduce((a, b) => a + b, 0), w.e.total, 'counts follow');
});

test('windows: outstanding QoS 1/2 publishes per direction against each side\'s Receive Maximum', async () => {
  const { flowWindows } = await import('../../shared/flows/queries');
  const w = new Wire().open(1).pkt(1, 'c2s', 'CONNECT', {}, { clientId: 'dev', level: 5, receiveMaximum: 10 })
    .pkt(1, 's2c', 'CONNACK', { reasonCode: 0 }, { sessionPresent: false, receiveMaximum: 20 });
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 1, topic: 't' }).pkt(1, 'c2s', 'PUBLISH', { qos: 2, packetId: 2, topic: 't' })
    .pkt(1, 'c2s', 'PUBLISH', { qos: 2, packetId: 3, topic: 't' }).pkt(1, 's2c', 'PUBLISH', { qos: 1, packetId: 1, topic: 'u' });
  w.pkt(1, 's2c', 'PUBREC', { packetId: 3 }).pkt(1, 'c2s', 'PUBREL', { packetId: 3 }).pkt(1, 's2c', 'PUBCOMP', { packetId: 3 });
  w.open(2).connect(2, 'gone').close(2);
  assert.deepEqual(flowWindows(w.e), [{
    conn: 1, side: 'broker', clientId: 'dev',
    c2s: { qos1: 1, qos2: 1, receiveMaximum: 20 },
    s2c: { qos1: 1, qos2: 0, receiveMaximum: 10 },
  }]);
});

test('an enhanced authentication exchange is an auth flow that the CONNACK completes; packets sent the wrong way are broken', () => {
  const w = new Wire().open(1).pkt(1, 'c2s', 'CONNECT', {}, { clientId: 'a', level: 5 });
  w.pkt(1, 's2c', 'AUTH', { reasonCode: 0x18 }).pkt(1, 'c2s', 'AUTH', { reasonCode: 0x18 }).pkt(1, 's2c', 'CONNACK', { reasonCode: 0 });
  const [auth] = w.flows('auth');
  assert.equal(auth.state, 'complete');
  assert.deepEqual(types(w, auth.id), ['AUTH s2c', 'AUTH c2s', 'CONNACK s2c']);
  w.pkt(1, 's2c', 'SUBSCRIBE', { packetId: 1, topic: 'x' });
  const [bad] = w.flows('subscribe');
  assert.equal(bad.state, 'broken');
  assert.match(bad.problem!, /SUBSCRIBE sent by the server: only the client sends SUBSCRIBE/);
});
