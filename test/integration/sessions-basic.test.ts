// Client sessions against a real mosquitto: CONNECT/CONNACK for 3.1, 3.1.1 and 5, every option on the
// wire, QoS flows counted packet by packet, retained, subscribe options, user properties, will, pings.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { IConnectPacket, IPublishPacket, ISubscribePacket } from 'mqtt-packet';
import type { ProtocolVersion } from '../../shared/contract/types';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { waitFor } from '../support/wait';
import { Harness, mosquittoSub, sessionOptions } from './sessions-helpers';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
/** mqtt-packet builds user-property maps with a null prototype; compare plain JSON. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

let broker: Mosquitto;
let h: Harness;
let url: string;

before(async () => {
  broker = await startMosquitto();
  url = `mqtt://127.0.0.1:${broker.port}`;
});
after(async () => {
  await h?.dispose();
  await broker?.stop();
});

describe('connect', () => {
  before(() => { h = new Harness(); });
  after(() => h.dispose());

  for (const [version, protocolId] of [[3, 'MQIsdp'], [4, 'MQTT'], [5, 'MQTT']] as const) {
    test(`MQTT ${version}: CONNECT goes out as given, CONNACK accepted, DISCONNECT on disconnect`, async () => {
      const opts = sessionOptions(url, { protocolVersion: version, username: 'alice', password: 'secret', keepalive: 42 });
      const info = await h.connected(opts);
      assert.equal(info.connack?.reasonCode, 0);
      assert.match(info.connack?.reason ?? '', /accepted|success/i);
      const conn = h.conn(info);
      assert.equal(conn.info.sessionId, info.id);
      assert.equal(conn.info.transport, 'tcp');
      assert.match(conn.info.local, /^127\.0\.0\.1:\d+$/);
      const connect = conn.packets('c2s')[0] as IConnectPacket;
      assert.equal(connect.cmd, 'connect');
      assert.equal(connect.protocolId, protocolId);
      assert.equal(connect.protocolVersion, version);
      assert.equal(connect.clientId, opts.clientId);
      assert.equal(connect.keepalive, 42);
      assert.equal(connect.username, 'alice');
      assert.equal(connect.password?.toString(), 'secret');
      assert.equal(connect.clean, true);
      const done = await h.manager.disconnect(info.id);
      assert.equal(done.state, 'disconnected');
      assert.deepEqual(conn.cmds('c2s'), ['connect', 'disconnect']);
      assert.ok(conn.closedReason);
      assert.ok(h.changes.some((c) => c.id === info.id && c.state === 'connecting'));
    });
  }

  test('MQTT 5: every CONNECT property and the will with its properties go on the wire', async () => {
    const opts = sessionOptions(url, {
      protocolVersion: 5,
      properties: {
        sessionExpiryInterval: 0, receiveMaximum: 77, maximumPacketSize: 100000, topicAliasMaximum: 5,
        requestResponseInformation: true, requestProblemInformation: false,
        userProperties: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }, { key: 'b', value: 'x' }],
      },
      will: {
        topic: 'will/props', payloadB64: b64('bye'), qos: 1, retain: false,
        properties: { willDelayInterval: 0, contentType: 'text/plain', messageExpiryInterval: 60, payloadFormatIndicator: true,
          responseTopic: 'r/t', correlationDataB64: b64('corr'), userProperties: [{ key: 'w', value: 'v' }] },
      },
    });
    const info = await h.connected(opts);
    const connect = h.conn(info).packets('c2s')[0] as IConnectPacket;
    assert.deepEqual(plain(connect.properties), {
      sessionExpiryInterval: 0, receiveMaximum: 77, maximumPacketSize: 100000, topicAliasMaximum: 5,
      requestResponseInformation: true, requestProblemInformation: false, userProperties: { a: ['1', '2'], b: 'x' },
    });
    assert.equal(connect.will?.topic, 'will/props');
    assert.equal(connect.will?.qos, 1);
    assert.equal(connect.will?.payload.toString(), 'bye');
    assert.deepEqual(plain({ ...connect.will?.properties, correlationData: connect.will?.properties?.correlationData?.toString() }), {
      willDelayInterval: 0, contentType: 'text/plain', messageExpiryInterval: 60, payloadFormatIndicator: true,
      responseTopic: 'r/t', correlationData: 'corr', userProperties: { w: 'v' },
    });
    await h.manager.close(info.id);
    assert.ok(h.closed.includes(info.id));
    assert.equal(h.manager.get(info.id), undefined);
  });

  test('MQTT 5: empty client id takes the Assigned Client Identifier from CONNACK', async () => {
    const info = await h.connected(sessionOptions(url, { protocolVersion: 5, clientId: '' }));
    const assigned = info.connack?.properties?.assignedClientIdentifier;
    assert.equal(typeof assigned, 'string');
    assert.ok((assigned as string).length > 0);
    assert.equal(h.conn(info).info.clientId, assigned);
  });

  test('MQTT 3.1 with an empty client id cannot be encoded: failed, explained, no retries', async () => {
    const info = h.manager.open(sessionOptions(url, { protocolVersion: 3, clientId: '', reconnect: { enabled: true, initialDelayMs: 10, maxDelayMs: 10, maxTries: 0 } }));
    const failed = await h.waitState(info.id, 'failed');
    assert.match(failed.lastError ?? '', /cannot encode CONNECT: clientId must be supplied before 3\.1\.1/);
    assert.equal(failed.conns.length, 1);
  });

  test('MQTT 5: an authentication method the broker does not know is refused in plain words', async () => {
    const info = h.manager.open(sessionOptions(url, { protocolVersion: 5, properties: { authenticationMethod: 'SCRAM-SHA-1', authenticationDataB64: b64('x') } }));
    const failed = await h.waitState(info.id, 'failed');
    assert.match(failed.lastError ?? '', /refused the connection: bad authentication method/i);
    assert.equal(failed.connack?.reasonCode, 0x8c);
  });
});

for (const version of [4, 5] as ProtocolVersion[]) {
  describe(`MQTT ${version} messaging`, () => {
    before(() => { h = new Harness(); });
    after(() => h.dispose());

    test('QoS 1 and QoS 2 round trips, packet by packet', async () => {
      const sub = await h.connected(sessionOptions(url, { protocolVersion: version }));
      const pub = await h.connected(sessionOptions(url, { protocolVersion: version }));
      const topic = `q/${version}`;
      const suback = await h.manager.subscribe(sub.id, [{ topic, qos: 2 }]);
      assert.deepEqual(suback.reasonCodes, [2]);
      assert.deepEqual(suback.reasons, ['Granted QoS 2']);
      assert.deepEqual(h.manager.get(sub.id)?.subscriptions, [{ topic, qos: 2 }]);

      const r1 = await h.manager.publish(pub.id, { topic, payloadB64: b64('one'), qos: 1, retain: false });
      assert.deepEqual(r1.reasonCodes, [0]);
      const r2 = await h.manager.publish(pub.id, { topic, payloadB64: b64('two'), qos: 2, retain: false });
      assert.deepEqual(r2.reasonCodes, [0, 0]);
      assert.notEqual(r1.packetId, r2.packetId);

      const sc = h.conn(sub);
      await waitFor(() => sc.cmds('c2s').includes('pubcomp'), { what: 'subscriber PUBCOMP' });
      const pc = h.conn(pub);
      assert.deepEqual(pc.cmds('c2s'), ['connect', 'publish', 'publish', 'pubrel']);
      assert.deepEqual(pc.cmds('s2c'), ['connack', 'puback', 'pubrec', 'pubcomp']);
      assert.deepEqual(sc.cmds('c2s'), ['connect', 'subscribe', 'puback', 'pubrec', 'pubcomp']);
      assert.deepEqual(sc.cmds('s2c'), ['connack', 'suback', 'publish', 'publish', 'pubrel']);
      const got = h.messagesFor(sub.id, topic);
      assert.deepEqual(got.map((m) => [m.payload.toString(), m.qos]), [['one', 1], ['two', 2]]);
      assert.equal(h.manager.get(pub.id)?.inflight, 0);

      const unsub = await h.manager.unsubscribe(sub.id, [topic]);
      assert.deepEqual(unsub.reasonCodes, version === 5 ? [0] : []);
      assert.deepEqual(h.manager.get(sub.id)?.subscriptions, []);
    });

    test('retained message is delivered to a later subscriber, and can be cleared', async () => {
      const topic = `retained/${version}`;
      const pub = await h.connected(sessionOptions(url, { protocolVersion: version }));
      await h.manager.publish(pub.id, { topic, payloadB64: b64('kept'), qos: 1, retain: true });
      const sub = await h.connected(sessionOptions(url, { protocolVersion: version }));
      await h.manager.subscribe(sub.id, [{ topic, qos: 1 }]);
      const [m] = await h.waitMessages(sub.id, topic, 1, 'retained message');
      assert.equal(m?.retain, true);
      assert.equal(m?.payload.toString(), 'kept');
      const wire = h.conn(pub).packets('c2s').find((p) => p.cmd === 'publish') as IPublishPacket;
      assert.equal(wire.retain, true);
      await h.manager.publish(pub.id, { topic, payloadB64: '', qos: 1, retain: true });
    });

    test('will is published when the connection dies without DISCONNECT', async () => {
      const topic = `will/${version}`;
      const watcher = await h.connected(sessionOptions(url, { protocolVersion: version }));
      await h.manager.subscribe(watcher.id, [{ topic, qos: 1 }]);
      const dying = await h.connected(sessionOptions(url, {
        protocolVersion: version, will: { topic, payloadB64: b64('gone'), qos: 1, retain: false },
      }));
      h.conn(dying).stream?.destroy();
      const failed = await h.waitState(dying.id, 'failed');
      assert.ok(failed.lastError);
      const [m] = await h.waitMessages(watcher.id, topic, 1, 'will message');
      assert.equal(m?.payload.toString(), 'gone');
    });

    test('keep-alive 1 s: PINGREQ when idle, PINGRESP answers', async () => {
      const info = await h.connected(sessionOptions(url, { protocolVersion: version, keepalive: 1 }));
      const conn = h.conn(info);
      await waitFor(() => conn.cmds('s2c').includes('pingresp'), { timeoutMs: 4000, what: 'PINGRESP' });
      assert.deepEqual(conn.cmds('c2s').slice(0, 2), ['connect', 'pingreq']);
      assert.equal(h.manager.get(info.id)?.state, 'connected');
    });
  });
}

describe('MQTT 5 options', () => {
  before(() => { h = new Harness(); });
  after(() => h.dispose());

  test('user properties and every PUBLISH property reach a mosquitto_sub peer and our subscriber', async (t) => {
    const topic = 'props/v5';
    const peer = await mosquittoSub(broker.port, topic, ['-V', 'mqttv5', '-F', '%P|%t|%p', '-C', '1']);
    t.after(() => peer.stop());
    const sub = await h.connected(sessionOptions(url, { protocolVersion: 5 }));
    await h.manager.subscribe(sub.id, [{ topic, qos: 1, subscriptionIdentifier: 9 }], [{ key: 'sp', value: '1' }]);
    const subscribe = h.conn(sub).packets('c2s').find((p) => p.cmd === 'subscribe') as ISubscribePacket;
    assert.deepEqual(plain(subscribe.properties), { subscriptionIdentifier: 9, userProperties: { sp: '1' } });

    const pub = await h.connected(sessionOptions(url, { protocolVersion: 5 }));
    const properties = {
      messageExpiryInterval: 120, contentType: 'application/json', payloadFormatIndicator: true, responseTopic: 'reply/here',
      correlationDataB64: b64('c-1'), userProperties: [{ key: 'k1', value: 'v1' }, { key: 'k2', value: 'v2' }],
    };
    await h.manager.publish(pub.id, { topic, payloadB64: b64('{"x":1}'), qos: 1, retain: false, properties });
    await peer.exited;
    assert.deepEqual(peer.lines(), ['k1:v1 k2:v2|props/v5|{"x":1}']);
    const [m] = await h.waitMessages(sub.id, topic, 1, 'message');
    assert.equal(m?.properties?.contentType, 'application/json');
    assert.equal(m?.properties?.responseTopic, 'reply/here');
    assert.equal(m?.properties?.correlationData, b64('c-1'));
    assert.equal(m?.properties?.payloadFormatIndicator, true);
    assert.deepEqual(m?.properties?.userProperties, properties.userProperties);
    assert.equal(m?.properties?.subscriptionIdentifier, 9);
  });

  test('no local: our own publish is not echoed back', async () => {
    const topic = 'nolocal/v5';
    const me = await h.connected(sessionOptions(url, { protocolVersion: 5 }));
    const other = await h.connected(sessionOptions(url, { protocolVersion: 5 }));
    const ack = await h.manager.subscribe(me.id, [{ topic, qos: 1, noLocal: true }]);
    assert.deepEqual(ack.reasonCodes, [1]);
    const subscribe = h.conn(me).packets('c2s').find((p) => p.cmd === 'subscribe') as ISubscribePacket;
    assert.equal(subscribe.subscriptions[0]?.nl, true);
    await h.manager.publish(me.id, { topic, payloadB64: b64('mine'), qos: 1, retain: false });
    await h.manager.publish(other.id, { topic, payloadB64: b64('theirs'), qos: 1, retain: false });
    await waitFor(() => h.messagesFor(me.id, topic).length, { what: 'marker from the other session' });
    assert.deepEqual(h.messagesFor(me.id, topic).map((m) => m.payload.toString()), ['theirs']);
  });

  test('retain handling 2: no retained messages on subscribe; retain as published keeps the flag', async () => {
    const topic = 'rh/v5';
    const pub = await h.connected(sessionOptions(url, { protocolVersion: 5 }));
    await h.manager.publish(pub.id, { topic, payloadB64: b64('old'), qos: 1, retain: true });
    const sub = await h.connected(sessionOptions(url, { protocolVersion: 5 }));
    await h.manager.subscribe(sub.id, [{ topic, qos: 1, retainHandling: 2, retainAsPublished: true }]);
    const subscribe = h.conn(sub).packets('c2s').find((p) => p.cmd === 'subscribe') as ISubscribePacket;
    assert.deepEqual(subscribe.subscriptions[0], { topic, qos: 1, nl: false, rap: true, rh: 2 });
    await h.manager.publish(pub.id, { topic, payloadB64: b64('new'), qos: 1, retain: true });
    await waitFor(() => h.messagesFor(sub.id, topic).length, { what: 'live message' });
    assert.deepEqual(h.messagesFor(sub.id, topic).map((m) => [m.payload.toString(), m.retain]), [['new', true]]);
    await h.manager.publish(pub.id, { topic, payloadB64: '', qos: 1, retain: true });
  });

  test('topic alias: set once, then sent alias-only; over the broker maximum is refused locally', async () => {
    const topic = 'alias/v5';
    const sub = await h.connected(sessionOptions(url, { protocolVersion: 5 }));
    await h.manager.subscribe(sub.id, [{ topic, qos: 1 }]);
    const pub = await h.connected(sessionOptions(url, { protocolVersion: 5 }));
    const max = h.manager.get(pub.id)?.connack?.properties?.topicAliasMaximum as number;
    assert.ok(max >= 1, 'mosquitto grants topic aliases');
    await h.manager.publish(pub.id, { topic, payloadB64: b64('a'), qos: 1, retain: false, properties: { topicAlias: 1 } });
    await h.manager.publish(pub.id, { topic: '', payloadB64: b64('b'), qos: 1, retain: false, properties: { topicAlias: 1 } });
    const sent = h.conn(pub).packets('c2s').filter((p) => p.cmd === 'publish') as IPublishPacket[];
    assert.deepEqual(sent.map((p) => [p.topic, p.properties?.topicAlias]), [[topic, 1], ['', 1]]);
    await waitFor(() => h.messagesFor(sub.id, topic).length === 2, { what: 'both aliased messages' });
    await assert.rejects(
      h.manager.publish(pub.id, { topic, payloadB64: '', qos: 0, retain: false, properties: { topicAlias: max + 1 } }),
      /above the broker's Topic Alias Maximum/);
    await assert.rejects(
      h.manager.publish(pub.id, { topic: '', payloadB64: '', qos: 0, retain: false, properties: { topicAlias: 2 } }),
      /not set on this connection yet/);
  });
});
