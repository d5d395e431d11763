// Publish: payload modes (JSON validation and format, hex, base64), Ctrl+Enter, templates and history
// (kept in the doc store), topic history.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startE2E, type E2E } from './harness';
import { AppPage } from './pages/AppPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { MessagesPage } from './pages/MessagesPage';

let e: E2E;
before(async () => { e = await startE2E(); });
after(async () => { await e?.close(); });

test('payload modes, Ctrl+Enter, templates and history', async () => {
  const { page } = e;
  const app = new AppPage(page);
  const c = new ConnectionsPage(page);
  const m = new MessagesPage(page);
  await c.select('Local broker');
  await c.connect(); // starts the embedded broker by itself
  await m.waitConnected();
  await m.subscribe('dev/#', 1);

  // JSON mode: invalid JSON is called out and not sent; Format pretty-prints valid JSON.
  await page.getByTestId('pub-topic').fill('dev/json');
  await page.getByTestId('pub-mode-json').click();
  await app.fillEditor('pub-editor', '{"a":1,');
  await page.getByTestId('pub-payload-status').filter({ hasText: 'Not valid JSON' }).waitFor();
  await page.getByTestId('pub-send').click();
  await page.getByTestId('pub-result').filter({ hasText: 'Not sent' }).waitFor();
  await app.fillEditor('pub-editor', '{"a":1,"b":[1,2]}');
  await page.getByTestId('pub-format').click();
  await page.getByTestId('pub-payload-status').filter({ hasText: 'valid JSON' }).waitFor();
  assert.match(await page.getByTestId('pub-editor').innerText(), /"b":\s\[/);

  // Hex mode, sent with Ctrl+Enter from inside the editor.
  await page.getByTestId('pub-topic').fill('dev/hex');
  await page.getByTestId('pub-qos').selectOption('1');
  await page.getByTestId('pub-mode-hex').click();
  await app.fillEditor('pub-editor', 'de ad be ef 00 01');
  await page.keyboard.press('Control+Enter');
  await page.getByTestId('pub-result').filter({ hasText: 'Acknowledged' }).waitFor();
  await m.select('dev/hex');
  await page.getByTestId('msg-payload').and(page.locator('[data-mode="hex"]')).waitFor();
  assert.match(await page.getByTestId('msg-payload-hex').innerText(), /de\s*ad\s*be\s*ef\s*00\s*01/);

  // Base64 mode.
  await page.getByTestId('pub-topic').fill('dev/b64');
  await page.getByTestId('pub-mode-base64').click();
  await app.fillEditor('pub-editor', 'aGVsbG8gd29ybGQ=');
  await page.getByTestId('pub-send').click();
  await m.row('dev/b64').first().waitFor();
  await m.select('dev/b64');
  assert.equal(await m.payloadText(), 'hello world');

  // Templates: save, change the draft, load it back. They live in the doc store.
  await page.getByTestId('pub-template-name').fill('hello');
  await page.getByTestId('pub-template-save').click();
  await page.getByTestId('pub-template').filter({ hasText: 'hello' }).waitFor();
  await page.getByTestId('pub-topic').fill('dev/other');
  await page.getByTestId('pub-template').filter({ hasText: 'hello' }).click();
  assert.equal(await page.getByTestId('pub-topic').inputValue(), 'dev/b64');
  const saved = await e.host.core.docGet({ key: 'publishTemplates' });
  assert.equal((saved.value as { name: string }[])[0].name, 'hello');

  // History: newest first; clicking restores it. Topic history feeds the topic field's suggestions.
  await page.getByTestId('pub-tab-history').click();
  const items = page.getByTestId('pub-history-item');
  assert.equal(await items.count(), 2);
  assert.match(await items.first().innerText(), /dev\/b64/);
  await items.nth(1).click();
  assert.equal(await page.getByTestId('pub-topic').inputValue(), 'dev/hex');
  const options = await page.$$eval('#topic-history option', (os) => os.map((o) => (o as HTMLOptionElement).value));
  assert.deepEqual(options, ['dev/b64', 'dev/hex']);
  assert.deepEqual(e.errors, []);
});

test('profiles: duplicate, export to JSON, delete, import back', async () => {
  const { page } = e;
  const c = new ConnectionsPage(page);
  await c.newProfile();
  await c.field('profile-name').fill('Export me');
  await c.field('profile-host').fill('10.0.0.7');
  await c.save();
  await page.getByTestId('profile-notice').filter({ hasText: 'Saved' }).waitFor();
  await page.getByTestId('profile-duplicate').click();
  await c.profile('Export me (copy)').waitFor();

  const download = page.waitForEvent('download');
  await page.getByTestId('profile-export').click();
  const file = await (await download).path();
  assert.ok(file);

  for (const name of ['Export me (copy)', 'Export me']) {
    await c.select(name);
    await page.getByTestId('profile-delete').click();
    await page.getByTestId('confirm-ok').click();
    await c.profile(name).waitFor({ state: 'detached' });
  }
  await page.getByTestId('profile-import-file').setInputFiles(file!);
  await c.profile('Export me').waitFor();
  await c.profile('Export me (copy)').waitFor();
  await c.select('Export me');
  assert.equal(await c.field('profile-host').inputValue(), '10.0.0.7');
  assert.equal(await c.profile('Local broker').count(), 1, 'the local profile is not duplicated by import');
});
