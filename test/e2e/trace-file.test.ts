// Save the trace to a file, clear it, open the file again: the same frames come back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { run } from '../support/processes';
import { startE2E, type E2E } from './harness';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { MessagesPage } from './pages/MessagesPage';
import { TracePage } from './pages/TracePage';

let e: E2E;
before(async () => { e = await startE2E(); });
after(async () => { await e?.close(); });

const traceCount = (e: E2E) => e.page.getByTestId('trace-count').getAttribute('data-count').then(Number);

test('trace save, clear, open', async () => {
  const { page } = e;
  const c = new ConnectionsPage(page);
  const m = new MessagesPage(page);
  const trace = new TracePage(page);
  await c.select('Local broker');
  await c.connect();
  await m.waitConnected();
  await m.subscribe('a/#', 1);
  await m.publish({ topic: 'a/b', qos: 1, payload: 'saved-in-file' });
  await trace.open();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="trace-row"][data-type="PUBACK"]').length >= 4);
  const before = await traceCount(e);

  const download = page.waitForEvent('download');
  await page.getByTestId('trace-save').click();
  const file = await (await download).path();
  // The same trace as pcap, read by Wireshark's dissector.
  const pcapDownload = page.waitForEvent('download');
  await page.getByTestId('trace-export-pcap').click();
  const pcap = await (await pcapDownload).path();
  const port = (await e.host.core.brokerStatus()).listeners.find((l) => l.kind === 'tcp')!.port;
  const topics = await run('tshark', ['-r', pcap!, '-d', `tcp.port==${port},mqtt`, '-Y', 'mqtt.msgtype == 3', '-T', 'fields', '-e', 'mqtt.topic']);
  assert.deepEqual(topics.trim().split('\n'), ['a/b', 'a/b', 'a/b', 'a/b'], 'PUBLISH on both legs of both sides');
  await m.app.go('messages');
  await page.getByTestId('active-disconnect').click();
  await page.getByTestId('active-session-state').filter({ hasText: 'Disconnected' }).waitFor();
  await trace.open();
  await trace.clear();
  await page.waitForFunction(() => document.querySelector('[data-testid="trace-count"]')?.getAttribute('data-count') === '0');

  await page.getByTestId('trace-open-file').setInputFiles(file!);
  await page.getByTestId('toast').filter({ hasText: 'Opened' }).waitFor();
  // The file opens in a tab of its own; the (cleared) live capture stays as it is.
  await page.locator('[data-testid="trace-doc-tab"][aria-selected="true"]:not([data-doc="live"])').waitFor();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="trace-matching"]')?.getAttribute('data-count')) >= n, before);
  await trace.search('saved-in-file');
  await page.locator('[data-testid="trace-row"][data-type="PUBLISH"]').first().waitFor();
  // The search result replaces the unfiltered file list (a newer query, answered a moment later).
  await page.getByTestId('trace-matching').filter({ hasText: /^4 matching/ }).waitFor();
  const rows = await trace.visibleRows();
  assert.equal(rows.length, 4);
  assert.ok(rows.every((r) => r.type === 'PUBLISH'));
  assert.deepEqual(e.errors, []);
});
