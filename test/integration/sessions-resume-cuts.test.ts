// QoS 2 flows survive a connection cut at every step, in both directions, exactly once: against mosquitto
// and the embedded broker, MQTT 3.1.1 and 5. A cut proxy swallows one packet of the flow and drops the
// connection; the session reconnects (v5: Clean Start 0, because the session has an expiry), resumes and
// finishes the flow. A fence message published afterwards proves no late duplicate arrives.
import assert from 'node:assert/strict';
import { waitFor } from '../support/wait';
import { after, before, describe, test } from 'node:test';
import type { IConnectPacket, IConnackPacket } from 'mqtt-packet';
import type { ProtocolVersion, SessionInfo } from '../../shared/contract/types';
import { startCutProxy, type CutProxy, type Direction } from '../support/cut-proxy';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { startTestCore, type TestCore } from '../support/core';
import { Harness, sessionOptions } from './sessions-helpers';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const [PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP] = [3, 4, 5, 6, 7];
const NAMES: Record<number, string> = { 3: 'PUBLISH', 4: 'PUBACK', 5: 'PUBREC', 6: 'PUBREL', 7: 'PUBCOMP' };

/** Where each flow is cut: the packet the network loses. */
const OUTGOING: [Direction, number][] = [['c2s', PUBLISH], ['s2c', PUBREC], ['c2s', PUBREL], ['s2c', PUBCOMP]];
const INCOMING: [Direction, number][] = [['s2c', PUBLISH], ['c2s', PUBREC], ['s2c', PUBREL], ['c2s', PUBCOMP]];

/** v3.1.1: Clean Session 0. v5: the user's Clean Start 1 with an expiry: only the first CONNECT is clean. */
const resumable = (version: ProtocolVersion) => ({
  protocolVersion: version,
  clean: version === 5,
  ...(version === 5 ? { properties: { sessionExpiryInterval: 300 } } : {}),
  reconnect: { enabled: true, initialDelayMs: 20, maxDelayMs: 100, maxTries: 20 },
});

/** Waits for the session's second connection to be up; a timeout says what the session looked like. */
const resumedConnection = (h: Harness, id: string) => () => {
  const s = h.manager.get(id)!;
  if (s.conns.length === 2 && s.state === 'connected') return true;
  throw new Error(`${s.conns.length} connection(s), state ${s.state}${s.lastError ? `, ${s.lastError}` : ''}`);
};

interface Target { name: string; port(): number }
let mosq: Mosquitto;
let core: TestCore;
const targets: Target[] = [
  { name: 'mosquitto', port: () => mosq.port },
  { name: 'embedded broker', port: () => core.port },
];
before(async () => {
  [mosq, core] = await Promise.all([startMosquitto(), startTestCore()]);
});
after(async () => {
  await Promise.all([mosq?.stop(), core?.dispose()]);
});

for (const target of targets) {
  for (const version of [4, 5] as ProtocolVersion[]) {
    describe(`${target.name}, MQTT ${version}: QoS 1/2 across a cut`, () => {
      const h = new Harness();
      let proxy: CutProxy;
      before(async () => { proxy = await startCutProxy(target.port()); });
      after(async () => { await h.dispose(); await proxy.close(); });

      /** The resumed connection: CONNECT with clean 0 (v5 too), CONNACK Session Present 1. */
      const assertResumed = (info: SessionInfo) => {
        const now = h.manager.get(info.id)!;
        assert.equal(now.conns.length, 2, 'exactly one reconnect');
        const second = h.conn(now);
        const connect = second.packets('c2s')[0] as IConnectPacket;
        assert.equal(connect.clean, false, 'the reconnect asks to resume the session (Clean Start 0)');
        assert.equal((second.packets('s2c')[0] as IConnackPacket).sessionPresent, true);
        const first = h.recorder.byId(now.conns[0] as number);
        assert.equal((first.packets('c2s')[0] as IConnectPacket).clean, version === 5, 'first CONNECT uses the user setting');
      };

      for (const [dir, type] of OUTGOING) {
        test(`outgoing: ${NAMES[type]} lost (${dir}) — completes once, subscriber gets it once`, async () => {
          const topic = `cut/out/${version}/${NAMES[type]}`;
          const sub = await h.connected(sessionOptions(`mqtt://127.0.0.1:${target.port()}`, { protocolVersion: version }));
          await h.manager.subscribe(sub.id, [{ topic, qos: 2 }]);
          const pub = await h.connected(sessionOptions(`mqtt://127.0.0.1:${proxy.port}`, resumable(version)));
          const cut = proxy.cutAt({ dir, type });
          const result = await h.manager.publish(pub.id, { topic, payloadB64: b64('once'), qos: 2, retain: false });
          await cut;
          assert.ok(result.reasonCodes.every((c) => c < 0x80), `success codes: ${result.reasonCodes}`);
          assertResumed(pub);
          await h.manager.publish(pub.id, { topic, payloadB64: b64('fence'), qos: 2, retain: false });
          const got = await h.waitMessages(sub.id, topic, 2);
          assert.deepEqual(got.map((m) => m.payload.toString()), ['once', 'fence']);
          // The resumed connection finished the flow: a PUBREL went out and a PUBCOMP came back.
          const second = h.conn(pub);
          assert.ok(second.cmds('c2s').includes('pubrel'), second.cmds('c2s').join(','));
          assert.ok(second.cmds('s2c').includes('pubcomp'), second.cmds('s2c').join(','));
          if (type === PUBLISH) {
            const resent = second.packets('c2s').find((p) => p.cmd === 'publish');
            assert.equal(resent && 'dup' in resent && resent.dup, true, 'the unacknowledged PUBLISH is resent with DUP=1');
          }
          if (type === PUBREL || type === PUBCOMP) {
            assert.equal(second.cmds('c2s')[1], 'pubrel', 'after PUBREC the PUBREL is resent, not the PUBLISH');
          }
          assert.equal(h.manager.get(pub.id)?.inflight, 0);
        });
      }

      for (const [dir, type] of [['c2s', PUBLISH], ['s2c', PUBACK]] as [Direction, number][]) {
        test(`outgoing QoS 1: ${NAMES[type]} lost (${dir}) — resent with DUP=1, acknowledged once`, async () => {
          const topic = `cut/out1/${version}/${NAMES[type]}`;
          const pub = await h.connected(sessionOptions(`mqtt://127.0.0.1:${proxy.port}`, resumable(version)));
          const cut = proxy.cutAt({ dir, type });
          const result = await h.manager.publish(pub.id, { topic, payloadB64: b64('q1'), qos: 1, retain: false });
          await cut;
          assertResumed(pub);
          const first = h.recorder.byId(h.manager.get(pub.id)!.conns[0] as number).packets('c2s').find((p) => p.cmd === 'publish');
          const resent = h.conn(pub).packets('c2s').find((p) => p.cmd === 'publish');
          assert.ok(first && resent && 'dup' in resent && resent.dup === true, 'resent with DUP=1');
          assert.equal(resent && 'messageId' in resent && resent.messageId, result.packetId);
          assert.equal(first && 'messageId' in first && first.messageId, result.packetId, 'the same packet id');
          assert.equal(h.manager.get(pub.id)?.inflight, 0);
        });
      }

      for (const [dir, type] of [['s2c', PUBLISH], ['c2s', PUBACK]] as [Direction, number][]) {
        test(`incoming QoS 1: ${NAMES[type]} lost (${dir}) — the broker resends, the flow completes`, async () => {
          const topic = `cut/in1/${version}/${NAMES[type]}`;
          const pub = await h.connected(sessionOptions(`mqtt://127.0.0.1:${target.port()}`, { protocolVersion: version }));
          const sub = await h.connected(sessionOptions(`mqtt://127.0.0.1:${proxy.port}`, resumable(version)));
          await h.manager.subscribe(sub.id, [{ topic, qos: 1 }]);
          const cut = proxy.cutAt({ dir, type });
          await h.manager.publish(pub.id, { topic, payloadB64: b64('q1'), qos: 1, retain: false });
          await cut;
          // The cut is seen a moment later than the proxy makes it: wait for the second connection itself.
          await waitFor(resumedConnection(h, sub.id), { what: 'the resumed connection' });
          await h.manager.publish(pub.id, { topic, payloadB64: b64('fence'), qos: 1, retain: false });
          const got = await h.waitMessages(sub.id, topic, type === PUBACK ? 3 : 2);
          // QoS 1 is at least once: a message whose PUBACK was lost arrives again [MQTT-4.3.2].
          assert.deepEqual(got.map((m) => m.payload.toString()), type === PUBACK ? ['q1', 'q1', 'fence'] : ['q1', 'fence']);
          assertResumed(sub);
          assert.ok(h.conn(sub).cmds('c2s').filter((c) => c === 'puback').length >= 2, 'the resent PUBLISH was acknowledged on the new connection');
        });
      }

      for (const [dir, type] of INCOMING) {
        test(`incoming: ${NAMES[type]} lost (${dir}) — delivered exactly once`, async () => {
          const topic = `cut/in/${version}/${NAMES[type]}`;
          const pub = await h.connected(sessionOptions(`mqtt://127.0.0.1:${target.port()}`, { protocolVersion: version }));
          const sub = await h.connected(sessionOptions(`mqtt://127.0.0.1:${proxy.port}`, resumable(version)));
          await h.manager.subscribe(sub.id, [{ topic, qos: 2 }]);
          const cut = proxy.cutAt({ dir, type });
          await h.manager.publish(pub.id, { topic, payloadB64: b64('once'), qos: 2, retain: false });
          await cut;
          // The cut is seen a moment later than the proxy makes it: wait for the second connection itself.
          await waitFor(resumedConnection(h, sub.id), { what: 'the resumed connection' });
          await h.manager.publish(pub.id, { topic, payloadB64: b64('fence'), qos: 2, retain: false });
          const got = await h.waitMessages(sub.id, topic, 2);
          assert.deepEqual(got.map((m) => m.payload.toString()), ['once', 'fence']);
          assertResumed(sub);
          const second = h.conn(sub);
          // The broker finished its side of the first flow on the resumed connection.
          assert.ok(second.cmds('c2s').includes('pubcomp'), second.cmds('c2s').join(','));
        });
      }
    });
  }
}
