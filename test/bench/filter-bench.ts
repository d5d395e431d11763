// `npx tsx test/bench/filter-bench.ts`: display filters over 1,000,000 stored frames, run the way core
// runs them (sliced, yielding between slices, with the store's filter index; `--no-index` without it).
// Prints a table; goal ≤ 300 ms each, not asserted. `--clustered`: frames come in runs of 1,000 from one
// connection and one packet (as a real capture's traffic does), so the index's zone maps can skip chunks.
import mqttPacket from 'mqtt-packet';
import { FilterQueries } from '../../electron/core/trace/filter-query';
import { Framer } from '../../electron/core/trace/framer';
import { BYTES_PER_FRAME } from '../../electron/core/trace/frame-index';
import { FILTER_INDEX_SLICE, FilterIndex, INDEX_BYTES_PER_FRAME } from '../../electron/core/trace/filter-index';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';

const FRAMES = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const TRIALS = 3;
const RUN = process.argv.includes('--clustered') ? 1000 : 1;

function build(): TraceStore {
  const store = new TraceStore(2 * 2 ** 30);
  const ctxs = [1, 2, 3, 4].map((id): ConnCtx => ({ id, clientSide: id > 2, version: 5, sawConnect: true, imported: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} }));
  const framers = ctxs.flatMap((c) => [new Framer(store, c, false), new Framer(store, c, true)]);
  const gen = (p: object) => mqttPacket.generate(p as mqttPacket.Packet, { protocolVersion: 5 });
  const packets: Buffer[] = [];
  for (let i = 0; i < 40; i++) {
    const qos = i % 3;
    const payload = Buffer.from(i % 10 === 0 ? `{"alarm":true,"t":${i}}` : `{"c":${20 + i / 10},"line":${i % 4}}`.padEnd(48, ' '));
    packets.push(gen({ cmd: 'publish', topic: `plant/line${i % 4}/${i % 2 ? 'temp' : 'rpm'}`, payload, qos, messageId: qos ? 1 + i : undefined, retain: false, dup: false, properties: { userProperties: { k1: i % 5 ? 'v2' : 'v1' } } }));
  }
  packets.push(gen({ cmd: 'puback', messageId: 7, reasonCode: 0 }), gen({ cmd: 'pingreq' }), gen({ cmd: 'pubrec', messageId: 9, reasonCode: 0 }));
  for (let i = 0; i < FRAMES; i++) { const k = Math.floor(i / RUN); framers[k % framers.length].feed(packets[(k * 7) % packets.length]); }
  return store;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const t0 = performance.now();
  const store = build();
  const built = performance.now() - t0;
  const frames = store.stats().frames;
  console.log(`${frames.toLocaleString('en')} frames stored in ${(built / 1000).toFixed(1)} s; index ${BYTES_PER_FRAME} B/frame, store ${(store.usedBytes() / frames).toFixed(1)} B/frame in use (wire bytes included)\n`);
  const queries = new FilterQueries();
  const conns = () => ({ protocolVersion: 5 as const });
  // The filter index, built the way the batch tick builds it (in slices), timed on its own.
  const index = new FilterIndex(store);
  const ic = process.cpuUsage();
  const it = performance.now();
  while (index.indexedTo < store.nextSeq) index.extend(conns, store.nextSeq, FILTER_INDEX_SLICE);
  const iWall = performance.now() - it;
  const iCpu = process.cpuUsage(ic);
  console.log(`filter index built in ${iWall.toFixed(0)} ms (${(((iCpu.user + iCpu.system) / frames)).toFixed(2)} µs CPU a frame), ${INDEX_BYTES_PER_FRAME.toFixed(2)} B a frame + ${index.setCount} interned property lists\n`);
  const withIndex = process.argv.includes('--no-index') ? undefined : index;
  const filters = [
    ['simple', 'type == PUBLISH'],
    ['simple', 'qos == 2'],
    ['compound', 'type == PUBLISH && qos == 2 && dir == in'],
    ['compound', 'topic matches "plant/+/temp" && qos >= 1 && !dup'],
    ['payload', 'payload contains "alarm"'],
    ['compound + payload', 'topic matches "plant/#" && qos == 1 && payload contains "alarm"'],
    ['property (decodes)', 'prop.user.k1 == "v1"'],
    ['cheap && property', 'qos == 2 && conn == 1 && prop.user.k1 == "v1"'],
    ['rare type', 'type == PINGREQ || type == PUBREC'],
    ['connection', 'conn == 3'],
    ['topic', 'topic == "plant/line1/temp"'],
    ['topic pattern', 'topic matches "plant/line2/+"'],
    ['topic regex (absent)', 'topic ~ /line3\\/rpm$/'],
  ];
  // Wall time on a shared machine includes time other processes had the CPU; CPU time is this process's own.
  console.log('| kind | filter | matching | wall ms (median of 3) | CPU ms | slices ≥ |');
  console.log('|---|---|--:|--:|--:|--:|');
  for (const [kind, filter] of filters) {
    const times: number[] = [];
    const cpu: number[] = [];
    let matching = 0;
    let yields = 0;
    for (let t = 0; t < TRIALS; t++) {
      let ticks = 0;
      let done = false;
      const tick = () => { if (!done) { ticks++; setImmediate(tick); } };
      setImmediate(tick);
      const s = performance.now();
      const c = process.cpuUsage();
      const r = await queries.run(store, conns, { filter, limit: 500 }, undefined, withIndex);
      times.push(performance.now() - s);
      const d = process.cpuUsage(c);
      cpu.push((d.user + d.system) / 1000);
      done = true;
      matching = r.matching;
      yields = ticks;
    }
    console.log(`| ${kind} | \`${filter}\` | ${matching.toLocaleString('en')} | ${median(times).toFixed(0)} | ${median(cpu).toFixed(0)} | ${yields} |`);
  }
}

void main();
