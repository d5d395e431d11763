// A core session that nobody takes messages from in-process passes plain QoS 0 PUBLISHes unparsed
// (electron/core/sessions/publish-skim.ts). What it receives must still be all there, and the packets that
// need an answer must still get one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SessionOptions } from '../../shared/contract/types';
import { startTestCore } from '../support/core';
import { waitFor } from '../support/wait';

const options = (url: string, clientId: string, protocolVersion: 4 | 5): SessionOptions => ({
  name: clientId, url, protocolVersion, clientId, keepalive: 30, clean: true, connectTimeoutMs: 5000,
  reconnect: { enabled: false, initialDelayMs: 100, maxDelayMs: 1000, maxTries: 0 },
});

for (const v of [4, 5] as const) {
  test(`v${v}: a burst of QoS 0 mixed with QoS 1 reaches the session whole; each QoS 1 is acknowledged`, async () => {
    const t = await startTestCore();
    try {
      const s = await t.core.sessionOpen({ options: options(`mqtt://127.0.0.1:${t.port}`, `skim-${v}`, v) });
      await waitFor(async () => (await t.core.sessionList()).find((x) => x.id === s.id && x.state === 'connected'), { what: 'connected' });
      await t.core.sessionSubscribe({ id: s.id, subscriptions: [{ topic: 'skim/#', qos: 1 }] });
      const b64 = (x: string) => Buffer.from(x).toString('base64');
      const sends: Promise<unknown>[] = [];
      for (let i = 0; i < 1000; i++) {
        const qos = i % 100 === 50 ? 1 : 0;
        sends.push(t.core.sessionPublish({ id: s.id, message: { topic: `skim/${i % 7}`, payloadB64: b64(`m${i}`), qos, retain: false } }));
      }
      await Promise.all(sends);
      const inbound = await waitFor(async () => {
        const r = await t.core.traceQuery({ sessionId: s.id, side: 'client', dir: 's2c', types: ['PUBLISH'], limit: 2000 });
        return r.frames.length === 1000 && r;
      }, { what: '1000 PUBLISHes received by the session' });
      assert.equal(inbound.frames.filter((f) => f.qos === 1).length, 10);
      // The session answered every QoS 1 PUBLISH it got (a PUBACK from the client side, c2s, per packet id).
      await waitFor(async () => (await t.core.traceQuery({ sessionId: s.id, side: 'client', dir: 'c2s', types: ['PUBACK'] })).frames.length === 10,
        { what: '10 PUBACKs from the session' });
      const info = (await t.core.sessionList()).find((x) => x.id === s.id)!;
      assert.equal(info.state, 'connected', info.lastError);
    } finally {
      await t.dispose();
    }
  });
}
