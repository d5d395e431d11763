// A window that is pushed no summaries at all (every trace batch a notice: "N more since seq S", as when it
// falls behind a burst) still ends up with everything: the message list counts and lists every message
// (paged at once), and the trace list's gap rows page in as they come into view until the list holds
// exactly the frames the store holds, in seq order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { waitFor } from '../support/wait';
import { startE2E, type E2E } from './harness';
import { AppPage } from './pages/AppPage';
import { MessagesPage } from './pages/MessagesPage';
import { TracePage } from './pages/TracePage';
import { subscribedOnLocalBroker } from './pages/local-session';

const N = 1500;
let e: E2E;
before(async () => { e = await startE2E({ outbox: { sendMsPerSecond: 0 } }); });
after(async () => { await e?.close(); });

test('only notices reach the page: messages are all listed, gap rows page in to exactly the store', async () => {
  const { page } = e;
  const port = await subscribedOnLocalBroker(page, 'gap/#', 0);
  const m = new MessagesPage(page);

  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'gap-publisher', protocolVersion: 4 });
  for (let i = 0; i < N; i++) client.publish(`gap/${i}`, `m${i}`, { qos: 0 });
  await client.endAsync();

  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="msg-count"]')?.getAttribute('data-count')) === n, N, { timeout: 60_000 });
  assert.equal(Number(await page.getByTestId('msg-vlist').getAttribute('data-count')), N, 'every message is in the list');
  await m.row(`gap/${N - 1}`).waitFor();

  // The core pushed no summary: what the trace list has came from paging.
  await new AppPage(page).go('trace');
  const list = page.getByTestId('trace-vlist');
  const stats = await e.host.core.traceStats();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="trace-count"]')?.getAttribute('data-count')) >= n, stats.frames);
  // The list stands for every frame at once (loaded rows plus gap rows); whatever is in view pages in.
  // Scroll to the top, where the older part waits as a gap row unless it was in view already.
  await list.evaluate((el) => { el.scrollTop = 0; });
  // Done when the list has one row per frame the store holds (a keepalive may add frames meanwhile).
  const held = await waitFor(async () => {
    const now = await e.host.core.traceStats();
    const rows = Number(await list.getAttribute('data-count'));
    return rows === now.frames && !/load as you scroll/.test(await page.getByTestId('trace-count').innerText()) ? now : null;
  }, { timeoutMs: 60_000, what: 'every frame of the store loaded into the trace list' });
  // Row i is frame firstSeq + i: top, middle and bottom.
  for (const at of [0, 0.5, 1]) {
    await list.evaluate((el, f) => { el.scrollTop = f * el.scrollHeight; }, at);
    await page.waitForTimeout(50);
    const seqs = await page.$$eval('[data-testid="trace-row"]', (els) => els.map((el) => ({ seq: Number(el.getAttribute('data-seq')), top: el.getBoundingClientRect().top })));
    assert.ok(seqs.length > 5);
    const sorted = seqs.sort((a, b) => a.top - b.top).map((r) => r.seq);
    for (let i = 1; i < sorted.length; i++) assert.equal(sorted[i], sorted[i - 1] + 1, `rows are consecutive frames (${sorted.join(',')})`);
    assert.ok(sorted[0] >= held.firstSeq && sorted[sorted.length - 1] < held.nextSeq);
  }
  assert.deepEqual(e.errors, []);
});

test('a window opened on a full store: Go to a frame number or a time of day its gap row stands for loads that frame and selects it', async () => {
  const { page } = e;
  const status = await e.host.core.brokerStatus();
  const port = (status.state === 'running' ? status : await e.host.core.brokerStart({})).listeners.find((l) => l.kind === 'tcp')!.port;
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'goto-publisher', protocolVersion: 4 });
  await new Promise((r) => setTimeout(r, 30));
  await client.publishAsync('goto/mark', 'here', { qos: 0 });
  await new Promise((r) => setTimeout(r, 30));
  for (let i = 0; i < 6000; i++) client.publish(`goto/${i}`, `m${i}`, { qos: 0 });
  await client.endAsync();
  const mark = (await e.host.core.traceQuery({ filter: 'topic == "goto/mark"' })).frames[0];
  const newest = (await e.host.core.traceStats()).nextSeq - 1;
  // A window opened on a full store loads its newest screen; the rest (the mark among it) is a gap row.
  await page.reload();
  await new AppPage(page).go('trace');
  await page.locator(`[data-testid="trace-row"][data-seq="${newest}"]`).waitFor();
  assert.ok(/load as you scroll/.test(await page.getByTestId('trace-count').innerText()), 'part of the new frames is a gap row');

  const trace = new TracePage(page);
  const inspector = page.getByTestId('trace-detail').getByTestId('frame-inspector');
  await trace.goTo(`#${mark.seq}`);
  await trace.selected(mark.seq);
  await inspector.locator('[data-testid="field-row"][data-name="Topic"]').filter({ hasText: 'goto/mark' }).waitFor();
  for (const at of [mark.wallMs - 10, mark.wallMs]) {
    await trace.goTo(`#${newest}`);
    await trace.selected(newest);
    await trace.goTo(await trace.timeOfDay(at));
    await trace.selected(mark.seq);
  }
  assert.deepEqual(e.errors, []);
});
