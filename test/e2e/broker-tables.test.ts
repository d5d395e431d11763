// Broker view tables: live clients (disconnect one from its row), subscriptions, offline sessions, and
// clearing retained messages under a filter after a confirmation that says how many.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { startE2E, type E2E } from './harness';
import { BrokerPage } from './pages/BrokerPage';

let e: E2E;
before(async () => { e = await startE2E(); });
after(async () => { await e?.close(); });

test('clients, subscriptions, offline sessions, disconnect, clear retained with a count', async () => {
  const { page } = e;
  const broker = new BrokerPage(page);
  await broker.start();
  const port = await broker.tcpPort();

  const a = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'meter-a', protocolVersion: 5, reconnectPeriod: 0 });
  const b = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'meter-b', protocolVersion: 4, clean: false, reconnectPeriod: 0 });
  await b.subscribeAsync('plant/+/alarm', { qos: 1 });
  for (const t of ['plant/line1/speed', 'plant/line2/speed', 'plant/line3/speed', 'office/temp']) await a.publishAsync(t, '42', { qos: 1, retain: true });

  await broker.tab('clients');
  const rowA = page.locator('[data-testid="broker-clients-row"]', { hasText: 'meter-a' });
  await rowA.waitFor();
  await page.locator('[data-testid="broker-clients-row"]', { hasText: 'meter-b' }).waitFor();

  await broker.tab('subscriptions');
  await page.locator('[data-testid="broker-subscriptions-row"]', { hasText: 'plant/+/alarm' }).waitFor();

  // Disconnect meter-b from its row: it goes, and its persistent session shows up as offline.
  await broker.tab('clients');
  const closed = new Promise<void>((r) => b.once('close', () => r()));
  await page.locator('[data-testid="broker-clients-row"]', { hasText: 'meter-b' }).getByTestId('client-disconnect').click();
  await closed;
  await page.locator('[data-testid="broker-clients-row"]', { hasText: 'meter-b' }).waitFor({ state: 'detached' });
  await broker.tab('offline');
  await page.locator('[data-testid="broker-offline-row"]', { hasText: 'meter-b' }).waitFor();

  // Clear retained under plant/#: the confirmation names the count; office/temp stays.
  await broker.tab('retained');
  await broker.retainedRow('office/temp').waitFor();
  await page.getByTestId('retained-filter').fill('plant/#');
  await page.getByTestId('retained-count').filter({ hasText: '3 retained' }).waitFor();
  await page.getByTestId('retained-clear').click();
  assert.equal(await page.getByTestId('confirm-clear-count').innerText(), '3');
  await page.getByTestId('confirm-ok').click();
  await page.getByTestId('broker-retained-empty').waitFor();
  await page.getByTestId('retained-filter').fill('#');
  await broker.retainedRow('office/temp').waitFor();
  assert.equal(await page.getByTestId('broker-retained-row').count(), 1);

  await a.endAsync();
  b.end(true);
  assert.deepEqual(e.errors, []);
});
