// Moving around a growing trace: the selected frame stays selected (and its detail stays open) while new
// frames arrive; "Follow" pauses while the user looks higher up and resumes when they scroll to the end;
// "Go to" takes a frame number or a time of day (the first frame at or after it).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { run } from '../support/processes';
import { startE2E, type E2E } from './harness';
import { TracePage } from './pages/TracePage';

let e: E2E;
before(async () => { e = await startE2E(); });
after(async () => { await e?.close(); });

const LIST = '[data-testid="trace-vlist"]';
const shownCount = (page: Page) => page.getByTestId('trace-count').getAttribute('data-count').then(Number);
const rendered = (page: Page) => page.$$eval('[data-testid="trace-row"]', (els) => els.map((x) => Number(x.getAttribute('data-seq'))));
const scroll = (page: Page) => page.$eval(LIST, (el) => ({ top: el.scrollTop, bottom: el.scrollTop + el.clientHeight, height: el.scrollHeight }));

/** `n` QoS 0 messages from one mosquitto_pub connection to the embedded broker; waits until the list shows every frame core holds. */
async function publish(port: number, topic: string, n: number): Promise<void> {
  await run('mosquitto_pub', ['-p', String(port), '-i', `nav-${topic.replace(/\W/g, '')}`, '-t', topic, '-l', '-q', '0'], 15000,
    Array.from({ length: n }, (_, i) => `${topic} #${i}`).join('\n') + '\n');
  let frames = 0;
  for (let i = 0; i < 200; i++) {
    frames = (await e.host.core.traceStats()).frames;
    if (await shownCount(e.page) === frames && (await e.host.core.connectionList()).every((c) => c.closedAtMs)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await e.page.waitForFunction((want) => document.querySelector('[data-testid="trace-count"]')?.getAttribute('data-count') === String(want), frames);
}

test('selection survives new frames; Follow pauses above and resumes at the end; go to a number or a time of day', async () => {
  const { page } = e;
  const trace = new TracePage(page);
  const status = await e.host.core.brokerStatus();
  const port = (status.state === 'running' ? status : await e.host.core.brokerStart({})).listeners.find((l) => l.kind === 'tcp')!.port;
  await trace.open();
  await publish(port, 'nav/first', 1);
  const first = (await e.host.core.traceQuery({ filter: 'topic == "nav/first"' })).frames[0].seq;

  // Select the PUBLISH and one of its fields.
  await trace.clickFrame(first);
  const inspector = page.getByTestId('trace-detail').getByTestId('frame-inspector');
  const topicField = inspector.locator('[data-testid="field-row"][data-name="Topic"]');
  await topicField.filter({ hasText: 'nav/first' }).click();
  await inspector.locator('[data-testid="field-row"][data-name="Topic"][data-selected="true"]').waitFor();

  // Many more frames arrive (more than a screen of rows): the list follows them...
  await publish(port, 'nav/more', 60);
  const newest = (await e.host.core.traceStats()).nextSeq - 1;
  await page.locator(`[data-testid="trace-row"][data-seq="${newest}"]`).waitFor();
  assert.ok(!(await rendered(page)).includes(first), 'the list followed the new frames past the selected one');
  // ...and the same frame is still the one selected, its detail still open (the field chosen in it too).
  assert.equal(await inspector.locator('[data-testid="field-row"][data-name="Topic"][data-selected="true"]').textContent().then((t) => t?.includes('nav/first')), true);
  await page.$eval(LIST, (el) => { el.scrollTop = 0; });
  await page.locator(`.vrow.selected [data-testid="trace-row"][data-seq="${first}"]`).waitFor();
  assert.equal(await page.locator('.vrow.selected').count(), 1);

  // Scrolled up: new frames do not drag the list away from what the user is reading.
  const lateFrom = (await e.host.core.traceStats()).nextSeq;
  await publish(port, 'nav/late', 30);
  const lateNewest = (await e.host.core.traceStats()).nextSeq - 1;
  assert.equal((await scroll(page)).top, 0, 'Follow pauses while the user looks higher up');
  assert.ok(!(await rendered(page)).includes(lateNewest));

  // Scrolled to the end: Follow resumes, the next frames come into view as they arrive.
  await page.$eval(LIST, (el) => { el.scrollTop = el.scrollHeight; });
  await page.locator(`[data-testid="trace-row"][data-seq="${lateNewest}"]`).waitFor();
  await publish(port, 'nav/resumed', 30);
  const resumedNewest = (await e.host.core.traceStats()).nextSeq - 1;
  await page.locator(`[data-testid="trace-row"][data-seq="${resumedNewest}"]`).waitFor();
  const s = await scroll(page);
  assert.ok(s.bottom >= s.height - 2, `the list is at its end again (${JSON.stringify(s)})`);

  // Go to a frame number far above: it is selected, scrolled into view and opened.
  await trace.goTo(`#${first}`);
  await trace.selected(first);
  await inspector.locator('[data-testid="field-row"][data-name="Topic"]').filter({ hasText: 'nav/first' }).waitFor();

  // Go to a time of day between two frames: the first frame at or after it is selected.
  const frames = (await e.host.core.traceQuery({ limit: 10000 })).frames;
  const k = frames.findIndex((f) => f.seq === lateFrom);
  assert.ok(k > 0 && frames[k].wallMs - frames[k - 1].wallMs > 2, 'a gap of a few ms before the late publisher\'s first frame (a new process)');
  for (const at of [frames[k].wallMs - 1, frames[k].wallMs]) {
    await trace.goTo(await trace.timeOfDay(at));
    await trace.selected(lateFrom);
    await trace.goTo(`#${first}`);
    await trace.selected(first);
  }
  assert.deepEqual(e.errors, []);
});
