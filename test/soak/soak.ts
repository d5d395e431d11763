// Soak (not part of npm test): many messages through the embedded broker with the UI open in Chromium on
// the trace view, and a small trace budget. Reports RSS over time, that every evicted frame is counted,
// and how long the UI takes to answer while the flood runs.
//   node build/build-renderer.mjs && npx tsx test/soak/soak.ts --messages 10000000 --budget-mib 16
import net from 'node:net';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { startE2E } from '../e2e/harness';
import { TracePage } from '../e2e/pages/TracePage';

const { values } = parseArgs({ options: {
  messages: { type: 'string', default: '10000000' }, 'budget-mib': { type: 'string', default: '16' }, 'max-seconds': { type: 'string', default: '3600' },
} });
const N = Number(values.messages);
const MiB = 2 ** 20;
const e = await startE2E();
const core = e.host.core;
const store = core.recorder.store;
await core.traceSetBudget({ bytes: Number(values['budget-mib']) * MiB });
const status = await core.brokerStart({ config: { host: '127.0.0.1', tcpPort: 0, wsPort: null, wsPath: '/mqtt', tls: null, auth: null } });
const port = status.listeners.find((l) => l.kind === 'tcp')!.port;
await new TracePage(e.page).open();

const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'soak-sub', reconnectPeriod: 0 });
let received = 0;
sub.on('message', () => { received++; });
await sub.subscribeAsync('soak/#', { qos: 0 });

const pub = net.connect(port, '127.0.0.1');
await new Promise<void>((r) => pub.once('connect', () => r()));
pub.on('error', (err) => { console.error(`publisher: ${err.message}`); process.exit(1); });
// aedes refuses a client that sends more than a few dozen packets before its CONNACK: wait for it.
const connack = new Promise<void>((r) => pub.once('data', () => r()));
pub.write(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'soak-pub', clean: true, keepalive: 0 } as mqttPacket.Packet));
await connack;
// A batch of 100 distinct 64-byte messages, written again and again: little CPU on the sending side.
const batch = Buffer.concat(Array.from({ length: 100 }, (_, k) => mqttPacket.generate({ cmd: 'publish', topic: `soak/${k % 10}`, payload: Buffer.alloc(64, k), qos: 0, retain: false, dup: false } as mqttPacket.Packet)));

const started = performance.now();
const samples: { s: number; sent: number; received: number; rssMiB: number; heapMiB: number; storeMiB: number; uiMs: number }[] = [];
let sent = 0;
let uiMax = 0;
const deadline = started + Number(values['max-seconds']) * 1000;
let lastSample = 0;
while (sent < N && performance.now() < deadline) {
  if (!pub.write(batch)) await new Promise((r) => pub.once('drain', r));
  sent += 100;
  if (performance.now() - lastSample > 5000) {
    lastSample = performance.now();
    // UI responsiveness: a round trip into the page and back, while the flood runs.
    const t0 = performance.now();
    const count = await e.page.getByTestId('trace-count').getAttribute('data-count');
    const uiMs = performance.now() - t0;
    uiMax = Math.max(uiMax, uiMs);
    const row = { s: Math.round((lastSample - started) / 1000), sent, received, rssMiB: Math.round(process.memoryUsage.rss() / MiB), heapMiB: Math.round(process.memoryUsage().heapUsed / MiB), storeMiB: +(store.bytes / MiB).toFixed(1), uiMs: Math.round(uiMs) };
    samples.push(row);
    console.error(JSON.stringify({ ...row, shown: Number(count) }));
  }
}
// Let delivery finish (QoS 0 to a reading subscriber: nothing is dropped unless its queue overflows).
const until = performance.now() + 30_000;
while (received < sent && performance.now() < until) await new Promise((r) => setTimeout(r, 100));
const secs = (performance.now() - started) / 1000;
const st = store.stats();
const rows = await core.brokerClients(undefined);
const dropped = rows.find((r) => r.clientId === 'soak-sub')?.droppedQoS0 ?? 0;
console.log(JSON.stringify({
  messages: sent, received, droppedQoS0: dropped, seconds: Math.round(secs), msgsPerSec: Math.round(sent / secs),
  rssMiB: { first: samples[0]?.rssMiB, min: Math.min(...samples.map((x) => x.rssMiB)), max: Math.max(...samples.map((x) => x.rssMiB)), last: samples.at(-1)?.rssMiB },
  // The heap's lows (a sample lower than both neighbours) show whether what survives garbage collection drifts.
  heapMiB: { min: Math.min(...samples.map((x) => x.heapMiB)), max: Math.max(...samples.map((x) => x.heapMiB)), last: samples.at(-1)?.heapMiB,
    lows: samples.filter((x, i) => i > 0 && i < samples.length - 1 && x.heapMiB < samples[i - 1].heapMiB && x.heapMiB < samples[i + 1].heapMiB).map((x) => x.heapMiB) },
  store: { budgetMiB: st.budgetBytes / MiB, maxMiB: Math.max(...samples.map((x) => x.storeMiB)), frames: st.frames, evictedFrames: st.evictedFrames },
  // Every frame ever recorded is either still held or counted as evicted: nothing vanishes uncounted.
  everyEvictedFrameCounted: st.frames + st.evictedFrames === st.nextSeq && st.firstSeq === st.evictedFrames,
  uiRoundTripMs: { max: Math.round(uiMax), last: samples.at(-1)?.uiMs }, pageErrors: e.errors.length,
}, null, 1));
await sub.endAsync();
pub.destroy();
await e.close();
process.exit(0);
