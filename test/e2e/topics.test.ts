// Topics: the tree counts what a real client published to the built-in broker (1,000 topics), a chart
// plots a numeric JSON field on a canvas, the message list previews CBOR decoded by a codec rule, and
// picking a subtree in the tree filters the message list.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { encode as cborEncode } from 'cbor-x';
import { startE2E, type E2E } from './harness';
import { BrokerPage } from './pages/BrokerPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { MessagesPage } from './pages/MessagesPage';
import { TopicsPage } from './pages/TopicsPage';

let e: E2E;
let pub: mqtt.MqttClient;
before(async () => {
  e = await startE2E();
  const broker = new BrokerPage(e.page);
  await broker.start();
  pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${await broker.tcpPort()}`, { clientId: 'e2e-topics-pub' });
});
after(async () => { await pub?.endAsync(); await e?.close(); });

test('the tree shows the right counts after publishing to 1,000 topics', async () => {
  const t = new TopicsPage(e.page);
  for (let i = 0; i < 1000; i++) await pub.publishAsync(`fleet/g${i % 10}/dev${i}`, `{"i":${i}}`, { qos: i % 2 as 0 | 1 });
  for (let k = 0; k < 5; k++) await pub.publishAsync('fleet/g0/dev0', `{"i":${k}}`, { qos: 0 });
  await t.open();
  await t.waitTotals(1000, 1005);
  assert.equal(await t.count('fleet'), 1005);
  // 1,011 nodes at 640 B plus their paths, against half of the harness's 256 MiB trace budget.
  const memory = /tree (\d+) KiB of 128 MiB/.exec(await t.page.getByTestId('topic-memory').innerText());
  assert.ok(memory && Number(memory[1]) > 600 && Number(memory[1]) < 700, `topic memory line: ${memory?.[0]}`);
  await t.expand('fleet');
  await t.row('fleet/g9').waitFor();
  assert.equal(await t.page.getByTestId('topic-row').count(), 11);
  assert.equal(await t.count('fleet/g0'), 105);
  assert.equal(await t.count('fleet/g3'), 100);
  await t.expand('fleet/g0');
  await t.row('fleet/g0/dev0').waitFor();
  assert.equal(await t.row('fleet/g0/dev0').getAttribute('data-own'), '6');
  assert.match(await t.row('fleet/g0/dev0').getByText('{"i":4}').innerText(), /"i":4/);
  // The list is virtualized: 100 children of g0 open, far fewer rows in the DOM.
  assert.ok(Number(await t.page.getByTestId('topic-vlist').getAttribute('data-count')) === 111);
  assert.ok((await t.page.getByTestId('topic-row').count()) < 80);
  await t.search('dev999');
  await t.row('fleet/g9/dev999').waitFor();
  assert.deepEqual(await t.page.getByTestId('topic-row').evaluateAll((els) => els.map((x) => x.getAttribute('data-path'))), ['fleet', 'fleet/g9', 'fleet/g9/dev999']);
  await t.search('');
  assert.deepEqual(e.errors, []);
});

test('a chart draws the points of a numeric JSON field', async () => {
  const t = new TopicsPage(e.page);
  for (let i = 0; i < 30; i++) await pub.publishAsync('plant/oven/temp', JSON.stringify({ celsius: 180 + (i % 7) * 3, label: 'x' }), { qos: 1 });
  await t.open();
  await t.search('oven');
  await t.row('plant/oven/temp').waitFor();
  await t.chart('plant/oven/temp', 'celsius');
  await e.page.locator('[data-testid="chart"][data-points="30"]').waitFor({ timeout: 10000 });
  // Pixels: the series colour (#0b6bcb) is drawn on the canvas.
  const drawn = await e.page.getByTestId('chart').locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 0x0b) < 30 && Math.abs(d[i + 1] - 0x6b) < 30 && Math.abs(d[i + 2] - 0xcb) < 30 && d[i + 3] > 100) n++;
    return n;
  });
  assert.ok(drawn > 200, `series pixels on the canvas: ${drawn}`);
  // Live: more messages, more points.
  for (let i = 0; i < 5; i++) await pub.publishAsync('plant/oven/temp', JSON.stringify({ celsius: 170 }), { qos: 1 });
  await e.page.locator('[data-testid="chart"][data-points="35"]').waitFor({ timeout: 10000 });
  await t.search('');
  assert.deepEqual(e.errors, []);
});

test('the payload preview column shows CBOR decoded by a codec rule; a subtree picked in the tree filters the list', async () => {
  const t = new TopicsPage(e.page);
  const c = new ConnectionsPage(e.page);
  const m = new MessagesPage(e.page);
  await t.open();
  await t.addCodecRule('cbor/#', 'cbor');
  await c.open();
  await c.select('Local broker');
  await c.connect();
  await m.waitConnected();
  await m.subscribe('#', 1);
  await pub.publishAsync('cbor/sensor', Buffer.from(cborEncode({ temp: 21.5, ok: true })), { qos: 1 });
  await pub.publishAsync('other/x', 'plain text', { qos: 1 });
  const row = e.page.getByTestId('msg-row').and(e.page.locator('[data-topic="cbor/sensor"]'));
  await row.getByTestId('msg-preview').filter({ hasText: '{"temp":21.5,"ok":true}' }).waitFor();
  assert.equal(await row.getByTestId('msg-preview').getAttribute('data-codec'), 'cbor');
  assert.match(await row.getByTestId('msg-sub').innerText(), /#/);
  assert.match(await row.getByTestId('msg-time').innerText(), /^\d\d:\d\d:\d\d\.\d{6}$/);
  const other = e.page.getByTestId('msg-row').and(e.page.locator('[data-topic="other/x"]'));
  await other.getByTestId('msg-preview').filter({ hasText: 'plain text' }).waitFor();

  // Columns: the payload column is resized by dragging its header edge, rows follow, and the width is remembered.
  const handle = e.page.getByTestId('msg-col-resize-preview');
  const hb = (await handle.boundingBox())!;
  const before = (await row.getByTestId('msg-preview').boundingBox())!.width;
  await e.page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
  await e.page.mouse.down();
  await e.page.mouse.move(hb.x + hb.width / 2 + 80, hb.y + hb.height / 2, { steps: 4 });
  await e.page.mouse.up();
  const after = (await row.getByTestId('msg-preview').boundingBox())!.width;
  assert.ok(after > before + 40, `preview column ${before} → ${after}`);
  const saved = await e.page.evaluate(() => JSON.parse(localStorage.getItem('mqscope.messageColumnWidths') ?? '{}') as Record<string, number>);
  assert.ok(Math.abs(saved.preview - after) <= 2);
  // Chosen columns: hiding the subscription column removes it from every row.
  await e.page.getByTestId('msg-columns').click();
  await e.page.getByTestId('msg-col-sub').uncheck();
  await row.getByTestId('msg-sub').waitFor({ state: 'detached' });
  await e.page.getByTestId('msg-col-sub').check();
  await e.page.getByTestId('msg-columns').click();
  await e.page.getByTestId('msg-columns-menu').waitFor({ state: 'detached' });
  // Open, the menu closes on Escape and on a press outside it, not on one inside it.
  await e.page.getByTestId('msg-columns').click();
  await e.page.keyboard.press('Escape');
  await e.page.getByTestId('msg-columns-menu').waitFor({ state: 'detached' });
  await e.page.getByTestId('msg-columns').click();
  await e.page.getByTestId('msg-col-size').uncheck();
  await e.page.getByTestId('msg-col-size').check();
  assert.equal(await e.page.getByTestId('msg-columns-menu').count(), 1, 'still open after choosing in it');
  await e.page.getByTestId('msg-count').click();
  await e.page.getByTestId('msg-columns-menu').waitFor({ state: 'detached' });

  // Publish through the same rule: JSON typed in Codec mode goes out as CBOR.
  await m.publish({ topic: 'cbor/ui', qos: 1, mode: 'codec', payload: '{"t":5,"s":"x"}' });
  const uiRow = e.page.getByTestId('msg-row').and(e.page.locator('[data-topic="cbor/ui"]'));
  await uiRow.getByTestId('msg-preview').filter({ hasText: '{"t":5,"s":"x"}' }).waitFor();
  assert.equal(await uiRow.getByTestId('msg-preview').getAttribute('data-codec'), 'cbor');
  const wire = await e.host.core.traceQuery({ topicFilter: 'cbor/ui', types: ['PUBLISH'], side: 'broker', dir: 'c2s' });
  const bytes = Buffer.from((await e.host.core.traceFrame({ seq: wire.frames[0].seq }))!.bytesB64, 'base64');
  assert.deepEqual(bytes.subarray(bytes.length - wire.frames[0].payloadSize!), Buffer.from(cborEncode({ t: 5, s: 'x' })));

  // Export what the list shows as JSON Lines: payloads decoded by the same codecs.
  const download = e.page.waitForEvent('download');
  await e.page.getByTestId('msg-export').selectOption('jsonl');
  const file = await (await download).path();
  const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { topic: string; codec: string; payload: string; time: string });
  const cborLine = lines.find((l) => l.topic === 'cbor/sensor')!;
  assert.equal(cborLine.codec, 'cbor');
  assert.deepEqual(JSON.parse(cborLine.payload), { temp: 21.5, ok: true });
  assert.match(cborLine.time, /\.\d{6}Z$/);
  assert.equal(lines.length, Number(await e.page.getByTestId('msg-count').getAttribute('data-count')));

  await t.open();
  await t.search('cbor');
  await t.row('cbor').waitFor();
  await t.row('cbor').click();
  await e.page.getByTestId('topic-goto-messages').click();
  await e.page.getByTestId('msg-scope').filter({ hasText: 'cbor/#' }).waitFor();
  await e.page.locator('[data-testid="msg-search-count"]').filter({ hasText: /^ · 2 match/ }).waitFor();
  await row.waitFor();
  assert.equal(await other.count(), 0);
  await e.page.getByTestId('msg-scope').getByRole('button').click();
  await other.waitFor();
  assert.deepEqual(e.errors, []);
});

test('retained table: properties as chips, payload preview, actions visible at 1440 px', async () => {
  const broker = new BrokerPage(e.page);
  await broker.open();
  const v5 = await mqtt.connectAsync(`mqtt://127.0.0.1:${await broker.tcpPort()}`, { clientId: 'e2e-retained-v5', protocolVersion: 5 });
  try {
    await v5.publishAsync('ret/with/props', JSON.stringify({ level: 3, note: 'x'.repeat(400) }), {
      qos: 1, retain: true,
      properties: { contentType: 'application/json', correlationData: Buffer.from('req-42'), responseTopic: 'ret/replies', userProperties: { site: 'lab-3', firmware: '1.4.2' } },
    });
    await v5.publishAsync('ret/binary-corr', Buffer.from([1, 2, 3]), { qos: 0, retain: true, properties: { correlationData: Buffer.from([0xde, 0xad, 0x00]) } });
  } finally {
    await v5.endAsync();
  }
  await broker.tab('retained');
  const row = broker.retainedRow('ret/with/props');
  await row.waitFor();
  const chips = await row.getByTestId('retained-props').locator('.chip').allInnerTexts();
  assert.ok(chips.includes('content-type: application/json'), chips.join(' | '));
  assert.ok(chips.includes('correlation: req-42'), chips.join(' | '));
  assert.ok(chips.includes('site=lab-3') && chips.includes('firmware=1.4.2'), chips.join(' | '));
  const bin = await broker.retainedRow('ret/binary-corr').getByTestId('retained-props').innerText();
  assert.match(bin, /correlation: 0xdead00/);
  await row.getByTestId('retained-preview').filter({ hasText: '{"level":3' }).waitFor();
  // Nothing pushes View/Delete off a 1440 px window.
  const del = row.getByTestId('retained-delete');
  const box = await del.boundingBox();
  assert.ok(box && box.x + box.width <= 1440, `Delete at x=${box?.x}`);
  const overflow = await e.page.locator('.table-wrap').first().evaluate((el) => el.scrollWidth - el.clientWidth);
  assert.ok(overflow <= 0, `table overflows by ${overflow} px`);
  assert.deepEqual(e.errors, []);
});
