// The embedded broker's CONNACK Session Present, seen by mqtt.js on the wire: a client that left a
// persistent session hears 1 even without subscriptions (aedes alone says 0), a clean or unknown client 0,
// and a v5 session that reached its expiry 0.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mqtt, { type IClientOptions, type IConnackPacket } from 'mqtt';
import { startTestCore, type TestCore } from '../support/core';
import { waitFor } from '../support/wait';

let t: TestCore;
before(async () => { t = await startTestCore(); });
after(async () => { await t?.dispose(); });

async function sessionPresent(clientId: string, opts: IClientOptions): Promise<boolean> {
  const c = mqtt.connect(`mqtt://127.0.0.1:${t.port}`, { clientId, reconnectPeriod: 0, ...opts });
  const connack = await new Promise<IConnackPacket>((resolve, reject) => { c.once('connect', resolve); c.once('error', reject); });
  const present = connack.sessionPresent;
  await c.endAsync();
  await waitFor(async () => !(await t.core.brokerClients()).some((r) => r.clientId === clientId), { what: `${clientId} gone` });
  return present;
}

test('3.1.1 publisher without subscriptions: Session Present 1 when it resumes, 0 when it starts clean', async () => {
  assert.equal(await sessionPresent('sp-pub', { clean: false }), false, 'first time: no session yet');
  assert.equal(await sessionPresent('sp-pub', { clean: false }), true, 'resumes the session it left');
  assert.equal(await sessionPresent('sp-pub', { clean: true }), false, 'clean session discards it');
  assert.equal(await sessionPresent('sp-pub', { clean: false }), false, 'nothing left to resume after a clean one');
});

test('v5: Session Present 1 within the expiry, 0 after it', async () => {
  const v5 = (expiry: number, clean: boolean): IClientOptions => ({ protocolVersion: 5, clean, properties: { sessionExpiryInterval: expiry } });
  assert.equal(await sessionPresent('sp-v5', v5(300, true)), false);
  assert.equal(await sessionPresent('sp-v5', v5(1, false)), true, 'Clean Start 0 within the expiry resumes');
  // The session now expires one second after this disconnect.
  await waitFor(async () => (await t.core.brokerOfflineSessions()).every((s) => s.clientId !== 'sp-v5'), { timeoutMs: 5000, what: 'the v5 session to expire' });
  assert.equal(await sessionPresent('sp-v5', v5(0, false)), false, 'expired: nothing to resume');
});
