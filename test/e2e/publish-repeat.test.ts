// Publish: a timed run sends exactly N messages with {{seq}} expanded (counted by a real mosquitto_sub),
// Stop ends a run at once, properties apply to one message unless kept, and switching the payload mode
// converts what was typed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPeer, type Peer } from '../support/processes';
import { waitFor } from '../support/wait';
import { startE2E, type E2E } from './harness';
import { BrokerPage } from './pages/BrokerPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { MessagesPage } from './pages/MessagesPage';

let e: E2E;
let sub: Peer;
before(async () => {
  e = await startE2E();
  const c = new ConnectionsPage(e.page);
  await c.select('Local broker');
  await c.connect();
  await new MessagesPage(e.page).waitConnected();
  const broker = new BrokerPage(e.page);
  await broker.open();
  const port = await broker.tcpPort();
  sub = startPeer('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-i', 'e2e-count', '-t', 'rep/#', '-q', '1', '-v']);
  await waitFor(async () => (await e.host.core.brokerSubscriptions()).some((s) => s.clientId === 'e2e-count' && s.online), { what: 'mosquitto_sub subscribed', timeoutMs: 10000 });
  await new MessagesPage(e.page).open();
});
after(async () => { await sub?.kill(); await e?.close(); });

/** Lines mosquitto_sub printed: "topic payload". */
const received = () => sub.out().split('\n').filter((l) => /^rep\//.test(l));

async function sentinel(m: MessagesPage, name: string): Promise<void> {
  await m.publish({ topic: `rep/end-${name}`, qos: 1, payload: 'end' });
  await sub.waitOut(`rep/end-${name} end`);
}

test('a timed publish sends exactly N messages, variables expanded in topic and payload', async () => {
  const m = new MessagesPage(e.page);
  const { page } = e;
  await page.getByTestId('pub-topic').fill('rep/{{seq}}');
  await page.getByTestId('pub-qos').selectOption('1');
  await page.getByTestId('pub-mode-text').click();
  await m.app.fillEditor('pub-editor', '{"n":{{seq}},"r":{{randint}}}');
  await page.getByTestId('pub-repeat-ms').fill('30');
  await page.getByTestId('pub-repeat-count').fill('7');
  await page.getByTestId('pub-repeat-start').click();
  await page.locator('[data-testid="pub-repeat-done"][data-sent="7"]').waitFor({ timeout: 15000 });
  // Same connection, QoS 1: the sentinel arrives after everything the run sent.
  await sentinel(m, 'a');
  const lines = received().filter((l) => !l.startsWith('rep/end'));
  assert.equal(lines.length, 7, lines.join('\n'));
  lines.forEach((l, i) => assert.match(l, new RegExp(`^rep/${i + 1} \\{"n":${i + 1},"r":\\d{1,2}\\}$`)));
});

test('Stop ends an open-ended run; what was sent is what arrived', async () => {
  const m = new MessagesPage(e.page);
  const { page } = e;
  const before = received().length;
  await page.getByTestId('pub-topic').fill('rep/loop');
  await m.app.fillEditor('pub-editor', 'tick {{seq}}');
  await page.getByTestId('pub-repeat-ms').fill('50');
  await page.getByTestId('pub-repeat-count').fill('0');
  await page.getByTestId('pub-repeat-start').click();
  await page.locator('[data-testid="pub-repeat-sent"]').filter({ hasText: /sent [3-9]/ }).waitFor({ timeout: 15000 });
  await page.getByTestId('pub-repeat-stop').click();
  const sent = Number(await page.getByTestId('pub-repeat-done').getAttribute('data-sent'));
  await sentinel(m, 'b');
  const loop = received().slice(before).filter((l) => l.startsWith('rep/loop'));
  assert.equal(loop.length, sent);
  assert.equal(loop[loop.length - 1], `rep/loop tick ${sent}`);
});

test('properties show as chips and clear after one message unless kept; mode switch converts the payload', async () => {
  const m = new MessagesPage(e.page);
  const { page } = e;
  await page.getByTestId('pub-topic').fill('rep/props');
  await page.getByTestId('pub-props-toggle').click();
  await page.getByTestId('pub-content-type').fill('application/json');
  await page.getByTestId('pub-prop-chip').filter({ hasText: 'content-type: application/json' }).waitFor();
  await page.getByTestId('pub-send').click();
  await page.getByTestId('pub-result').filter({ hasText: 'Acknowledged' }).waitFor();
  await page.getByTestId('pub-prop-chips').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('pub-content-type').inputValue(), '');
  // Kept: survives the send.
  await page.getByTestId('pub-content-type').fill('text/plain');
  await page.getByTestId('pub-props-pin').check();
  await page.getByTestId('pub-send').click();
  await page.getByTestId('pub-result').filter({ hasText: 'Acknowledged' }).waitFor();
  await page.getByTestId('pub-prop-chip').filter({ hasText: 'text/plain' }).waitFor();
  await page.getByTestId('pub-prop-chip').getByRole('button').click();
  await page.getByTestId('pub-prop-chips').waitFor({ state: 'detached' });

  await page.getByTestId('pub-mode-json').click();
  await m.app.fillEditor('pub-editor', '{"a":1}');
  await page.getByTestId('pub-mode-hex').click();
  await page.getByTestId('pub-editor').getByText('7b 22 61 22 3a 31 7d').waitFor();
  await page.getByTestId('pub-mode-base64').click();
  await page.getByTestId('pub-editor').getByText('eyJhIjoxfQ==').waitFor();
  await page.getByTestId('pub-mode-text').click();
  await page.getByTestId('pub-editor').getByText('{"a":1}').waitFor();
  assert.deepEqual(e.errors, []);
});
