// Screenshots of every main view in light and dark: `npx tsx test/e2e/screenshots.ts [outDir]`.
// Builds a believable scene first (broker running, two clients, a few sensors, retained values).
import fs from 'node:fs/promises';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { startE2E } from './harness';
import { AppPage } from './pages/AppPage';
import { BrokerPage } from './pages/BrokerPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { FlowsPage } from './pages/FlowsPage';
import { MessagesPage } from './pages/MessagesPage';
import { TracePage } from './pages/TracePage';
import { TopicsPage } from './pages/TopicsPage';
import protobuf from 'protobufjs';
import { encode as cborEncode } from 'cbor-x';
import { SPARKPLUG_B_PROTO } from '../../shared/codecs/sparkplug-b-schema';

const outDir = process.argv[2] ?? 'screenshots-tmp';
await fs.mkdir(outDir, { recursive: true });
const e = await startE2E({ viewport: { width: 1440, height: 900 } });
const { page } = e;
const app = new AppPage(page);
const broker = new BrokerPage(page);
const connections = new ConnectionsPage(page);
const messages = new MessagesPage(page);
const trace = new TracePage(page);
const flows = new FlowsPage(page);

await broker.start();
const port = await broker.tcpPort();
await connections.select('Local broker');
await connections.connect();
await messages.waitConnected();
await messages.subscribe('sensors/#', 2);
await messages.subscribe('devices/+/status', 1);

const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
  clientId: 'esp32-kitchen', protocolVersion: 5, keepalive: 30,
  will: { topic: 'devices/esp32-kitchen/status', payload: Buffer.from('offline'), qos: 1, retain: true },
});
const gateway = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'gateway-01', protocolVersion: 4, clean: false });
await gateway.subscribeAsync('sensors/+/humidity', { qos: 1 });
await device.publishAsync('devices/esp32-kitchen/status', 'online', { qos: 1, retain: true });
for (let i = 0; i < 40; i++) {
  const room = ['kitchen', 'hall', 'garage', 'office'][i % 4];
  await device.publishAsync(`sensors/${room}/temp`, JSON.stringify({ celsius: 19 + ((i * 37) % 60) / 10, battery: 98 - i, ts: 1732240000 + i }), {
    qos: (i % 3) as 0 | 1 | 2, retain: i % 4 === 0,
    properties: { userProperties: { firmware: '1.4.2', site: 'lab-3' }, contentType: 'application/json' },
  });
  if (i % 5 === 0) await device.publishAsync(`sensors/${room}/humidity`, String(40 + i), { qos: 1 });
}
await messages.publish({ topic: 'sensors/kitchen/setpoint', qos: 2, retain: true, mode: 'json', payload: '{"celsius":21.5,"mode":"eco"}' });
await page.waitForFunction(() => Number(document.querySelector('[data-testid="msg-count"]')?.getAttribute('data-count')) >= 50);

async function shoot(name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await app.setTheme(theme);
    await page.mouse.move(30, 600);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: `${outDir}/${name}-${theme}.png` });
  }
}

async function settle(p: Page): Promise<void> {
  await p.evaluate(() => new Promise((r) => setTimeout(r, 300)));
}

// Messages: JSON payload of the newest kitchen reading, and its diff with the previous one.
await messages.open();
await messages.select('sensors/kitchen/temp');
await settle(page);
await shoot('messages');
await messages.detailTab('diff');
await page.getByTestId('msg-diff').waitFor();
await settle(page);
await shoot('messages-diff');
await messages.detailTab('payload');

// Connections: the local profile plus a TLS profile with the form open.
await connections.newProfile();
await connections.field('profile-name').fill('Plant floor (TLS)');
await connections.field('profile-scheme').selectOption('mqtts');
await connections.field('profile-host').fill('broker.plant.local');
await connections.openSection('tls');
await connections.field('profile-tls-use-ca').check();
await connections.field('profile-tls-ca').fill('/etc/mqscope/plant-ca.pem');
await connections.save();
await shoot('connections');

// Broker: clients and retained.
await broker.open();
await broker.tab('clients');
await broker.clientRows().nth(2).waitFor();
await shoot('broker-clients');
await broker.tab('retained');
await broker.retainedRow('sensors/kitchen/temp').getByTestId('retained-view').click();
await page.getByTestId('retained-payload-view').waitFor();
await settle(page);
await shoot('broker-retained');

// Trace: a QoS 2 PUBLISH selected, its fields and bytes below.
await trace.open();
await trace.filterType('PUBLISH');
await trace.search('eco');
await page.locator('[data-testid="trace-row"][data-type="PUBLISH"]').first().waitFor();
const rows = await trace.visibleRows();
await trace.clickFrame(rows[rows.length - 1].seq);
await page.locator('[data-testid="field-row"][data-name="Payload"]').first().click();
await trace.filterType('');
await trace.search('');
await settle(page);
await shoot('trace');

// Flows: one QoS 2 CO2 reading from the device, delivered to the MQScope session (QoS 2, both ends tapped)
// and to a dashboard subscribed at QoS 1 (downgraded), drawn as its journey above the unfiltered table.
const dashboard = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'dashboard-02', protocolVersion: 5 });
await dashboard.subscribeAsync('sensors/hall/co2', { qos: 1 });
await device.publishAsync('sensors/hall/co2', JSON.stringify({ ppm: 612 }), { qos: 2 });
await flows.open();
await flows.showJourney('publish-qos2', 'sensors/hall/co2', 'esp32-kitchen');
await flows.waitDiagram(10);
await page.getByTestId('flows-kind').selectOption('');
await page.getByTestId('flows-topic').fill('');
await settle(page);
await shoot('flows');
// Topics: the tree sorted by rate while a line floods, a Sparkplug B node, CBOR decoded by a rule, and a
// chart of two temperature series.
const topicsPage = new TopicsPage(page);
await topicsPage.open();
await topicsPage.addCodecRule('factory/+/vibration', 'cbor');
const sparkplug = protobuf.parse(SPARKPLUG_B_PROTO).root.lookupType('org.eclipse.tahu.protobuf.Payload');
for (let i = 0; i < 60; i++) {
  const room = ['kitchen', 'hall'][i % 2];
  await device.publishAsync(`sensors/${room}/temp`, JSON.stringify({ celsius: 20 + Math.sin(i / 5) * 2 + (room === 'hall' ? 1.5 : 0), battery: 90 }), { qos: 0 });
  await device.publishAsync('factory/press-2/vibration', Buffer.from(cborEncode({ rms: 0.4 + (i % 9) / 20, peak: 1.2, unit: 'g' })), { qos: 0 });
  if (i % 10 === 0) {
    await gateway.publishAsync('spBv1.0/plant/DDATA/edge-7/press-2', Buffer.from(sparkplug.encode(sparkplug.fromObject({
      timestamp: 1732240000000 + i, seq: i / 10, metrics: [{ name: 'Pressure', datatype: 10, doubleValue: 4.2 + i / 100 }],
    })).finish()), { qos: 1 });
  }
  await new Promise((r) => setTimeout(r, 25));
}
await page.getByTestId('topic-sort').selectOption('rate');
for (const p of ['sensors', 'factory', 'factory/press-2', 'spBv1.0', 'spBv1.0/plant', 'spBv1.0/plant/DDATA', 'spBv1.0/plant/DDATA/edge-7', 'sensors/kitchen', 'sensors/hall']) {
  await topicsPage.row(p).waitFor();
  await topicsPage.expand(p);
}
await topicsPage.chart('sensors/kitchen/temp', 'celsius');
await topicsPage.chart('sensors/hall/temp', 'celsius');
await page.locator('[data-testid="chart"]:not([data-points="0"])').waitFor();
await settle(page);
await settle(page);
await shoot('topics');

await device.endAsync();
await gateway.endAsync();
await dashboard.endAsync();
console.log(`screenshots in ${outDir}; page errors: ${JSON.stringify(e.errors)}`);
await e.close();
