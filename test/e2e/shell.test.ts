// The desktop shell: theme follows the OS and can be overridden (and is remembered), keyboard shortcuts,
// resizable panes, and a clear full-window message when the core goes away.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startE2E, type E2E } from './harness';
import { AppPage } from './pages/AppPage';

let e: E2E;
before(async () => { e = await startE2E({ colorScheme: 'dark' }); });
after(async () => { await e?.close(); });

const theme = () => e.page.evaluate(() => document.documentElement.dataset.theme);

test('theme follows the OS, the toggle overrides it and survives a reload', async () => {
  const { page } = e;
  assert.equal(await theme(), 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  await new AppPage(page).setTheme('dark');
  assert.match(await page.getByTestId('theme-toggle').innerText(), /dark/);
  await page.reload();
  await page.getByTestId('app').waitFor();
  assert.equal(await theme(), 'dark', 'manual choice remembered although the OS says light');
  await page.keyboard.press('Control+Shift+L');
  assert.match(await page.getByTestId('theme-toggle').innerText(), /follow OS/);
  assert.equal(await theme(), 'light');
});

test('keyboard shortcuts switch views and show help', async () => {
  const { page } = e;
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  for (const [key, view] of [['2', 'messages'], ['3', 'broker'], ['4', 'trace'], ['1', 'connections']] as const) {
    await page.keyboard.press(`Control+${key}`);
    await page.getByTestId(`view-${view}`).waitFor();
  }
  await page.keyboard.press('F1');
  await page.getByTestId('help').waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('help').waitFor({ state: 'detached' });
});

test('panes resize by dragging the divider and keep their size', async () => {
  const { page } = e;
  await new AppPage(page).go('connections');
  const list = page.getByTestId('profile-list');
  const before = (await list.boundingBox())!.width;
  const d = (await page.getByTestId('divider-connections.left').boundingBox())!;
  await page.mouse.move(d.x + 2, d.y + d.height / 2);
  await page.mouse.down();
  await page.mouse.move(d.x + 122, d.y + d.height / 2, { steps: 4 });
  await page.mouse.up();
  const after = (await list.boundingBox())!.width;
  assert.ok(Math.abs(after - before - 120) < 8, `width ${before} → ${after}`);
  await page.reload();
  await page.getByTestId('app').waitFor();
  assert.ok(Math.abs((await page.getByTestId('profile-list').boundingBox())!.width - after) < 2);
});

test('losing the core shows a full-window message saying what to do', async () => {
  const { page } = e;
  await e.host.close();
  await page.getByTestId('core-lost').waitFor();
  const text = await page.getByTestId('core-lost').innerText();
  assert.match(text, /Lost connection to MQScope core/);
  assert.match(text, /npm run web/);
});
