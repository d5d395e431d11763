// The Trace view as an inspector that answers questions: display filters typed in the bar, a bad filter
// named at its character, "Filter on this value" from the field tree, byte → field, follow a
// connection, and a trace captured earlier by `mqscope broker --trace` shown at its own time.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readTrace } from '../support/trace-file';
import { clockUs } from '../../shared/util/clock';
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
  dir = await mkdtemp(join(tmpdir(), 'mqscope-inspector-'));
});
after(async () => {
  await e?.close();
  await rm(dir, { recursive: true, force: true });
});

const rowSeqs = (t: TracePage) => t.visibleRows().then((rows) => rows.map((r) => r.seq));

test('filter bar, field → filter, byte → field, follow a connection', async () => {
  const { page } = e;
  const c = new ConnectionsPage(page);
  const m = new MessagesPage(page);
  const trace = new TracePage(page);
  await c.select('Local broker');
  await c.connect();
  await m.waitConnected();
  await m.subscribe('plant/#', 2);
  await m.publish({ topic: 'plant/q2', qos: 2, payload: 'two' });
  await m.publish({ topic: 'plant/q1', qos: 1, payload: 'one' });
  await m.publish({ topic: 'plant/q0', qos: 0, payload: 'zero' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="msg-row"]').length >= 3);
  await trace.open();

  // What the trace holds, read from core by structured query (not by the filter engine).
  const pubs = (await e.host.core.traceQuery({ types: ['PUBLISH'], limit: 1000 })).frames;
  const want = pubs.filter((f) => f.qos === 2).map((f) => f.seq);
  assert.ok(want.length >= 4, 'QoS 2 PUBLISH on both taps, both legs');
  assert.ok(pubs.length > want.length, 'and other PUBLISH frames the filter must drop');

  await trace.filter('type == PUBLISH && qos == 2');
  await page.waitForFunction((n) => document.querySelector('[data-testid="trace-matching"]')?.getAttribute('data-count') === String(n), want.length);
  assert.deepEqual(await rowSeqs(trace), want, 'the list shrinks to exactly those frames');

  // A bad filter: the error names the character, the list keeps the last good filter.
  await page.getByTestId('trace-filter').fill('type == PUBLISH && qos ==');
  const err = page.getByTestId('filter-error');
  await err.waitFor();
  assert.match(await err.textContent() ?? '', /expected a value after '==' at 26/);
  assert.equal(await err.getAttribute('data-pos'), '25');
  assert.equal(await page.getByTestId('trace-filter').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await rowSeqs(trace), want);

  // Right-click the Topic field of a PUBLISH → "Filter on this value".
  await trace.clickFrame(want[0]);
  const topicRow = page.locator('[data-testid="field-row"][data-name="Topic"]');
  await topicRow.click({ button: 'right' });
  await page.getByTestId('field-filter-only').click();
  assert.equal(await page.getByTestId('trace-filter').inputValue(), 'topic == "plant/q2"');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="trace-row"]').length > 0
    && [...document.querySelectorAll('[data-testid="trace-row"] .t-topic')].every((el) => el.textContent === 'plant/q2'));

  // Click a payload byte → the Payload field is selected.
  await trace.clickFrame(want[0]);
  const detail = (await e.host.core.traceFrame({ seq: want[0] }))!;
  const payload = detail.fields.find((f) => f.name === 'Payload')!;
  await page.locator(`[data-testid="frame-hex"] .hx[data-offset="${payload.offset + 1}"]`).click();
  await page.locator('[data-testid="field-row"][data-name="Payload"][data-selected="true"]').waitFor();
  // A byte of the topic selects the Topic field (the deepest owner), not its header section.
  await page.locator(`[data-testid="frame-hex"] .hx[data-offset="${detail.fields.find((f) => f.name === 'Variable header')!.children!.find((k) => k.name === 'Topic')!.offset}"]`).click();
  await page.locator('[data-testid="field-row"][data-name="Topic"][data-selected="true"]').waitFor();

  // Go to a frame number: that frame is selected and opened.
  await trace.filter('');
  await page.getByTestId('trace-goto').fill(`#${want[1]}`);
  await page.getByTestId('trace-goto').press('Enter');
  await page.locator(`.vrow.selected [data-testid="trace-row"][data-seq="${want[1]}"]`).waitFor();
  await page.getByTestId('frame-inspector').locator('[data-testid="field-row"][data-name="Topic"]').filter({ hasText: 'plant/q2' }).waitFor();

  // Follow the connection of a client-tap row: both taps of the same TCP connection, CONNECT at the top.
  await trace.filter('side == client && type == CONNECT');
  const row = page.locator('[data-testid="trace-row"]').first();
  await row.waitFor();
  await row.getByTestId('trace-follow-conn').click();
  const follow = page.getByTestId('follow-conn');
  await follow.waitFor();
  await follow.getByTestId('follow-connect').filter({ hasText: 'Client identifier' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="follow-frame"][data-side="client"]').length > 0
    && document.querySelectorAll('[data-testid="follow-frame"][data-side="broker"]').length > 0);
  const seqs = await page.$$eval('[data-testid="follow-frame"]', (els) => els.map((x) => Number(x.getAttribute('data-seq'))));
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'in order');
  const sides = await page.$$eval('[data-testid="follow-frame"]', (els) => els.map((x) => x.getAttribute('data-side')));
  const types = await page.$$eval('[data-testid="follow-frame"] strong', (els) => els.map((x) => x.textContent));
  assert.equal(types.filter((t) => t === 'CONNECT').length, 2, 'the CONNECT on both taps');
  assert.ok(sides.includes('client') && sides.includes('broker'));
  assert.deepEqual(e.errors, []);
});

test('a trace captured earlier by `mqscope broker --trace` opens at its own time, beside the live capture', async () => {
  const { page } = e;
  const trace = new TracePage(page);
  const file = join(dir, 'earlier.mqtrace');
  const broker = startPeer(process.execPath, [BIN, 'broker', '-p', '0', '--ws-port', 'off', '--trace', file]);
  const port = (await broker.waitOut(/listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 20000)).match(/:(\d+)\D*$/m)![1];
  await run('mosquitto_pub', ['-p', port, '-i', 'earlier-pub', '-t', 'earlier/t', '-m', 'then', '-q', '1']);
  assert.equal(await broker.kill('SIGINT'), 0);
  const t = await readTrace(file);
  const pub = t.frames.find((f) => f.kind === 'packet' && f.bytes[0] >> 4 === 3)!;
  const expected = clockUs(Math.floor(t.originMs * 1000 + pub.timeUs) / 1000);

  const messages = new MessagesPage(page);
  await messages.open();
  const messagesBefore = await messages.count();
  assert.ok(messagesBefore >= 3, 'the session of the first test has its messages');
  await trace.open();
  await trace.filter('');
  const liveBefore = Number(await page.getByTestId('trace-count').getAttribute('data-count'));
  await page.getByTestId('trace-open-file').setInputFiles(file);
  await page.locator('[data-testid="trace-doc-tab"][aria-selected="true"]').filter({ hasText: 'earlier.mqtrace' }).waitFor();
  await trace.filter('type == PUBLISH');
  const row = page.locator(`[data-testid="trace-row"][data-seq="${pub.seq}"]`);
  await row.waitFor();
  assert.equal(await row.getByTestId('trace-time').textContent(), expected, 'the capture time from the file, to the microsecond');
  assert.equal(await row.locator('.t-topic').textContent(), 'earlier/t');

  // Back to the live capture: its frames are all still there, numbered as before.
  await page.locator('[data-testid="trace-doc-tab"][data-doc="live"]').click();
  await trace.filter('');
  assert.ok(Number(await page.getByTestId('trace-count').getAttribute('data-count')) >= liveBefore);
  await trace.filter('topic == "earlier/t"');
  await page.waitForFunction(() => document.querySelector('[data-testid="trace-matching"]')?.getAttribute('data-count') === '0');
  // Opening a file wiped no message list.
  await messages.open();
  assert.equal(await messages.count(), messagesBefore);

  // Clear asks first and says what it removes; cancelling removes nothing.
  await trace.open();
  await trace.filter('');
  await page.getByTestId('trace-clear').click();
  const dialog = page.getByTestId('trace-clear-confirm');
  await dialog.waitFor();
  const says = await dialog.textContent() ?? '';
  assert.match(says, new RegExp(`removes [\\d,]+ frames from the live capture and ${messagesBefore} messages`));
  assert.match(says, /Opened files, sessions, subscriptions and the broker are not touched/);
  await dialog.getByTestId('confirm-cancel').click();
  await messages.open();
  assert.equal(await messages.count(), messagesBefore);
  assert.deepEqual(e.errors, []);
});
