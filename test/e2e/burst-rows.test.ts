// A burst into the embedded broker with the Messages view (then the Trace view) open on it: the lists keep
// their row nodes (the window of rows slides over the same DOM nodes instead of removing and inserting
// rows every frame), the DOM holds only the rows in view while following, the row at the bottom of the list is
// the last message, the count ends right, and a click made while messages stream in switches views.
// The second half is streamed at a steady 2,500 msg/s (4 s) rather than sent at once: sent at once, a fast
// machine had it all listed before the click's view was on screen, and the test could not tell a click made
// during the burst from one made after it.
// How fast is the bench's business (test/bench/burst.ts), not this test's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './harness';
import { AppPage } from './pages/AppPage';
import { MessagesPage } from './pages/MessagesPage';
import { subscribedOnLocalBroker } from './pages/local-session';

const N = 20_000;
const topicOf = (i: number) => `burst/dev${i % 50}/${i}`;
const STREAM_TICK_MS = 50;
const STREAM_PER_TICK = 125;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Publishes messages from..to-1 at STREAM_PER_TICK per STREAM_TICK_MS; resolves when the last is handed to the socket. */
async function stream(client: mqtt.MqttClient, from: number, to: number): Promise<void> {
  for (let i = from; i < to;) {
    const end = Math.min(to, i + STREAM_PER_TICK);
    for (; i < end; i++) client.publish(topicOf(i), `{"i":${i}}`, { qos: 0 });
    await sleep(STREAM_TICK_MS);
  }
}
let e: E2E;
before(async () => { e = await startE2E(); });
after(async () => { await e?.close(); });

/** Counts, inside the page, the row nodes a list inserts and removes, and the most it holds at once. */
async function watchRows(page: Page, testId: string): Promise<void> {
  await page.evaluate(`(() => {
    const list = document.querySelector('[data-testid="${testId}"]');
    const w = window.__rows = { added: 0, removed: 0, most: 0 };
    const isRow = (n) => n.nodeType === 1 && n.classList.contains('vrow');
    window.__rowsObserver?.disconnect();
    window.__rowsObserver = new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) if (isRow(n)) w.added++;
        for (const n of r.removedNodes) if (isRow(n)) w.removed++;
      }
      w.most = Math.max(w.most, list.querySelectorAll('.vrow').length);
    });
    window.__rowsObserver.observe(list, { childList: true, subtree: true });
  })()`);
}

const rowsSeen = (page: Page) => page.evaluate('window.__rows') as Promise<{ added: number; removed: number; most: number }>;

/** The list's bottom row is the one with this data-seq/topic, and it is inside the list's box. */
async function bottomRow(page: Page, testId: string): Promise<{ topic: string | null; seq: number; inView: boolean }> {
  return page.evaluate((id) => {
    const list = document.querySelector(`[data-testid="${id}"]`)!;
    const rows = [...list.querySelectorAll('.vrow')] as HTMLElement[];
    const last = rows.reduce((a, b) => (Number(b.dataset.index) > Number(a.dataset.index) ? b : a));
    const box = list.getBoundingClientRect();
    const r = last.getBoundingClientRect();
    const content = last.firstElementChild as HTMLElement;
    return { topic: content.dataset.topic ?? null, seq: Number(content.dataset.seq), inView: r.top >= box.top - 1 && r.bottom <= box.bottom + 1 };
  }, testId);
}

test(`${N.toLocaleString('en')} messages, half at once, half streamed: rows are reused, the last one shows, the count is right, a click works mid-stream`, async () => {
  const { page } = e;
  const app = new AppPage(page);
  const port = await subscribedOnLocalBroker(page, 'burst/#', 0);
  const m = new MessagesPage(page);

  // A first message fills nothing yet: the list is empty, so every row node of the burst is counted.
  await watchRows(page, 'msg-vlist');
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'burst-publisher', protocolVersion: 4 });
  for (let i = 0; i < N / 2; i++) client.publish(topicOf(i), `{"i":${i}}`, { qos: 0 });
  // The first half is on the screen while it arrives; wait until it is all there, then check the list.
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="msg-count"]')?.getAttribute('data-count')) >= n, N / 2, { timeout: 90_000 });
  const half = await rowsSeen(page);
  const screenful = half.most;
  // Following the tail, only the rows in view are made (no rows above it for scrolling back: under a burst
  // each of them would get new content every render for nothing).
  const inView = Math.ceil(await page.getByTestId('msg-vlist').evaluate((el) => el.clientHeight) / 22) + 1;
  assert.ok(screenful > 10 && screenful <= inView, `the rows in view in the DOM, not more (at most ${screenful}; ${inView} fit)`);
  // Before: the window slid by a few hundred rows per frame and every row in it was a new node (thousands
  // removed over 10,000 messages). Now the row nodes stay; a few may go when the window's size changes.
  assert.ok(half.removed <= 5, `row nodes kept while the burst arrived (removed ${half.removed}, added ${half.added})`);
  assert.ok(half.added <= screenful + 5, `no row nodes made beyond a screenful (added ${half.added})`);
  let bottom = await bottomRow(page, 'msg-vlist');
  assert.equal(bottom.topic, topicOf(N / 2 - 1), 'the row at the bottom is the last message');
  assert.ok(bottom.inView, 'and it is in view');

  // The second half streams in, with the Trace view clicked open while it arrives.
  const before = await m.count();
  let streamDone = false;
  const streaming = stream(client, N / 2, N).then(() => { streamDone = true; });
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="msg-count"]')?.getAttribute('data-count')) > n, before, { timeout: 30_000 });
  await app.go('trace');
  const framesAtSwitch = Number(await page.getByTestId('trace-count').getAttribute('data-count'));
  const streamingAtSwitch = !streamDone;
  await watchRows(page, 'trace-vlist');
  await streaming;
  await client.endAsync();
  // The trace follows to the last message of the burst (its topic in the last rows).
  await page.getByTestId('trace-row').filter({ hasText: topicOf(N - 1) }).first().waitFor({ timeout: 90_000 });
  const framesAtEnd = Number(await page.getByTestId('trace-count').getAttribute('data-count'));
  assert.ok(streamingAtSwitch, 'the Trace view was on screen before the 4 s stream ended');
  assert.ok(framesAtSwitch < framesAtEnd, `the click switched views while messages arrived (${framesAtSwitch} of ${framesAtEnd} frames listed at the switch)`);
  const trace = await rowsSeen(page);
  assert.ok(trace.removed <= 5 && trace.most < 200, `trace rows kept while the burst arrived (removed ${trace.removed}, at most ${trace.most} in the DOM)`);

  await app.go('messages');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="msg-count"]')?.getAttribute('data-count')) >= n, N, { timeout: 90_000 });
  assert.equal(await m.count(), N, 'every message counted, none dropped');
  await m.row(topicOf(N - 1)).waitFor();
  bottom = await bottomRow(page, 'msg-vlist');
  assert.equal(bottom.topic, topicOf(N - 1), 'the row at the bottom is the last message of the burst');
  assert.ok(bottom.inView, 'and it is in view');
  assert.deepEqual(e.errors, []);
});
