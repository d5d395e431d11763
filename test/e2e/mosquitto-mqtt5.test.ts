// A second connection, side by side with the local one: a real mosquitto started by the test, MQTT 5,
// with user properties on a publish that are shown when the message arrives.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { run } from '../support/processes';
import { startE2E, type E2E } from './harness';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { MessagesPage } from './pages/MessagesPage';

let e: E2E;
let mosq: Mosquitto;
before(async () => {
  mosq = await startMosquitto();
  e = await startE2E();
});
after(async () => {
  await e?.close();
  await mosq?.stop();
});

test('MQTT 5 user properties from a mosquitto connection are shown on receipt', async () => {
  const { page } = e;
  const connections = new ConnectionsPage(page);
  const messages = new MessagesPage(page);

  // First the local broker, so two connections live side by side.
  await connections.select('Local broker');
  await connections.connect();
  await messages.waitConnected();

  await connections.newProfile();
  await connections.field('profile-name').fill('Mosquitto lab');
  await connections.field('profile-host').fill(mosq.host);
  await connections.field('profile-port').fill(String(mosq.port));
  await connections.field('profile-version').selectOption('5');
  await connections.save();
  await page.getByTestId('profile-notice').filter({ hasText: 'Saved' }).waitFor();
  await connections.connect();
  await messages.waitConnected();
  assert.equal(await page.getByTestId('session-tab').count(), 2);
  assert.match(await page.getByTestId('session-tabs').innerText(), /Local broker[\s\S]*Mosquitto lab/);

  await messages.subscribe('lab/#', 1);
  const result = await messages.publish({
    topic: 'lab/device/7', qos: 1, mode: 'text', payload: 'status=ok',
    userProperties: [['firmware', '1.4.2'], ['site', 'lab-3']],
  });
  assert.match(result, /Acknowledged \(PUBACK\)/);
  await messages.row('lab/device/7').first().waitFor();
  // The list row summarises the properties too.
  await messages.row('lab/device/7').getByTestId('msg-row-props').filter({ hasText: '2 user props' }).waitFor();
  await messages.select('lab/device/7');
  await messages.detailTab('properties');
  await page.getByTestId('msg-props').waitFor();
  const props = await page.getByTestId('msg-prop').allInnerTexts();
  const text = props.join('\n');
  assert.match(text, /firmware = 1\.4\.2/, text);
  assert.match(text, /site = lab-3/, text);
  if (process.env.E2E_SHOTS) await page.screenshot({ path: 'screenshots-tmp/mosquitto-props.png' });

  // The local connection's list is separate: switching tabs shows its own (empty) list.
  await messages.tab('Local broker');
  assert.equal(await messages.count(), 0);
  await messages.tab('Mosquitto lab');
  assert.equal(await messages.count(), 1);
  assert.deepEqual(e.errors, []);
});

test('with the Properties column hidden no summaries are fetched; shown again, the rows in view get theirs without a scroll', async () => {
  const { page } = e;
  const messages = new MessagesPage(page);
  await messages.tab('Mosquitto lab');
  await page.getByTestId('msg-columns').click();
  await page.getByTestId('msg-col-props').uncheck();
  // The page's traceFrame requests to core, read off its WebSocket from here on.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let frameCalls = 0;
  cdp.on('Network.webSocketFrameSent', (m: { response: { payloadData: string } }) => { if (m.response.payloadData.includes('"traceFrame"')) frameCalls++; });
  // From a client nobody here wrote: one user property.
  await run('mosquitto_pub', ['-h', mosq.host, '-p', String(mosq.port), '-V', 'mqttv5', '-q', '1', '-t', 'lab/device/8', '-m', 'status=late',
    '-D', 'publish', 'user-property', 'firmware', '1.5.0']);
  await messages.row('lab/device/8').first().waitFor();
  assert.equal(await messages.row('lab/device/8').getByTestId('msg-row-props').count(), 0, 'the column is hidden');
  // Longer than the list's settle delay (250 ms when calm), after which a shown column fetches the new row's summary.
  await new Promise((r) => setTimeout(r, 800));
  assert.equal(frameCalls, 0, 'no summary fetched for a hidden column');
  await page.getByTestId('msg-col-props').check();
  await messages.row('lab/device/8').getByTestId('msg-row-props').filter({ hasText: '1 user prop' }).waitFor();
  assert.ok(frameCalls >= 1, 'shown again, the summary came from core');
  await cdp.detach();
  await page.getByTestId('msg-columns').click();
  assert.deepEqual(e.errors, []);
});
