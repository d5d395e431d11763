// Reconnect, session resume with DUP resend, failure modes in plain words, and a broker that misbehaves.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { IConnackPacket, IPublishPacket, IPubrelPacket } from 'mqtt-packet';
import type { ProtocolVersion } from '../../shared/contract/types';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { closedPort } from '../support/ports';
import { waitFor } from '../support/wait';
import { Harness, sessionOptions, type TestConnection } from './sessions-helpers';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const PUBLISH = 3;
const PUBREL = 6;

let broker: Mosquitto;
let url: string;
before(async () => {
  broker = await startMosquitto();
  url = `mqtt://127.0.0.1:${broker.port}`;
});
after(() => broker?.stop());

/** Destroy the connection right after the session writes a packet of this type, before any ack. */
function cutAfter(conn: TestConnection, type: number): void {
  conn.afterWrite = (chunk) => {
    if (chunk[0] !== undefined && chunk[0] >> 4 === type) {
      conn.afterWrite = null;
      conn.stream?.destroy();
    }
  };
}

const persistent = (version: ProtocolVersion) => ({
  protocolVersion: version,
  clean: false,
  ...(version === 5 ? { properties: { sessionExpiryInterval: 300 } } : {}),
  reconnect: { enabled: true, initialDelayMs: 20, maxDelayMs: 100, maxTries: 5 },
});

for (const version of [4, 5] as ProtocolVersion[]) {
  describe(`MQTT ${version} session resume`, () => {
    const h = new Harness();
    after(() => h.dispose());

    test('QoS 1 PUBLISH cut before PUBACK is resent with DUP=1 and the same packet id', async () => {
      const info = await h.connected(sessionOptions(url, persistent(version)));
      const first = h.conn(info);
      cutAfter(first, PUBLISH);
      const result = await h.manager.publish(info.id, { topic: `resume/${version}`, payloadB64: b64('again'), qos: 1, retain: false });
      // v5 brokers may say 0x10 "no matching subscribers", which is still a success.
      assert.deepEqual(result.reasonCodes, [version === 5 ? 0x10 : 0]);
      const now = h.manager.get(info.id);
      assert.equal(now?.state, 'connected');
      assert.equal(now?.conns.length, 2);
      assert.equal(now?.connack?.sessionPresent, true);
      assert.ok(h.changes.some((c) => c.id === info.id && c.state === 'reconnecting'));

      const original = first.packets('c2s').find((p) => p.cmd === 'publish') as IPublishPacket;
      assert.equal(original.dup, false);
      const second = h.conn(info);
      assert.ok(second.events.some((e) => /reconnect try 1/.test(e)), second.events.join('; '));
      assert.ok(first.events.some((e) => /reconnect in 20 ms \(try 1 of 5\)/.test(e)), first.events.join('; '));
      assert.equal((second.packets('s2c')[0] as IConnackPacket).sessionPresent, true);
      assert.deepEqual(second.cmds('c2s'), ['connect', 'publish']);
      const resent = second.packets('c2s')[1] as IPublishPacket;
      assert.equal(resent.dup, true);
      assert.equal(resent.messageId, original.messageId);
      assert.equal(resent.payload.toString(), 'again');
      assert.equal(result.packetId, original.messageId);
    });

    test('QoS 2 cut after PUBREL: PUBREL is resent, then PUBCOMP completes the flow', async () => {
      const info = await h.connected(sessionOptions(url, persistent(version)));
      const first = h.conn(info);
      cutAfter(first, PUBREL);
      const result = await h.manager.publish(info.id, { topic: `resume2/${version}`, payloadB64: b64('x'), qos: 2, retain: false });
      assert.equal(result.reasonCodes.length, 2);
      assert.ok(result.reasonCodes.every((c) => c === 0 || c === 0x10), `success codes: ${result.reasonCodes}`);
      const second = h.conn(info);
      assert.notEqual(second, first);
      assert.deepEqual(first.cmds('c2s'), ['connect', 'publish', 'pubrel']);
      assert.deepEqual(second.cmds('c2s'), ['connect', 'pubrel']);
      assert.deepEqual(second.cmds('s2c'), ['connack', 'pubcomp']);
      assert.equal((second.packets('c2s')[1] as IPubrelPacket).messageId, result.packetId);
    });

    test('clean session: a cut flow is rejected with an explanation, not resent', async () => {
      const info = await h.connected(sessionOptions(url, { protocolVersion: version, reconnect: { enabled: true, initialDelayMs: 20, maxDelayMs: 100, maxTries: 5 } }));
      cutAfter(h.conn(info), PUBLISH);
      await assert.rejects(
        h.manager.publish(info.id, { topic: 'clean', payloadB64: '', qos: 1, retain: false }),
        /connection was lost before the broker acknowledged the message/);
      await h.waitState(info.id, 'connected');
      assert.deepEqual(h.conn(info).cmds('c2s'), ['connect']);
    });
  });
}

describe('failures in plain words', () => {
  const h = new Harness();
  after(() => h.dispose());

  test('nothing listening: plain error, reconnect tries, then failed', async () => {
    const port = await closedPort();
    const info = h.manager.open(sessionOptions(`mqtt://127.0.0.1:${port}`, {
      reconnect: { enabled: true, initialDelayMs: 10, maxDelayMs: 40, maxTries: 3 },
    }));
    const failed = await h.waitState(info.id, 'failed');
    assert.match(failed.lastError ?? '', new RegExp(`nothing is listening on 127\\.0\\.0\\.1:${port}.*gave up after 3 reconnect tries`));
    assert.equal(failed.conns.length, 4);
    assert.equal(failed.reconnectTries, 3);
    const events = failed.conns.flatMap((id) => h.recorder.byId(id).events);
    assert.ok(events.some((e) => /reconnect in 40 ms \(try 3 of 3\)/.test(e)), events.join('; '));
    await assert.rejects(h.manager.publish(info.id, { topic: 't', payloadB64: '', qos: 0, retain: false }), /not connected \(state: failed\)/);
  });

  test('unknown host name: DNS error in plain words', async () => {
    const info = h.manager.open(sessionOptions('mqtt://no-such-host.invalid:1883'));
    const failed = await h.waitState(info.id, 'failed');
    assert.match(failed.lastError ?? '', /host name "no-such-host\.invalid" could not be (found|looked up)/);
  });

  test('CONNACK timeout: a server that accepts TCP but never answers', async (t) => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => { sockets.forEach((s) => s.destroy()); server.close(); });
    const port = (server.address() as net.AddressInfo).port;
    const info = h.manager.open(sessionOptions(`mqtt://127.0.0.1:${port}`, { connectTimeoutMs: 200 }));
    const failed = await h.waitState(info.id, 'failed');
    assert.match(failed.lastError ?? '', /no connection and CONNACK .* within 200 ms/);
  });

  for (const [what, reply] of [
    ['garbage bytes', Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')],
    ['a SUBACK before CONNACK', Buffer.from([0x90, 0x03, 0x00, 0x01, 0x00])],
    ['CONNACK then an invalid packet type', Buffer.from([0x20, 0x02, 0x00, 0x00, 0x00, 0x00])],
  ] as const) {
    test(`misbehaving broker (${what}) ends in failed with an explanation, no crash`, async (t) => {
      const server = net.createServer((s) => {
        s.on('error', () => undefined);
        s.once('data', () => s.write(reply));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      t.after(() => server.close());
      const port = (server.address() as net.AddressInfo).port;
      const info = h.manager.open(sessionOptions(`mqtt://127.0.0.1:${port}`));
      const failed = await h.waitState(info.id, 'failed');
      assert.match(failed.lastError ?? '', /not valid MQTT|protocol error/);
      const conn = h.recorder.byId(failed.conns[0] as number);
      assert.ok(conn.events.includes(failed.lastError as string), conn.events.join('; '));
      assert.ok(conn.closedReason);
    });
  }

  test('keep-alive timeout: a frozen broker (SIGSTOP) is detected and explained', async (t) => {
    const frozen = await startMosquitto();
    t.after(() => frozen.stop());
    const info = await h.connected(sessionOptions(`mqtt://127.0.0.1:${frozen.port}`, { keepalive: 1 }));
    frozen.pause();
    const failed = await h.waitState(info.id, 'failed', 6000);
    frozen.resume();
    assert.match(failed.lastError ?? '', /no PINGRESP within 1 s/);
    assert.deepEqual(h.conn(failed).cmds('c2s'), ['connect', 'pingreq']);
  });

  test('a manager disposes many sessions without leaking handles', async () => {
    const before = process.getActiveResourcesInfo().length;
    const m = new Harness();
    const infos = await Promise.all(Array.from({ length: 20 }, (_, i) => m.connected(sessionOptions(url, { keepalive: 5, protocolVersion: i % 2 ? 5 : 4 }))));
    await Promise.all(infos.map((i) => m.manager.subscribe(i.id, [{ topic: 'leak/#', qos: 1 }])));
    await m.dispose();
    assert.equal(m.closed.length, 20);
    assert.deepEqual(m.manager.list(), []);
    assert.ok(m.recorder.conns.every((c) => c.closedReason), 'every connection closed');
    await waitFor(() => process.getActiveResourcesInfo().length <= before, {
      what: `active resources back to ${before} (now ${process.getActiveResourcesInfo().join(', ')})`,
    });
    assert.throws(() => m.manager.open(sessionOptions(url)), /disposed/);
  });
});
