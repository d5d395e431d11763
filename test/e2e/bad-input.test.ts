// Bad input gets a clear message next to the field, and never costs the user a saved profile:
// port 99999, a TLS CA file that is missing (empty, then a path that does not exist), a wildcard in a
// publish topic.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startE2E, type E2E } from './harness';
import { BrokerPage } from './pages/BrokerPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { MessagesPage } from './pages/MessagesPage';

let e: E2E;
before(async () => { e = await startE2E(); });
after(async () => { await e?.close(); });

async function savedProfile(name: string): Promise<Record<string, unknown> & { port: number; scheme: string }> {
  const { value } = await e.host.core.docGet({ key: 'profiles' });
  const p = (value as { name: string; port: number; scheme: string }[]).find((x) => x.name === name);
  assert.ok(p, `profile ${name} is saved`);
  return p as Record<string, unknown> & { port: number; scheme: string };
}

test('port 99999 is refused with a clear message and the saved profile is untouched', async () => {
  const { page } = e;
  const c = new ConnectionsPage(page);
  await c.newProfile();
  await c.field('profile-name').fill('Field unit');
  await c.field('profile-port').fill('1884');
  await c.save();
  await page.getByTestId('profile-notice').filter({ hasText: 'Saved' }).waitFor();
  assert.equal((await savedProfile('Field unit')).port, 1884);

  await c.field('profile-port').fill('99999');
  await c.save();
  assert.equal(await c.error('profile-port').innerText(), 'Port must be 1–65535');
  assert.match(await page.getByTestId('profile-notice').innerText(), /Not saved/);
  assert.equal(await page.getByTestId('profile-editor').getAttribute('data-dirty'), 'true');
  assert.equal(await c.field('profile-port').inputValue(), '99999', 'the bad entry stays visible to fix');
  assert.equal((await savedProfile('Field unit')).port, 1884);

  // Looking at another profile and coming back keeps the unsaved edit (marked in the list).
  await c.select('Local broker');
  await page.getByTestId('profile-unsaved').waitFor();
  await c.select('Field unit');
  assert.equal(await c.field('profile-port').inputValue(), '99999');
  assert.equal(await page.getByTestId('profile-editor').getAttribute('data-dirty'), 'true');

  // Connect refuses too, and opens no connection.
  await c.connect();
  assert.match(await page.getByTestId('profile-notice').innerText(), /Not connected/);
  assert.equal(await page.getByTestId('session-item').count(), 0);

  // After a reload the saved copy is what comes back.
  await page.reload();
  await page.getByTestId('app').waitFor();
  await c.select('Field unit');
  assert.equal(await c.field('profile-port').inputValue(), '1884');
});

test('TLS without a CA path is refused; a CA path that does not exist is reported by the connection', async () => {
  const { page } = e;
  const c = new ConnectionsPage(page);
  await c.select('Field unit');
  await c.field('profile-scheme').selectOption('mqtts');
  await c.field('profile-port').fill('8883');
  await c.openSection('tls');
  await c.field('profile-tls-use-ca').check();
  await c.save();
  assert.match(await c.error('profile-tls-ca').innerText(), /CA file path is required/);
  assert.equal((await savedProfile('Field unit')).scheme, 'mqtt', 'saved copy unchanged');

  await c.field('profile-tls-ca').fill('/nonexistent/mqscope/ca.pem');
  // Fixing the field clears its message as you type.
  assert.equal(await c.error('profile-tls-ca').count(), 0);
  await c.connect();
  await c.open();
  const session = c.session('Field unit');
  await session.getByTestId('session-last-error').filter({ hasText: 'CA file not found: /nonexistent/mqscope/ca.pem' }).waitFor({ timeout: 10000 });
  assert.equal(await session.getAttribute('data-state'), 'failed');
  assert.equal((await savedProfile('Field unit')).scheme, 'mqtt', 'connecting with a draft does not save it');
});

test('a wildcard in a publish topic is refused before anything is sent', async () => {
  const { page } = e;
  await new BrokerPage(page).start();
  const c = new ConnectionsPage(page);
  const m = new MessagesPage(page);
  await c.select('Local broker');
  await c.connect();
  await m.waitConnected();
  const result = await m.publish({ topic: 'sensors/+/temp', qos: 1, payload: 'x' });
  assert.match(result, /Not sent/);
  assert.match(await page.getByTestId('pub-topic-error').innerText(), /wildcards '\+' and '#' are not allowed in a topic name/i);
  // Nothing went on the wire: no PUBLISH in the trace.
  const r = await e.host.core.traceQuery({ types: ['PUBLISH'] });
  assert.equal(r.matching, 0);
  // Fixing the topic sends.
  await page.getByTestId('pub-topic').fill('sensors/a/temp');
  assert.equal(await page.getByTestId('pub-topic-error').count(), 0);
  await page.getByTestId('pub-send').click();
  await page.getByTestId('pub-result').filter({ hasText: 'Acknowledged' }).waitFor();
  assert.deepEqual(e.errors, []);
});
