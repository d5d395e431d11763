// A 3 MiB payload is not fetched until asked for, and then shown in full (no silent truncation).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { startE2E, type E2E } from './harness';
import { BrokerPage } from './pages/BrokerPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { MessagesPage } from './pages/MessagesPage';

let e: E2E;
before(async () => { e = await startE2E(); });
after(async () => { await e?.close(); });

test('large payloads open lazily and in full', async () => {
  const { page } = e;
  const broker = new BrokerPage(page);
  await broker.start();
  const port = await broker.tcpPort();
  const c = new ConnectionsPage(page);
  const m = new MessagesPage(page);
  await c.select('Local broker');
  await c.connect();
  await m.waitConnected();
  await m.subscribe('firmware/#', 1);

  const size = 3 * 1024 * 1024;
  const payload = Buffer.alloc(size);
  for (let i = 0; i < size; i++) payload[i] = (i * 31) & 0xff;
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'ota-server' });
  await client.publishAsync('firmware/image', payload, { qos: 1 });
  await client.endAsync();

  await m.row('firmware/image').waitFor();
  await m.select('firmware/image');
  await page.getByTestId('msg-lazy').waitFor();
  await page.getByTestId('msg-load-payload').click();
  const view = page.getByTestId('msg-payload');
  await view.waitFor();
  assert.equal(await view.getAttribute('data-size'), String(size));
  assert.equal(await view.getAttribute('data-mode'), 'hex');
  assert.match(await page.getByTestId('msg-payload-size').innerText(), /3,145,728 bytes.*shown in full/);
  // Hex rows for every byte: scroll to the end and read the last row's offset.
  const list = page.getByTestId('msg-payload-hex').locator('.vlist');
  await list.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.getByTestId('msg-payload-hex').locator('.hex-off', { hasText: (size - 16).toString(16).padStart(8, '0') }).waitFor();
  assert.deepEqual(e.errors, []);
});
