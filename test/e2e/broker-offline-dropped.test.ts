// The Broker view's offline-sessions table says how many queued messages a session lost because its queue
// was full (maxQueuedMessages, default 1000: the oldest are dropped).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { startE2E, type E2E } from './harness';
import { BrokerPage } from './pages/BrokerPage';

let e: E2E;
before(async () => { e = await startE2E(); });
after(async () => { await e?.close(); });

test('offline sessions: queued and dropped counts', async () => {
  const { page } = e;
  const broker = new BrokerPage(page);
  await broker.start();
  const port = await broker.tcpPort();

  const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'sensor-q', protocolVersion: 4, clean: false, reconnectPeriod: 0 });
  await sub.subscribeAsync('line/q', { qos: 1 });
  await sub.endAsync();
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'feeder', protocolVersion: 5, reconnectPeriod: 0 });
  await Promise.all(Array.from({ length: 1004 }, (_, i) => pub.publishAsync('line/q', String(i), { qos: 1 })));
  await pub.endAsync();

  await broker.tab('offline');
  const row = page.locator('[data-testid="broker-offline-row"]', { hasText: 'sensor-q' });
  await row.waitFor();
  await page.locator('[data-testid="broker-offline-row"]', { hasText: '1,000' }).waitFor();
  const cells = await row.locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(2), ['1,000', '4']);
  if (process.env.MQSCOPE_SHOT) await page.screenshot({ path: process.env.MQSCOPE_SHOT });
  assert.deepEqual(e.errors, []);
});
