// Message journeys on crafted broker-tap sequences: fan-out with QoS downgrade, retained deliveries on
// subscribe, will messages, offline-queue deliveries, messages delivered to nobody, and the loopback
// join of MQScope's client tap with the broker tap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allJourneys, journeyOf } from '../../shared/flows/queries';
import { Wire } from '../support/flow-wire';

const P = (hash: number) => ({ payloadHash: hash });

function world(): Wire {
  return new Wire().open(1).connect(1, 'pub').open(2).connect(2, 'sub1').open(3).connect(3, 'sub2');
}

test('a QoS 2 publish fanned out at QoS 1 and 2 is one journey with two deliveries', () => {
  const w = world();
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 2, packetId: 10, topic: 'plant/t', payloadSize: 4 }, P(7)).pkt(1, 's2c', 'PUBREC', { packetId: 10 });
  w.pkt(2, 's2c', 'PUBLISH', { qos: 1, packetId: 1, topic: 'plant/t', payloadSize: 4 }, P(7));
  w.pkt(3, 's2c', 'PUBLISH', { qos: 2, packetId: 1, topic: 'plant/t', payloadSize: 4 }, P(7));
  w.pkt(1, 'c2s', 'PUBREL', { packetId: 10 }).pkt(1, 's2c', 'PUBCOMP', { packetId: 10 });
  w.pkt(2, 'c2s', 'PUBACK', { packetId: 1 });
  w.pkt(3, 'c2s', 'PUBREC', { packetId: 1 }).pkt(3, 's2c', 'PUBREL', { packetId: 1 }).pkt(3, 'c2s', 'PUBCOMP', { packetId: 1 });
  const js = allJourneys(w.e);
  assert.equal(js.length, 1);
  const [j] = js;
  assert.deepEqual(j.publisher, { conn: 1, clientId: 'pub' });
  assert.equal(j.qos, 2);
  assert.deepEqual(j.deliveries.map((d) => [d.clientId, d.qos, d.state, d.cause]), [['sub1', 1, 'complete', 'publish'], ['sub2', 2, 'complete', 'publish']]);
  const got = journeyOf(w.e, { flowId: j.deliveries[0].flow })!;
  assert.equal(got.journey.id, j.id);
  assert.deepEqual(got.flows.map((f) => f.id).sort(), [j.inboundFlow!, j.deliveries[0].flow, j.deliveries[1].flow].sort());
  assert.equal(journeyOf(w.e, { seq: got.flows[0].steps[0].seq })!.journey.id, j.id);
});

test('a different payload on the same topic, or a QoS above the publish\'s, is not part of the journey', () => {
  const w = world();
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 1, topic: 't', payloadSize: 4 }, P(1));
  w.pkt(2, 's2c', 'PUBLISH', { qos: 1, packetId: 1, topic: 't', payloadSize: 4 }, P(2));
  w.pkt(3, 's2c', 'PUBLISH', { qos: 2, packetId: 1, topic: 't', payloadSize: 4 }, P(1));
  const [j, other1, other2] = allJourneys(w.e);
  assert.equal(j.deliveries.length, 0);
  assert.equal(other1.publisher, undefined);
  assert.equal(other2.publisher, undefined);
});

test('a message nobody subscribed to is a journey with no deliveries', () => {
  const w = world().pkt(1, 'c2s', 'PUBLISH', { qos: 0, topic: 'void', payloadSize: 1 }, P(3));
  const [j] = allJourneys(w.e);
  assert.equal(j.topic, 'void');
  assert.deepEqual(j.deliveries, []);
  assert.ok(j.inboundFlow);
});

test('a retained message delivered on subscribe joins the journey of the publish that set it', () => {
  const w = world();
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 1, topic: 'cfg', payloadSize: 2, retain: true }, P(9)).pkt(1, 's2c', 'PUBACK', { packetId: 1 });
  w.open(4).connect(4, 'late').pkt(4, 'c2s', 'SUBSCRIBE', { packetId: 1, topic: 'cfg' }).pkt(4, 's2c', 'SUBACK', { packetId: 1 }, { reasonCodes: [1] });
  w.pkt(4, 's2c', 'PUBLISH', { qos: 1, packetId: 1, topic: 'cfg', payloadSize: 2, retain: true }, P(9));
  // Already connected, subscribing later: still a retained delivery, not a live forward.
  w.pkt(2, 'c2s', 'SUBSCRIBE', { packetId: 1, topic: 'cfg' }).pkt(2, 's2c', 'PUBLISH', { qos: 0, topic: 'cfg', payloadSize: 2, retain: true }, P(9));
  const [j] = allJourneys(w.e);
  assert.equal(allJourneys(w.e).length, 1);
  assert.deepEqual(j.deliveries.map((d) => [d.clientId, d.cause]), [['late', 'retained'], ['sub1', 'retained']]);
});

test('a retained message whose publish is not in the trace is a journey without publisher', () => {
  const w = world().pkt(2, 's2c', 'PUBLISH', { qos: 0, topic: 'old', payloadSize: 2, retain: true }, P(4));
  const [j] = allJourneys(w.e);
  assert.equal(j.publisher, undefined);
  assert.equal(j.inboundFlow, undefined);
  assert.equal(j.deliveries[0].cause, 'retained');
});

test('a will: the connection that died without DISCONNECT is the publisher, deliveries say will', () => {
  const will = { topic: 'status/dev', qos: 1 as const, retain: false, payloadHash: 77, payloadSize: 7 };
  const w = world().open(5).connect(5, 'dev', { will });
  w.close(5);
  w.pkt(2, 's2c', 'PUBLISH', { qos: 1, packetId: 2, topic: 'status/dev', payloadSize: 7 }, P(77));
  const js = allJourneys(w.e);
  assert.equal(js.length, 1);
  assert.deepEqual(js[0].publisher, { conn: 5, clientId: 'dev' });
  assert.equal(js[0].inboundFlow, undefined);
  assert.equal(js[0].deliveries[0].cause, 'will');
  // A client that says goodbye with DISCONNECT has no will published.
  const v = world().open(6).connect(6, 'polite', { will });
  v.pkt(6, 'c2s', 'DISCONNECT').close(6);
  assert.equal(allJourneys(v.e).length, 0);
});

test('an offline-queue delivery after a reconnect with session present joins the journey', () => {
  const w = world();
  w.open(4).connect(4, 'sleepy').close(4);
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 3, topic: 'q', payloadSize: 5 }, P(5)).pkt(1, 's2c', 'PUBACK', { packetId: 3 });
  w.open(7).connect(7, 'sleepy', {}, true).pkt(7, 's2c', 'PUBLISH', { qos: 1, packetId: 1, topic: 'q', payloadSize: 5 }, P(5));
  const [j] = allJourneys(w.e);
  assert.equal(j.deliveries.length, 1);
  assert.equal(j.deliveries[0].cause, 'offline-queue');
  assert.equal(j.deliveries[0].clientId, 'sleepy');
});

test('loopback: MQScope\'s client tap and the broker tap of one connection are joined; the client flow joins the journey', () => {
  const w = new Wire().open(1, 'client', { local: '127.0.0.1:5000', remote: '127.0.0.1:1883' });
  w.open(2, 'broker', { local: '127.0.0.1:1883', remote: '127.0.0.1:5000' });
  w.open(3, 'broker', { local: '127.0.0.1:1883', remote: '127.0.0.1:5001' }).connect(3, 'sub');
  w.pkt(1, 'c2s', 'CONNECT', {}, { clientId: 'me' }).pkt(2, 'c2s', 'CONNECT', {}, { clientId: 'me' });
  w.pkt(2, 's2c', 'CONNACK', { reasonCode: 0 }).pkt(1, 's2c', 'CONNACK', { reasonCode: 0 });
  w.pkt(1, 'c2s', 'PUBLISH', { qos: 1, packetId: 1, topic: 't', payloadSize: 1 }, P(1));
  w.pkt(2, 'c2s', 'PUBLISH', { qos: 1, packetId: 1, topic: 't', payloadSize: 1 }, P(1));
  w.pkt(3, 's2c', 'PUBLISH', { qos: 0, topic: 't', payloadSize: 1 }, P(1));
  w.pkt(2, 's2c', 'PUBACK', { packetId: 1 }).pkt(1, 's2c', 'PUBACK', { packetId: 1 });
  const cc = w.flows('connect').find((r) => r.conn === 1)!;
  const bc = w.flows('connect').find((r) => r.conn === 2)!;
  assert.equal(cc.peerFlow, bc.id);
  assert.equal(bc.peerFlow, cc.id);
  const [cp, bp] = w.flows('publish-qos1');
  assert.equal(cp.side, 'client');
  assert.equal(cp.peerFlow, bp.id);
  assert.equal(cp.journeyId, bp.journeyId, 'the client-side flow points at the same journey');
  const got = journeyOf(w.e, { flowId: cp.id })!;
  assert.deepEqual(got.flows.map((f) => f.side), ['broker', 'client', 'broker'], 'inbound, its client-tap peer, the delivery');
  assert.deepEqual(w.flows('connect').filter((r) => r.conn === 3).map((r) => r.peerFlow), [0], 'a connection from outside has no peer');
});
