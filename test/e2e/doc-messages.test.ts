// The Messages view follows the shown document: switch to an opened .mqtrace and the list shows the
// messages in that file (what its broker delivered, to whom), read-only; switch back and the live
// session's messages are all still there.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run, startPeer } from '../support/processes';
import { startE2E, type E2E } from './harness';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { MessagesPage } from './pages/MessagesPage';
import { TracePage } from './pages/TracePage';

const BIN = join(import.meta.dirname, '../../bin/mqscope.mjs');
let e: E2E;
let dir: string;
before(async () => {
  e = await startE2E();
  dir = await mkdtemp(join(tmpdir(), 'mqscope-doc-msgs-e2e-'));
});
after(async () => {
  await e?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A broker-only capture: `mqscope broker --trace` delivering two messages to mosquitto_sub "ext-sub". */
async function captureFile(): Promise<string> {
  const file = join(dir, 'delivered.mqtrace');
  const broker = startPeer(process.execPath, [BIN, 'broker', '-p', '0', '--ws-port', 'off', '-v', '--trace', file]);
  const port = (await broker.waitOut(/listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 20000)).match(/mqtt:\/\/127\.0\.0\.1:(\d+)/)![1];
  const sub = startPeer('mosquitto_sub', ['-p', port, '-i', 'ext-sub', '-t', 'file/#', '-q', '1', '-C', '2', '-v']);
  await broker.waitOut(/SUBACK/, 10000);
  await run('mosquitto_pub', ['-p', port, '-i', 'ext-pub', '-t', 'file/one', '-m', 'from the file', '-q', '1']);
  await run('mosquitto_pub', ['-p', port, '-i', 'ext-pub', '-t', 'file/two', '-m', 'second', '-q', '0', '-r']);
  await sub.waitOut(/file\/two second/, 10000);
  assert.equal(await broker.kill('SIGINT'), 0);
  return file;
}

test('switching document: Messages shows the file\'s messages, read-only; switching back shows the live ones untouched', async () => {
  const { page } = e;
  const file = await captureFile();
  const c = new ConnectionsPage(page);
  const m = new MessagesPage(page);
  const trace = new TracePage(page);
  await c.select('Local broker');
  await c.connect();
  await m.waitConnected();
  await m.subscribe('live/#', 1);
  await m.publish({ topic: 'live/a', qos: 1, payload: 'live one' });
  await m.publish({ topic: 'live/b', qos: 0, payload: 'live two' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="msg-row"]').length === 2);
  const liveCount = await m.count();
  assert.equal(liveCount, 2);

  await trace.open();
  await page.getByTestId('trace-open-file').setInputFiles(file);
  await page.locator('[data-testid="trace-doc-tab"][aria-selected="true"]').filter({ hasText: 'delivered.mqtrace' }).waitFor();

  await m.open();
  const list = page.getByTestId('doc-message-list');
  await list.waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="doc-msg-row"]').length === 2);
  const rows = await page.$$eval('[data-testid="doc-msg-row"]', (els) => els.map((el) => ({
    topic: el.getAttribute('data-topic'),
    client: el.querySelector('[data-testid="doc-msg-client"]')?.textContent,
    qos: el.querySelector('[data-testid="msg-qos"]')?.textContent,
    retain: !!el.querySelector('[data-testid="msg-retain"]'),
    preview: el.querySelector('[data-testid="msg-preview"]')?.textContent,
    time: el.querySelector('[data-testid="msg-time"]')?.textContent,
  })));
  assert.deepEqual(rows.map((r) => [r.topic, r.client, r.qos, r.preview]), [['file/one', 'ext-sub', 'Q1', 'from the file'], ['file/two', 'ext-sub', 'Q0', 'second']]);
  assert.ok(rows.every((r) => /^\d\d:\d\d:\d\d\.\d{6}$/.test(r.time ?? '')), 'wire time to the microsecond');
  assert.equal(await page.getByTestId('doc-msg-count').getAttribute('data-count'), '2');
  assert.match(await page.getByTestId('doc-msg-count').textContent() ?? '', /delivered by the broker in delivered\.mqtrace/);
  // Read-only: no publish panel, no live message list, no subscription form.
  assert.equal(await page.getByTestId('pub-send').count(), 0);
  assert.equal(await page.getByTestId('msg-row').count(), 0);
  assert.equal(await page.getByTestId('sub-topic').count(), 0);
  await page.getByTestId('doc-msg-readonly').waitFor();

  // A message opens its frame from the file: fields and bytes.
  await page.locator('[data-testid="doc-msg-row"][data-topic="file/one"]').click();
  await page.locator('.vrow.selected [data-testid="doc-msg-row"][data-topic="file/one"]').waitFor();
  await page.getByTestId('doc-msg-detail').getByTestId('frame-inspector')
    .locator('[data-testid="field-row"][data-name="Topic"]').filter({ hasText: 'file/one' }).waitFor();

  // Back to the live capture: the session's messages are all still there, nothing of the file.
  await page.locator('[data-testid="view-messages"] [data-testid="trace-doc-tab"][data-doc="live"]').click();
  await page.getByTestId('message-list').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="msg-row"]').length === 2);
  assert.equal(await m.count(), liveCount);
  assert.deepEqual(await page.$$eval('[data-testid="msg-row"]', (els) => els.map((el) => el.getAttribute('data-topic'))), ['live/a', 'live/b']);
  // The live tab is still a place to publish from, and new messages keep arriving in it.
  await m.publish({ topic: 'live/c', qos: 0, payload: 'live three' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="msg-row"]').length === 3);
  assert.deepEqual(e.errors, []);
});
