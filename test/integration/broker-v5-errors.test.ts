// Closing on a bad packet: a v5 client is told why with a DISCONNECT reason code first (§4.13), the same
// code mosquitto 2.0.11 sends; a 3.1.1 client's connection just closes. Topic filters with misplaced
// wildcards are refused [MQTT-4.7.1-1], [MQTT-4.7.1-2] (aedes accepted 'a#' and 'a+').
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { startTestCore, type TestCore } from '../support/core';
import { RawPeer, gen, hex, type Version } from '../support/raw-mqtt';

let t: TestCore;
let mosq: Mosquitto;
before(async () => { [t, mosq] = await Promise.all([startTestCore(), startMosquitto()]); });
after(async () => { await t?.dispose(); await mosq?.stop(); });
const brokers = (): [string, number][] => [['embedded', t.port], ['mosquitto', mosq.port]];

/** What the broker sends after `bytes`: a reason code from DISCONNECT, or 'closed' with nothing. */
async function answer(port: number, bytes: Buffer, v: Version): Promise<string> {
  const { peer } = await RawPeer.connect(port, { clientId: `err-${Math.random().toString(36).slice(2)}` }, v);
  peer.send(bytes);
  try {
    const f = await peer.next();
    await peer.closed;
    return f[0] === 0xe0 ? `DISCONNECT ${hex(f.subarray(2, 3))}` : hex(f);
  } catch {
    return 'closed';
  }
}

const cases: [string, (v: Version) => Buffer][] = [
  ['PUBLISH to a topic with a wildcard', (v) => gen({ cmd: 'publish', topic: 'a/+', payload: 'x', qos: 0 }, v)],
  ['PUBLISH with an empty topic and no alias', (v) => Buffer.from(v === 5 ? [0x30, 0x04, 0x00, 0x00, 0x00, 0x78] : [0x30, 0x03, 0x00, 0x00, 0x78])],
  ['SUBSCRIBE a#', (v) => gen({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'a#', qos: 0 }] }, v)],
  ['SUBSCRIBE a/+b', (v) => gen({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'a/+b', qos: 0 }] }, v)],
  ['SUBSCRIBE a/#/b', (v) => gen({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'a/#/b', qos: 0 }] }, v)],
  ['UNSUBSCRIBE a+', (v) => gen({ cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['a+'] }, v)],
  ['PUBLISH with QoS 3', () => Buffer.from([0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01])],
];

describe('bad packets', () => {
  for (const [label, bytes] of cases) {
    test(`${label}: v5 gets the DISCONNECT reason mosquitto sends, 3.1.1 is closed`, async () => {
      const got: Record<string, string[]> = {};
      for (const [name, port] of brokers()) {
        for (const v of [4, 5] as const) (got[name] ??= []).push(await answer(port, bytes(v), v));
      }
      assert.deepEqual(got.embedded, got.mosquitto);
      assert.equal(got.embedded[0], 'closed');
      assert.match(got.embedded[1], /^DISCONNECT 8[12]$/);
    });
  }

  test('valid filters with wildcards are still granted', async () => {
    const { peer } = await RawPeer.connect(t.port, { clientId: 'good-filters' });
    peer.send(gen({ cmd: 'subscribe', messageId: 1, subscriptions: ['#', '+', 'a/#', '+/+', '/+', 'a/+/b', '+/#'].map((topic) => ({ topic, qos: 0 })) }));
    assert.equal(hex(await peer.next()), '90 0a 00 01 00 00 00 00 00 00 00 00');
    peer.close();
  });

  test('keep alive timeout: a v5 client gets DISCONNECT 0x8D before the close', async () => {
    const { peer } = await RawPeer.connect(t.port, { clientId: 'ka-timeout', keepalive: 1 });
    assert.equal(hex(await peer.next(4000)), 'e0 02 8d 00');
    await peer.closed;
  });
});
