// Transports and credentials: mqtts:// with a CA the test generates (verify on, off, missing CA, wrong
// name, bad files), client certificates, ws:// and wss:// to mosquitto's WebSocket listeners, passwords.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { IConnectPacket } from 'mqtt-packet';
import type { SessionOptions } from '../../shared/contract/types';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { Harness, sessionOptions } from './sessions-helpers';

let broker: Mosquitto;
const h = new Harness();
let tlsUrl: string;

before(async () => {
  broker = await startMosquitto({ tls: true, websockets: true, secureWebsockets: true, users: { alice: 'wonderland' }, allowAnonymous: true });
  tlsUrl = `mqtts://localhost:${broker.tlsPort}`;
});
after(async () => {
  await h.dispose();
  await broker?.stop();
});

const tls = (t: Partial<NonNullable<SessionOptions['tls']>>): SessionOptions['tls'] => ({ rejectUnauthorized: true, ...t });

/** Publish QoS 1 to a topic the session itself subscribed to: proves the transport carries MQTT both ways. */
async function roundTrip(id: string, topic: string): Promise<void> {
  await h.manager.subscribe(id, [{ topic, qos: 1 }]);
  await h.manager.publish(id, { topic, payloadB64: Buffer.from('hello').toString('base64'), qos: 1, retain: false });
  const [m] = await h.waitMessages(id, topic);
  assert.equal(m?.payload.toString(), 'hello');
}

describe('TLS', () => {
  test('verification on with the CA: connects, carries MQTT', async () => {
    const info = await h.connected(sessionOptions(tlsUrl, { protocolVersion: 5, tls: tls({ caPath: broker.caPath }) }));
    assert.equal(h.conn(info).info.transport, 'tls');
    assert.deepEqual(h.conn(info).cmds('c2s').slice(0, 1), ['connect']);
    await roundTrip(info.id, 'tls/ca');
  });

  test('client certificate and key, ALPN offered', async () => {
    const info = await h.connected(sessionOptions(tlsUrl, {
      tls: tls({ caPath: broker.caPath, certPath: broker.tls?.clientCertPath, keyPath: broker.tls?.clientKeyPath, alpn: ['mqtt'] }),
    }));
    await roundTrip(info.id, 'tls/client-cert');
  });

  test('without the CA: fails with advice, no retry storm', async () => {
    const info = h.manager.open(sessionOptions(tlsUrl, { tls: tls({}) }));
    const failed = await h.waitState(info.id, 'failed');
    assert.match(failed.lastError ?? '', /CA this computer does not trust: add (the|that) CA file or turn off verification/);
    assert.ok(h.recorder.byId(failed.conns[0] as number).events.some((e) => /does not trust/.test(e)));
  });

  test('verification off (rejectUnauthorized false): connects without the CA', async () => {
    const info = await h.connected(sessionOptions(tlsUrl, { tls: tls({ rejectUnauthorized: false }) }));
    await roundTrip(info.id, 'tls/insecure');
  });

  test('SNI server name that the certificate does not cover is explained', async () => {
    const info = h.manager.open(sessionOptions(`mqtts://127.0.0.1:${broker.tlsPort}`, {
      tls: tls({ caPath: broker.caPath, servername: 'wrong.example' }),
    }));
    const failed = await h.waitState(info.id, 'failed');
    assert.match(failed.lastError ?? '', /certificate is for a different host name/);
  });

  test('missing CA file and bad PEM are config errors, before any connection', async () => {
    const missing = h.manager.open(sessionOptions(tlsUrl, { tls: tls({ caPath: '/nonexistent/ca.pem' }) }));
    const f1 = await h.waitState(missing.id, 'failed');
    assert.equal(f1.lastError, 'CA file not found: /nonexistent/ca.pem');
    assert.deepEqual(f1.conns, []);

    const bad = path.join(broker.dir, 'bad.pem');
    await fs.writeFile(bad, '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
    const badPem = h.manager.open(sessionOptions(tlsUrl, { tls: tls({ caPath: bad }) }));
    const f2 = await h.waitState(badPem.id, 'failed');
    assert.match(f2.lastError ?? '', /not valid PEM/);
  });
});

describe('WebSocket', () => {
  test('ws:// with subprotocol mqtt, binary frames', async () => {
    const info = await h.connected(sessionOptions(`ws://127.0.0.1:${broker.wsPort}/mqtt`, { protocolVersion: 4 }));
    const conn = h.conn(info);
    assert.equal(conn.info.transport, 'ws');
    assert.match(conn.info.local, /^127\.0\.0\.1:\d+$/);
    await roundTrip(info.id, 'ws/plain');
    assert.deepEqual(conn.cmds('c2s'), ['connect', 'subscribe', 'publish', 'puback']);
  });

  test('wss:// with the CA', async () => {
    const info = await h.connected(sessionOptions(`wss://localhost:${broker.wssPort}`, { protocolVersion: 5, tls: tls({ caPath: broker.caPath }) }));
    assert.equal(h.conn(info).info.transport, 'wss');
    await roundTrip(info.id, 'ws/secure');
  });
});

describe('credentials', () => {
  test('right password connects; wrong password is refused in plain words (3.1.1 and 5)', async () => {
    const ok = await h.connected(sessionOptions(`mqtt://127.0.0.1:${broker.port}`, { username: 'alice', password: 'wonderland' }));
    const connect = h.conn(ok).packets('c2s')[0] as IConnectPacket;
    assert.equal(connect.username, 'alice');
    for (const protocolVersion of [4, 5] as const) {
      const info = h.manager.open(sessionOptions(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion, username: 'alice', password: 'nope' }));
      const failed = await h.waitState(info.id, 'failed');
      assert.match(failed.lastError ?? '', /refused the connection: (bad user name or password|not authorized)/i);
    }
  });
});
