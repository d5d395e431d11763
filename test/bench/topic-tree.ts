// Topic tree cost: 10,000 msg/s spread over 100,000 topics, through the real path (PUBLISH bytes →
// framer → trace store → TopicFeed.catchUp in ~30 Hz flushes), then the query the UI makes twice a
// second (top levels expanded, sorted by rate, one page). Run: npx tsx test/bench/topic-tree.ts
// Prints figures; no pass/fail (timing goals are not tests).
import mqttPacket from 'mqtt-packet';
import { Framer } from '../../electron/core/trace/framer';
import { TraceRecorder } from '../../electron/core/trace/recorder';
import { TraceStore } from '../../electron/core/trace/trace-store';
import { TopicFeed } from '../../electron/core/topics/topic-feed';
import { queryTopicTree } from '../../electron/core/topics/topic-tree-query';

const TOPICS = 100_000;
const RATE = 10_000;
const SECONDS = 20;
const PER_FLUSH = Math.round(RATE / 30);

console.log(`(load average while running: ${(await import('node:os')).loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores; wall times inflate with it)`);
const store = new TraceStore(1024 * 2 ** 20);
const recorder = new TraceRecorder(store, () => {});
recorder.dispose(); // we flush by hand
const conn = recorder.openConnection({ side: 'broker', transport: 'tcp', remote: '127.0.0.1:50000', local: '127.0.0.1:1883' });
const rec = recorder.conns.get(conn.id)!;
const framer = new Framer(store, rec, false);
const feed = new TopicFeed(recorder);

framer.feed(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'bench', clean: true, keepalive: 0 } as mqttPacket.IConnectPacket));
const topic = (i: number) => `site${i % 10}/area${Math.floor(i / 10) % 100}/dev${Math.floor(i / 1000)}/temp`;
// Pre-built packets: generating them is not what we measure.
const packets: Buffer[] = [];
for (let i = 0; i < TOPICS; i++) packets.push(mqttPacket.generate({ cmd: 'publish', topic: topic(i), payload: Buffer.from(`{"v":${i % 100}}`), qos: 0, retain: false, dup: false } as mqttPacket.IPublishPacket));

let msg = 0;
// Warm-up: every topic seen once (creating 100,000 leaves is a one-off cost, reported on its own).
const w0 = process.hrtime.bigint();
for (let i = 0; i < TOPICS; i += PER_FLUSH) {
  for (let k = i; k < Math.min(TOPICS, i + PER_FLUSH); k++) framer.feed(packets[k]);
  feed.catchUp();
}
const warmNs = Number(process.hrtime.bigint() - w0);
let feedNs = 0;
let feedCpuUs = 0;
let storeNs = 0;
let flushes = 0;
let worstFlushMs = 0;
for (let f = 0; f < SECONDS * 30; f++) {
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < PER_FLUSH; k++) framer.feed(packets[(msg++ * 7919) % TOPICS]);
  const t1 = process.hrtime.bigint();
  const c1 = process.cpuUsage();
  feed.catchUp();
  const c2 = process.cpuUsage(c1);
  const t2 = process.hrtime.bigint();
  feedCpuUs += c2.user + c2.system;
  storeNs += Number(t1 - t0);
  feedNs += Number(t2 - t1);
  worstFlushMs = Math.max(worstFlushMs, Number(t2 - t1) / 1e6);
  flushes++;
}

const queries: number[] = [];
const nowUs = feed.stats.lastUs;
let rows = 0;
for (let q = 0; q < 20; q++) {
  const t0 = process.hrtime.bigint();
  const r = queryTopicTree(feed.stats, { expanded: ['site3', 'site3/area42'], sort: q % 2 ? 'rate' : 'name', offset: 0, limit: 60 }, nowUs, () => undefined);
  queries.push(Number(process.hrtime.bigint() - t0) / 1e6);
  rows = r.total;
}
const searchT0 = process.hrtime.bigint();
const found = queryTopicTree(feed.stats, { expanded: [], sort: 'rate', search: 'dev42/', offset: 0, limit: 60 }, nowUs, () => undefined);
const searchMs = Number(process.hrtime.bigint() - searchT0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`topic tree: ${msg.toLocaleString('en')} PUBLISH frames over ${feed.stats.topicCount.toLocaleString('en')} topics, ${PER_FLUSH} per flush (${RATE.toLocaleString('en')} msg/s at 30 Hz)`);
console.log(`  first sight of ${TOPICS.toLocaleString('en')} topics (framing + storing + tree): ${(warmNs / TOPICS / 1000).toFixed(1)} µs/topic`);
const cpuNs = (feedCpuUs * 1000) / msg;
console.log(`  tree update (TopicFeed.catchUp): ${cpuNs.toFixed(0)} ns CPU/msg (wall ${(feedNs / msg).toFixed(0)} ns) = ${(cpuNs * RATE / 1e6).toFixed(1)} ms CPU per second at ${RATE.toLocaleString('en')} msg/s (${(cpuNs * RATE / 1e7).toFixed(2)} % of a core); worst flush ${worstFlushMs.toFixed(2)} ms wall`);
console.log(`  for scale, framing + storing the same frames: ${(storeNs / msg).toFixed(0)} ns/msg`);
console.log(`  topicTree query (2 levels open, ${rows} rows, page of 60): median ${median(queries).toFixed(2)} ms, max ${Math.max(...queries).toFixed(2)} ms`);
console.log(`  topicTree search "dev42/" over ${feed.stats.topicCount.toLocaleString('en')} topics: ${searchMs.toFixed(1)} ms (${found.total} rows)`);
console.log(`  tree memory (estimate charged to the trace budget): ${(feed.stats.bytes / 2 ** 20).toFixed(1)} MiB of its ${(feed.stats.budgetBytes / 2 ** 20).toFixed(0)} MiB share (${(feed.stats.bytes / feed.stats.topicCount).toFixed(0)} B a topic), ${feed.stats.untracked} messages untracked`);
