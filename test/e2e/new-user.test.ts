// A new user's first ten minutes: start the embedded broker, open the default "Local broker" connection,
// subscribe, publish retained JSON at QoS 2, read it back, follow every packet of both legs in the trace,
// then find the retained message in the Broker view and delete it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startE2E, type E2E } from './harness';
import { BrokerPage } from './pages/BrokerPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { MessagesPage } from './pages/MessagesPage';
import { TracePage } from './pages/TracePage';

let e: E2E;
before(async () => { e = await startE2E(); });
after(async () => { await e?.close(); });

const TOPIC = 'sensors/kitchen/temp';
const PAYLOAD = '{"celsius":21.5,"unit":"C","ok":true}';

test('start broker, connect, subscribe, publish QoS 2 retained JSON, see it everywhere', async () => {
  const { page } = e;
  const broker = new BrokerPage(page);
  const connections = new ConnectionsPage(page);
  const messages = new MessagesPage(page);
  const trace = new TracePage(page);

  await broker.start();

  await connections.select('Local broker');
  await connections.connect();
  await messages.waitConnected();

  // Retain-as-published, so the live copy keeps the retain flag the publisher set (MQTT 5 §3.8.3.1).
  await messages.subscribe('sensors/#', 2, { retainAsPublished: true });
  const result = await messages.publish({ topic: TOPIC, qos: 2, retain: true, mode: 'json', payload: PAYLOAD });
  assert.match(result, /Delivered \(PUBCOMP\)/);

  await messages.row(TOPIC).first().waitFor();
  assert.equal(await messages.count(), 1);
  await messages.select(TOPIC);
  assert.equal(await page.getByTestId('msg-detail-qos').innerText(), 'QoS 2');
  assert.equal(await page.getByTestId('msg-detail-retain').innerText(), 'Retained');
  assert.equal(await messages.row(TOPIC).getByTestId('msg-retain').count(), 1);
  assert.equal(await page.getByTestId('msg-payload').getAttribute('data-mode'), 'json');
  if (process.env.E2E_SHOTS) await page.screenshot({ path: 'screenshots-tmp/new-user-messages.png' });
  assert.equal(await messages.payloadText(), PAYLOAD);

  // Trace: every packet of the flow on both legs. Our own session is both the publisher (client→broker
  // leg) and the subscriber (broker→client leg), and each leg is tapped on the broker side and client side.
  await trace.open();
  const want: [string, 'c2s' | 's2c'][] = [
    ['CONNECT', 'c2s'], ['CONNACK', 's2c'], ['SUBSCRIBE', 'c2s'], ['SUBACK', 's2c'],
    // publisher leg: client → broker
    ['PUBLISH', 'c2s'], ['PUBREC', 's2c'], ['PUBREL', 'c2s'], ['PUBCOMP', 's2c'],
    // subscriber leg: broker → client
    ['PUBLISH', 's2c'], ['PUBREC', 'c2s'], ['PUBREL', 's2c'], ['PUBCOMP', 'c2s'],
  ];
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="trace-count"]')?.getAttribute('data-count')) >= n, 24);
  const rows = await trace.visibleRows();
  for (const [type, dir] of want) {
    for (const side of ['client', 'broker']) {
      assert.ok(rows.some((r) => r.type === type && r.dir === dir && r.side === side), `trace has ${type} ${dir} seen by the ${side} tap`);
    }
  }
  // Click the broker→client PUBLISH: decoded fields and bytes.
  if (process.env.E2E_SHOTS) await page.screenshot({ path: 'screenshots-tmp/new-user-trace.png' });
  const pub = rows.find((r) => r.type === 'PUBLISH' && r.dir === 's2c' && r.side === 'client')!;
  await trace.clickFrame(pub.seq);
  await page.locator('[data-testid="field-row"][data-name="Payload"]').first().waitFor();
  assert.ok(Number(await page.getByTestId('frame-hex').getAttribute('data-length')) > PAYLOAD.length);

  // Broker view: the retained message is there; view, delete, gone.
  await broker.open();
  await broker.tab('retained');
  await broker.retainedRow(TOPIC).waitFor();
  await broker.retainedRow(TOPIC).getByTestId('retained-view').click();
  await page.getByTestId('retained-payload-view').waitFor();
  assert.equal(await page.getByTestId('retained-payload-view-raw').textContent(), PAYLOAD);
  await broker.retainedRow(TOPIC).getByTestId('retained-delete').click();
  // Delete asks first, then offers Undo, which publishes the message again.
  await page.getByTestId('confirm-delete-retained').waitFor();
  await page.getByTestId('confirm-ok').click();
  await broker.retainedRow(TOPIC).waitFor({ state: 'detached' });
  await page.getByTestId('broker-retained-empty').waitFor();
  await page.getByTestId('retained-undo').click();
  await broker.retainedRow(TOPIC).waitFor();
  assert.equal(await broker.retainedRow(TOPIC).getByTestId('retained-preview').innerText(), PAYLOAD.slice(0, 160));
  await broker.retainedRow(TOPIC).getByTestId('retained-delete').click();
  await page.getByTestId('confirm-ok').click();
  await page.getByTestId('broker-retained-empty').waitFor();

  assert.deepEqual(e.errors.filter((x) => !/favicon/.test(x)), []);
});
