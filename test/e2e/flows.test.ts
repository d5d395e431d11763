// QoS flows in the browser: mosquitto_pub -q 2 through the embedded broker to mosquitto_sub at QoS 1 and
// QoS 2. The journey's sequence diagram has every packet of the four handshakes in order between the right
// lanes; an arrow opens its frame in the Trace view; "Show flow" on a trace row draws that row's flow; the
// Flows table lists and filters them; zoom works by buttons and keys.
import assert from 'node:assert/strict';
import net from 'node:net';
import mqttPacket from 'mqtt-packet';
import { after, before, test } from 'node:test';
import { run, startPeer, type Peer } from '../support/processes';
import { waitFor } from '../support/wait';
import { startE2E, type E2E } from './harness';
import { BrokerPage } from './pages/BrokerPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { FlowsPage, type ArrowInfo } from './pages/FlowsPage';
import { MessagesPage } from './pages/MessagesPage';
import { TracePage } from './pages/TracePage';

const TOPIC = 'plant/line-3/temp';
let e: E2E;
const peers: Peer[] = [];

before(async () => { e = await startE2E(); });
after(async () => {
  for (const p of peers) await p.kill('SIGKILL');
  await e?.close();
});

// An exact topic, not a wildcard: aedes 2.0.0-beta.1 only downgrades a delivery to the subscription's QoS
// when the subscription's filter equals the topic (client.js looks up subscriptions[packet.topic]).
async function subscribe(port: number, clientId: string, qos: 1 | 2): Promise<Peer> {
  const p = startPeer('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-V', 'mqttv5', '-i', clientId, '-t', TOPIC, '-q', String(qos), '-v']);
  peers.push(p);
  await waitFor(async () => (await e.host.core.brokerSubscriptions()).some((s) => s.clientId === clientId && s.online), { what: `${clientId} subscribed`, timeoutMs: 10_000 });
  return p;
}

/** The arrows of one client's exchange, in diagram order, as "TYPE from>to". */
function between(arrows: ArrowInfo[], client: string): string[] {
  return arrows.filter((a) => a.from === client || a.to === client).map((a) => `${a.type} ${a.from}>${a.to}`);
}

test('a QoS 2 publish to QoS 1 and QoS 2 subscribers, drawn as one journey; arrows open their frames', async () => {
  const { page } = e;
  const broker = new BrokerPage(page);
  const trace = new TracePage(page);
  const flows = new FlowsPage(page);
  await broker.start();
  const port = await broker.tcpPort();
  const q1 = await subscribe(port, 'sub-q1', 1);
  const q2 = await subscribe(port, 'sub-q2', 2);
  await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-V', 'mqttv5', '-i', 'pub-q2', '-t', TOPIC, '-m', '21.5', '-q', '2']);
  await q1.waitOut(`${TOPIC} 21.5`);
  await q2.waitOut(`${TOPIC} 21.5`);

  // From the trace: the publisher's PUBLISH as the broker read it, then "Show flow".
  await trace.open();
  await trace.filterType('PUBLISH');
  await page.locator('[data-testid="trace-row"][data-type="PUBLISH"][data-dir="c2s"]').first().waitFor();
  const inbound = (await trace.visibleRows()).find((r) => r.dir === 'c2s' && r.side === 'broker' && r.topic === TOPIC);
  assert.ok(inbound, 'the inbound PUBLISH is in the trace');
  await trace.clickFrame(inbound.seq);
  // The flow column marks it once core has folded it (complete after PUBCOMP).
  await page.locator(`[data-testid="trace-row"][data-seq="${inbound.seq}"] [data-testid="trace-flow"][data-state="complete"]`).waitFor();
  await page.getByTestId('trace-show-flow').click();
  await page.getByTestId('view-flows').waitFor();
  await flows.waitDiagram(10);
  assert.match(await page.getByTestId('diagram-topic').innerText(), new RegExp(TOPIC));
  assert.equal(await page.getByTestId('diagram-deliveries').getAttribute('data-count'), '2');

  const lanes = await flows.lanes();
  assert.deepEqual(lanes.map((l) => [l.role, l.title]), [['publisher', 'pub-q2'], ['broker', 'MQScope broker'], ['subscriber', 'sub-q1'], ['subscriber', 'sub-q2']]);
  assert.match(lanes[2].text, /gets QoS 1/);
  assert.match(lanes[3].text, /gets QoS 2/);

  const arrows = await flows.arrows();
  assert.equal(arrows.length, 10, arrows.map((a) => a.type).join(' '));
  assert.deepEqual(arrows[0], { ...arrows[0], seq: inbound.seq, type: 'PUBLISH', from: 'pub-q2', to: 'MQScope broker' });
  assert.deepEqual(between(arrows, 'pub-q2'), ['PUBLISH pub-q2>MQScope broker', 'PUBREC MQScope broker>pub-q2', 'PUBREL pub-q2>MQScope broker', 'PUBCOMP MQScope broker>pub-q2']);
  assert.deepEqual(between(arrows, 'sub-q1'), ['PUBLISH MQScope broker>sub-q1', 'PUBACK sub-q1>MQScope broker']);
  assert.deepEqual(between(arrows, 'sub-q2'), ['PUBLISH MQScope broker>sub-q2', 'PUBREC sub-q2>MQScope broker', 'PUBREL MQScope broker>sub-q2', 'PUBCOMP sub-q2>MQScope broker']);
  const seqs = arrows.map((a) => a.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'top to bottom is the order the broker saw them');
  assert.ok(arrows.every((a) => a.marks === ''), 'nothing retransmitted or refused');
  // Times and deltas are written, not only drawn.
  const timeTexts = await page.$$eval('[data-testid="seq-arrow"] .seq-time', (els) => els.map((x) => x.textContent ?? ''));
  assert.equal(timeTexts[0], '+0 µs');
  assert.ok(timeTexts.slice(1).every((t) => /^\+\d/.test(t)), timeTexts.join(','));

  // Zoom and pan: buttons, Ctrl+wheel, wheel and drag change the view; reset fits again.
  const zoom = () => page.getByTestId('seq-zoom').innerText();
  const transform = () => page.getByTestId('seq-content').getAttribute('transform');
  const fitted = await zoom();
  const home = await transform();
  await page.getByTestId('seq-zoom-in').click();
  assert.notEqual(await zoom(), fitted);
  await page.getByTestId('seq-reset').click();
  assert.equal(await zoom(), fitted);
  const svg = (await page.getByTestId('seq-svg').boundingBox())!;
  await page.mouse.move(svg.x + 60, svg.y + svg.height - 20);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await page.waitForFunction((z) => document.querySelector('[data-testid="seq-zoom"]')?.textContent !== z, fitted);
  await page.getByTestId('seq-reset').click();
  await page.mouse.move(svg.x + 60, svg.y + svg.height - 20);
  await page.mouse.wheel(0, 120);
  await page.waitForFunction((t) => document.querySelector('[data-testid="seq-content"]')?.getAttribute('transform') !== t, home);
  assert.equal(await zoom(), fitted, 'a plain wheel pans, it does not zoom');
  await page.getByTestId('seq-reset').click();
  await page.mouse.move(svg.x + 60, svg.y + svg.height - 20);
  await page.mouse.down();
  await page.mouse.move(svg.x + 160, svg.y + svg.height - 60, { steps: 4 });
  await page.mouse.up();
  assert.notEqual(await transform(), home, 'dragging pans');
  await page.getByTestId('seq-reset').click();
  assert.equal(await transform(), home);

  // Clicking the inbound PUBREL opens that frame in the Trace view: selected, fields and hex shown.
  const pubrel = arrows.find((a) => a.type === 'PUBREL' && a.from === 'pub-q2')!;
  await flows.arrow(pubrel.seq).focus(); // pans it into view when the diagram is taller than its pane
  await flows.arrow(pubrel.seq).click();
  await page.getByTestId('view-trace').waitFor();
  // The trace was filtered to PUBLISH above: the filter that would hide the PUBREL is cleared, and said so.
  await page.getByTestId('toast').filter({ hasText: `Display filter cleared: frame #${pubrel.seq} does not match` }).waitFor();
  await page.locator(`.vrow.selected [data-testid="trace-row"][data-seq="${pubrel.seq}"]`).waitFor();
  await page.getByTestId('frame-inspector').waitFor();
  assert.match(await page.getByTestId('frame-fields').innerText(), /PUBREL/);
  assert.ok((await page.getByTestId('frame-hex').innerText()).trim().length > 0);

  // Keyboard: Tab to an arrow in the diagram, Enter opens it.
  await page.keyboard.press('Control+5');
  await flows.waitDiagram(10);
  const puback = arrows.find((a) => a.type === 'PUBACK')!;
  await flows.arrow(puback.seq).focus();
  await page.keyboard.press('Enter');
  await page.locator(`.vrow.selected [data-testid="trace-row"][data-seq="${puback.seq}"]`).waitFor();

  // "Show flow" from a trace row's flow cell: sub-q1's SUBSCRIBE draws its own two-packet flow.
  await trace.filterType('SUBACK');
  const suback = page.locator('[data-testid="trace-row"][data-type="SUBACK"]').first();
  await suback.locator('[data-testid="trace-flow"][data-state="complete"]').waitFor();
  const subackSeq = Number(await suback.getAttribute('data-seq'));
  await suback.getByTestId('trace-show-flow-cell').click();
  await page.getByTestId('view-flows').waitFor();
  await page.waitForFunction((seq) => !!document.querySelector(`[data-testid="seq-arrow"][data-seq="${seq}"]`), subackSeq);
  const subArrows = await flows.arrows();
  assert.deepEqual(subArrows.map((a) => a.type), ['SUBSCRIBE', 'SUBACK']);
  assert.equal(subArrows[0].from, subArrows[1].to);
  assert.equal(subArrows[0].to, 'MQScope broker');

  // The Flows table: complete flows counted, filtering by kind leaves the three QoS 2 flows' rows.
  assert.ok(await flows.count('complete') >= 8, `complete: ${await flows.count('complete')}`);
  await page.getByTestId('flows-kind').selectOption('publish-qos2');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="flows-total"]')?.getAttribute('data-total')) === 2);
  const kinds = await flows.rows().evaluateAll((els) => els.map((x) => x.getAttribute('data-kind')));
  assert.deepEqual(kinds, ['publish-qos2', 'publish-qos2']);
  await flows.rows().filter({ hasText: 'pub-q2' }).click();
  await flows.waitDiagram(10);
  assert.equal((await flows.arrows()).length, 10, 'a PUBLISH flow row draws its whole journey');
  // Both QoS 2 rows (inbound and the QoS 2 delivery) are marked as drawn; with every kind listed, so is the QoS 1 delivery.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="flow-row"][data-in-diagram]').length === 2);
  await page.getByTestId('flows-kind').selectOption('');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="flow-row"][data-in-diagram]').length === 3);
  const drawnKinds = await page.locator('[data-testid="flow-row"][data-in-diagram]').evaluateAll((els) => els.map((x) => x.getAttribute('data-kind')).sort());
  assert.deepEqual(drawnKinds, ['publish-qos1', 'publish-qos2', 'publish-qos2']);
  assert.deepEqual(e.errors, []);
});

test('"Show journey" on a message MQScope received: its own connection is tapped at both ends, one arrow per packet', async () => {
  const { page } = e;
  const broker = new BrokerPage(page);
  const connections = new ConnectionsPage(page);
  const messages = new MessagesPage(page);
  const flows = new FlowsPage(page);
  await broker.start();
  const port = await broker.tcpPort();
  await connections.select('Local broker');
  await connections.connect();
  await messages.waitConnected();
  await messages.subscribe('lab/#', 2);
  await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-V', 'mqttv5', '-i', 'lab-pub', '-t', 'lab/door', '-m', 'open', '-q', '2']);
  await messages.row('lab/door').first().waitFor();
  await messages.select('lab/door');
  const received = Number(await page.getByTestId('msg-detail').getAttribute('data-seq'));
  await page.getByTestId('msg-show-journey').click();
  await page.getByTestId('view-flows').waitFor();
  await flows.waitDiagram(8);
  const lanes = await flows.lanes();
  assert.deepEqual(lanes.map((l) => l.role), ['publisher', 'broker', 'subscriber']);
  assert.equal(lanes[0].title, 'lab-pub');
  assert.match(lanes[2].text, /gets QoS 2/);
  assert.match(lanes[2].text, /MQScope session · both ends tapped/);
  const arrows = await flows.arrows();
  const mine = arrows.filter((a) => a.to === lanes[2].title || a.from === lanes[2].title);
  assert.deepEqual(mine.map((a) => a.type), ['PUBLISH', 'PUBREC', 'PUBREL', 'PUBCOMP'], 'one arrow per packet, not one per recording');
  assert.ok(mine.every((a) => a.tapSeq !== null && a.tapSeq !== a.seq), 'each arrow also holds the client tap\'s frame');
  assert.equal(mine[0].tapSeq, received, 'the message row is the client tap\'s copy of the delivered PUBLISH');
  // The client-tap end of the delivered PUBLISH opens the very frame the message list shows.
  await page.locator(`[data-testid="seq-tap"][data-seq="${received}"]`).click();
  await page.getByTestId('view-trace').waitFor();
  await page.locator(`.vrow.selected [data-testid="trace-row"][data-seq="${received}"][data-side="client"]`).waitFor();

  // The same journey from the message row's own "journey" action.
  await messages.open();
  const row = messages.row('lab/door').first();
  await row.hover();
  await row.getByTestId('msg-row-journey').click();
  await page.getByTestId('view-flows').waitFor();
  await page.waitForFunction((seq) => !!document.querySelector(`[data-testid="seq-arrow"][data-tap-seq="${seq}"]`), received);
  assert.equal((await flows.arrows()).length, arrows.length);
  assert.deepEqual(e.errors, []);
});

test('a subscriber that never acknowledges: its flow turns stalled at the threshold the user set, is listed first and explained', async () => {
  const { page } = e;
  const broker = new BrokerPage(page);
  const flows = new FlowsPage(page);
  await broker.start();
  const port = await broker.tcpPort();
  await flows.open();
  await flows.clearFilters();
  const threshold = page.getByTestId('flows-stalled-ms');
  await page.waitForFunction(() => (document.querySelector('[data-testid="flows-stalled-ms"]') as HTMLInputElement | null)?.value === '5000');
  await threshold.fill('300');
  await threshold.press('Enter');
  await waitFor(async () => (await e.host.core.flowSettings({})).stalledMs === 300, { what: 'stall threshold set from the UI' });

  // A raw MQTT 3.1.1 client that subscribes at QoS 1 and then stays silent (no PUBACK, ever).
  const sock = net.connect(port, '127.0.0.1');
  after(() => { sock.destroy(); });
  sock.on('data', () => {});
  sock.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: 'silent-sub', keepalive: 0 }));
  sock.write(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'alarm/#', qos: 1 }] }));
  await waitFor(async () => (await e.host.core.brokerSubscriptions()).some((s) => s.clientId === 'silent-sub'), { what: 'silent-sub subscribed' });
  await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-i', 'alarm-pub', '-t', 'alarm/smoke', '-m', 'on', '-q', '1']);

  await page.waitForFunction(() => Number(document.querySelector('[data-testid="flow-count-stalled"]')?.getAttribute('data-count')) >= 1);
  const first = flows.rows().first();
  assert.equal(await first.getAttribute('data-state'), 'stalled', 'problems are listed first');
  assert.equal(await first.getAttribute('data-client'), 'silent-sub');
  assert.match(await first.innerText(), /stalled/);
  await page.getByTestId('flow-count-stalled').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="flows-total"]')?.getAttribute('data-total')) === 1);
  await first.click();
  await flows.waitDiagram(3);
  const arrows = await flows.arrows();
  assert.deepEqual(arrows.map((a) => `${a.type} ${a.from}>${a.to}`), ['PUBLISH alarm-pub>MQScope broker', 'PUBACK MQScope broker>alarm-pub', 'PUBLISH MQScope broker>silent-sub']);
  const notes = await page.getByTestId('seq-note').evaluateAll((els) => els.map((x) => x.textContent ?? ''));
  assert.equal(notes.length, 1, notes.join(' | '));
  assert.match(notes[0], /silent-sub/);
  assert.match(await page.getByTestId('diagram-deliveries').innerText(), /silent-sub \(QoS 1, stalled\)/);
  if (process.env.E2E_SHOTS) await page.screenshot({ path: 'screenshots-tmp/flows-stalled.png' });
  assert.deepEqual(e.errors, []);
});
