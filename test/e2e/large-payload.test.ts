// Large payloads are not fetched until asked for, then shown in full (no silent truncation), and loading
// one never freezes the page: slices from core, detection and layout in a worker, only visible rows in the DOM.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { bigJsonPayload } from '../support/big-json';
import { startE2E, type E2E } from './harness';
import { MessagesPage } from './pages/MessagesPage';
import { subscribedOnLocalBroker } from './pages/local-session';

let e: E2E;
let port: number; // the embedded broker's, started by the first test
before(async () => { e = await startE2E(); });
after(async () => { await e?.close(); });

test('large payloads open lazily and in full', async () => {
  const { page } = e;
  port = await subscribedOnLocalBroker(page, 'firmware/#', 1);
  const m = new MessagesPage(page);

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
  const view = page.locator('[data-testid="msg-payload"][data-ready="true"]');
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

// How long the page's main thread is busy while this loads is a timing: it is measured in the bench
// (README, "Load payload"), not asserted here. This test checks the design that keeps it short: the
// formatting happens in the payload worker, and only a screenful of rows is DOM.
test('a 5 MB JSON payload is formatted in a worker and shown virtualized, and its last bytes can be found and seen', async () => {
  const { page } = e;
  const m = new MessagesPage(page);
  await m.subscribe('big/#', 1);
  const payload = bigJsonPayload();
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'big-json' });
  await client.publishAsync('big/json', payload, { qos: 1 });
  await client.endAsync();

  await m.row('big/json').waitFor();
  await m.select('big/json');
  await page.getByTestId('msg-lazy').waitFor();
  const workers: string[] = [];
  const onWorker = (w: { url(): string }) => workers.push(w.url());
  page.on('worker', onWorker);
  await page.getByTestId('msg-load-payload').click();
  const view = page.locator('[data-testid="msg-payload"][data-ready="true"]');
  await view.waitFor({ timeout: 60000 });
  assert.equal(await view.getAttribute('data-mode'), 'json', 'detected as JSON (in the worker) and pretty-printed');
  assert.equal(await view.getAttribute('data-size'), String(payload.length));
  page.off('worker', onWorker);
  assert.ok(workers.some((u) => u.endsWith('/payload.worker.js')), `the payload worker did the formatting (workers started: ${workers.join(', ') || 'none'})`);
  // Only the rows in view are DOM, yet the end is there: search for the last item's marker…
  const rows = Number(await page.getByTestId('msg-payload-json').getAttribute('data-rows'));
  assert.ok(rows > 100_000, `pretty-printed into many rows, got ${rows}`);
  assert.ok((await page.getByTestId('msg-payload-json').locator('.vrow').count()) < 200, 'virtualized: a screenful of rows in the DOM');
  await page.getByTestId('msg-payload-search').fill('END-OF-PAYLOAD-7f3a');
  await page.getByTestId('msg-payload-search').press('Enter');
  await page.getByTestId('msg-payload-search-result').filter({ hasText: '1 of 1' }).waitFor();
  assert.equal(await page.getByTestId('msg-payload-json-mark').innerText(), 'END-OF-PAYLOAD-7f3a');
  // …and scroll to the bottom: the closing bracket of the document is the last row shown.
  await page.getByTestId('msg-payload-json').locator('.vlist').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.getByTestId('msg-payload-json').locator(`.vrow[data-index="${rows - 1}"]`, { hasText: ']' }).waitFor();
  assert.deepEqual(e.errors, []);
});
