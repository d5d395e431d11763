// Provoking flows from the UI in Chromium: step mode on the Local broker session holds the PUBACK of an
// incoming QoS 1 message until "Duplicate" sends it twice; the raw sender validates hex and writes it; the
// Broker view's Faults dialog drops the next PUBACK to an mqtt.js client and shows the fault on its row.
// Every effect is checked in the core's trace (the bytes that went out).
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { startE2E, type E2E } from './harness';
import { BrokerPage } from './pages/BrokerPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { MessagesPage } from './pages/MessagesPage';
import { waitFor } from '../support/wait';

let e: E2E;
before(async () => { e = await startE2E({ viewport: { width: 1440, height: 900 } }); });
after(async () => { await e?.close(); });

const shot = async (name: string) => {
  if (!process.env.E2E_SHOTS) return;
  await mkdir('screenshots-tmp', { recursive: true });
  await e.page.screenshot({ path: `screenshots-tmp/${name}.png` });
};

test('step queue: hold, duplicate; raw sender; faults on a broker client row', async () => {
  const { page, host } = e;
  const core = host.core;
  const c = new ConnectionsPage(page);
  const m = new MessagesPage(page);
  await c.select('Local broker');
  await c.connect();
  await m.waitConnected();
  await m.subscribe('step/#', 1);
  const session = (await core.sessionList())[0]!;

  // The box is checked once core says step mode is on (a round trip): click, then wait for what it turns on.
  await page.getByTestId('step-toggle').click();
  await page.getByTestId('step-list').waitFor();
  const port = core.broker.getStatus().listeners.find((l) => l.kind === 'tcp')!.port;
  const peer = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'ui-peer', reconnectPeriod: 0 });
  try {
    await peer.publishAsync('step/a', 'held', { qos: 1 });
    const item = page.getByTestId('step-item').and(page.locator('[data-reply="PUBACK"]'));
    await item.waitFor();
    assert.match(await item.innerText(), /PUBLISH QoS 1 id \d+ on step\/a → PUBACK waiting/);
    await shot('provoke-step-queue');
    const pubacks = async () => (await core.traceQuery({ sessionId: session.id, types: ['PUBACK'], dir: 'c2s' })).frames;
    assert.equal((await pubacks()).length, 0, 'held: no PUBACK on the wire');
    await item.getByTestId('step-duplicate').click();
    await item.waitFor({ state: 'detached' });
    await waitFor(async () => (await pubacks()).length === 2, { what: 'two PUBACKs from the session' });

    // Raw sender: invalid hex is explained and not sendable; a PINGREQ goes out and mosquitto-free
    // proof comes from the broker answering it with a PINGRESP on the session's connection.
    await page.getByTestId('raw-open').click();
    await page.getByTestId('raw-mode-hex').click();
    await page.getByTestId('raw-hex').fill('c0 0');
    await page.getByTestId('raw-invalid').filter({ hasText: 'lone digit' }).waitFor();
    assert.equal(await page.getByTestId('raw-send').isDisabled(), true);
    await page.getByTestId('raw-hex').fill('c0 00');
    await page.getByTestId('raw-send').click();
    await page.getByTestId('raw-sent').filter({ hasText: 'Sent 2 byte(s): c0 00' }).waitFor();
    await page.getByTestId('raw-mode-fields').click();
    await shot('provoke-raw-sender');
    await waitFor(async () => (await core.traceQuery({ sessionId: session.id, types: ['PINGRESP'] })).frames.length >= 1, { what: 'PINGRESP to the raw PINGREQ' });
    await page.getByTestId('raw-close').click();

    // Faults from the Broker view: drop the next ack to ui-peer; the row shows it until it is used up.
    const broker = new BrokerPage(page);
    await broker.open();
    await broker.tab('clients');
    const row = page.locator('[data-testid="broker-clients-row"]', { hasText: 'ui-peer' });
    await row.getByTestId('client-faults-open').click();
    await page.getByTestId('fault-acks-count').fill('x');
    await page.getByTestId('fault-acks-set').click();
    await page.getByTestId('faults-error').filter({ hasText: 'whole number' }).waitFor();
    await page.getByTestId('fault-acks-count').fill('1');
    await shot('provoke-faults-dialog');
    await page.getByTestId('fault-acks-set').click();
    await row.getByTestId('client-faults').filter({ hasText: 'drop 1 ack' }).waitFor();
    await shot('provoke-faults-row');
    peer.publish('step/b', 'ack dropped', { qos: 1 });
    await row.getByTestId('client-faults').waitFor({ state: 'detached' });
    const conns = (await core.connectionList()).filter((x) => x.side === 'broker' && x.clientId === 'ui-peer').map((x) => x.id);
    // The trace store takes events in the recorder's next batch flush.
    const dropped = await waitFor(async () => (await core.traceQuery({ conns, kinds: ['event'] })).frames.find((f) => /^fault: dropped PUBACK id \d+$/.test(f.note ?? '')),
      { what: 'the "fault: dropped PUBACK" event in the trace' });
    const id = Number(/id (\d+)$/.exec(dropped.note!)![1]);
    const publishes = (await core.traceQuery({ conns, types: ['PUBLISH'], dir: 'c2s' })).frames;
    assert.ok(publishes.some((f) => f.packetId === id && f.topic === 'step/b'), 'the event names the id of the PUBLISH it answered');
    const acks = (await core.traceQuery({ conns, types: ['PUBACK'] })).frames;
    assert.equal(acks.filter((f) => f.packetId === id).length, 0, 'the dropped PUBACK never reached the wire');
    assert.equal(acks.length, 1, 'only the PUBACK for step/a is on the wire');
  } finally {
    peer.end(true);
  }
  assert.deepEqual(e.errors, []);
});
