// Broker behaviour mosquitto will not produce on demand, from a scripted fake broker: incoming topic
// aliases, duplicate QoS 2 deliveries, a tight Receive Maximum, Maximum QoS.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';
import { waitFor } from '../support/wait';
import { Harness, sessionOptions } from './sessions-helpers';

type Script = (p: Packet, send: (p: Packet) => void, log: string[]) => void;

async function fakeBroker(script: Script): Promise<{ url: string; log: string[]; close(): void }> {
  const log: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    const send = (p: Packet): void => {
      log.push(`> ${p.cmd}`);
      socket.write(mqttPacket.generate(p, { protocolVersion: 5 }));
    };
    parser.on('packet', (p: Packet) => {
      log.push(`< ${p.cmd}`);
      script(p, send, log);
    });
    socket.on('data', (d: Buffer) => parser.parse(d));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return { url: `mqtt://127.0.0.1:${port}`, log, close: () => { sockets.forEach((s) => s.destroy()); server.close(); } };
}

const h = new Harness();
after(() => h.dispose());

test('incoming topic aliases are resolved and a duplicate QoS 2 PUBLISH is not delivered twice', async (t) => {
  const broker = await fakeBroker((p, send) => {
    if (p.cmd !== 'connect') return;
    send({ cmd: 'connack', sessionPresent: false, reasonCode: 0 });
    const payload = Buffer.from('m');
    send({ cmd: 'publish', topic: 'a/b', qos: 2, messageId: 7, dup: false, retain: false, payload, properties: { topicAlias: 1 } });
    send({ cmd: 'publish', topic: 'a/b', qos: 2, messageId: 7, dup: true, retain: false, payload, properties: { topicAlias: 1 } });
    send({ cmd: 'publish', topic: '', qos: 0, dup: false, retain: false, payload: Buffer.from('aliased'), properties: { topicAlias: 1 } });
    send({ cmd: 'pubrel', messageId: 7, reasonCode: 0 });
  });
  t.after(() => broker.close());
  const info = await h.connected(sessionOptions(broker.url, { protocolVersion: 5, properties: { topicAliasMaximum: 4 } }));
  const conn = h.conn(info);
  await waitFor(() => conn.cmds('c2s').includes('pubcomp'), { what: 'PUBCOMP' });
  assert.deepEqual(conn.cmds('c2s'), ['connect', 'pubrec', 'pubrec', 'pubcomp']);
  assert.deepEqual(h.messagesFor(info.id).map((m) => [m.topic, m.payload.toString(), m.qos]), [['a/b', 'm', 2], ['a/b', 'aliased', 0]]);
  assert.ok(conn.events.some((e) => /duplicate QoS 2 PUBLISH id 7/.test(e)));
});

test("the broker's Receive Maximum 1 keeps one QoS 1 publish in flight at a time", async (t) => {
  const broker = await fakeBroker((p, send) => {
    if (p.cmd === 'connect') send({ cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: { receiveMaximum: 1, maximumQoS: 1 } });
    if (p.cmd === 'publish') setImmediate(() => send({ cmd: 'puback', messageId: p.messageId, reasonCode: 0 }));
  });
  t.after(() => broker.close());
  const info = await h.connected(sessionOptions(broker.url, { protocolVersion: 5 }));
  const msg = { topic: 'rm', payloadB64: '', qos: 1 as const, retain: false };
  const pending = [h.manager.publish(info.id, msg), h.manager.publish(info.id, msg), h.manager.publish(info.id, msg)];
  assert.equal(h.manager.get(info.id)?.inflight, 3, 'one in flight + two queued');
  const results = await Promise.all(pending);
  assert.deepEqual(results.map((r) => r.reasonCodes), [[0], [0], [0]]);
  assert.deepEqual(broker.log.slice(2), ['< publish', '> puback', '< publish', '> puback', '< publish', '> puback']);
  await assert.rejects(h.manager.publish(info.id, { ...msg, qos: 2 }), /accepts at most QoS 1/);
});

test('a broker DISCONNECT with a reason is explained', async (t) => {
  const broker = await fakeBroker((p, send) => {
    if (p.cmd === 'connect') send({ cmd: 'connack', sessionPresent: false, reasonCode: 0 });
    if (p.cmd === 'subscribe') send({ cmd: 'disconnect', reasonCode: 0x8e, properties: { reasonString: 'someone else took the id' } });
  });
  t.after(() => broker.close());
  const info = await h.connected(sessionOptions(broker.url, { protocolVersion: 5, reconnect: { enabled: true, initialDelayMs: 10, maxDelayMs: 10, maxTries: 0 } }));
  await assert.rejects(h.manager.subscribe(info.id, [{ topic: 'x', qos: 0 }]), /lost before SUBACK/);
  const failed = await h.waitState(info.id, 'failed');
  assert.match(failed.lastError ?? '', /disconnected us: session taken over.*\(someone else took the id\)/i);
});
