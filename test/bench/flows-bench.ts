// Flows section of `npm run bench`: fold 1,000,000 stored frames into flows and journeys (time and
// memory per frame), then the incremental cost per appended frame at batch ticks.
// Alone: node --expose-gc --import tsx test/bench/flows-bench.ts [frames]
import { FlowIndex } from '../../electron/core/flows/flow-index';
import { TraceRecorder } from '../../electron/core/trace/recorder';
import { TraceStore, fixedHeaderSize } from '../../electron/core/trace/trace-store';

function varint(n: number): number[] {
  const out: number[] = [];
  do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 128; out.push(b); } while (n > 0);
  return out;
}
function packet(b0: number, body: number[]): Uint8Array { return Uint8Array.from([b0, ...varint(body.length), ...body]); }
const u16 = (n: number) => [n >> 8, n & 255];
const str = (s: string) => { const b = [...Buffer.from(s)]; return [...u16(b.length), ...b]; };
function publish(topic: string, payload: string, qos: number, pid: number): Uint8Array {
  return packet(0x30 | (qos << 1), [...str(topic), ...(qos ? u16(pid) : []), ...Buffer.from(payload)]);
}
const ack = (type: number, pid: number) => packet((type << 4) | (type === 6 ? 2 : 0), u16(pid));
const connect = (id: string) => packet(0x10, [...str('MQTT'), 4, 2, 0, 60, ...str(id)]);
const CONNACK = packet(0x20, [0, 0]);

interface Fixture { recorder: TraceRecorder; store: TraceStore; append(n: number): void }

/** A broker-tap trace: a publisher (QoS 0/1/2) fanned out to two subscribers at QoS 0/1, 9 frames a message round. */
export function fixture(): Fixture {
  const store = new TraceStore(2 * 2 ** 30);
  const recorder = new TraceRecorder(store, () => {});
  const conn = (i: number) => recorder.adopt({ id: i, side: 'broker', transport: 'tcp', remote: `127.0.0.1:${5000 + i}`, local: '127.0.0.1:1883', openedAtMs: 0 });
  const [pub, subA, subB] = [conn(1), conn(2), conn(3)];
  let t = 0;
  let k = 0;
  const put = (ctx: ReturnType<typeof conn>, s2c: boolean, bytes: Uint8Array) => store.importFrame(ctx, s2c, 'packet', (t += 20), bytes, null);
  for (const [ctx, id] of [[pub, 'pub'], [subA, 'subA'], [subB, 'subB']] as const) {
    store.importFrame(ctx, false, 'event', t, new Uint8Array(0), 'connection opened');
    put(ctx, false, connect(id));
    put(ctx, true, CONNACK);
  }
  return {
    recorder, store,
    append(n: number) {
      const end = store.nextSeq + n;
      while (store.nextSeq < end) {
        const pid = (k % 65535) + 1;
        const m = `{"n":${k++}}`;
        put(pub, false, publish('plant/line1/temp', m, 1, pid));
        put(pub, true, ack(4, pid));
        put(subA, true, publish('plant/line1/temp', m, 1, pid));
        put(subA, false, ack(4, pid));
        put(pub, false, publish('plant/line2/temp', m, 2, pid));
        put(pub, true, ack(5, pid));
        put(pub, false, ack(6, pid));
        put(pub, true, ack(7, pid));
        put(subB, true, publish('plant/line2/temp', m, 0, 0));
      }
    },
  };
}

const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const heap = () => { (globalThis as { gc?: () => void }).gc?.(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export interface FlowsBenchResult { frames: number; flows: number; journeys: number; foldUsPerFrame: number; bytesPerFrame: number; appendUsPerFrame: number; batch: number }

export function runFlowsBench(frames = 1_000_000, batch = 300): FlowsBenchResult {
  const fx = fixture();
  fx.append(frames - fx.store.nextSeq);
  const before = heap();
  const index = new FlowIndex(fx.recorder);
  // CPU time, not wall clock: this machine is shared, and a busy neighbour must not count against us.
  const t0 = cpuMs();
  index.update(false, Infinity); // the whole store at once (the core slices this; the total cost is the same)
  const foldMs = cpuMs() - t0;
  const bytes = heap() - before;
  // Incremental: batches of `batch` frames (about 10k frames/s at 30 Hz), each folded at its tick.
  const folded = fx.store.nextSeq;
  const rounds = 200;
  let appendMs = 0;
  let appended = 0;
  for (let i = 0; i < rounds; i++) {
    const from = fx.store.nextSeq;
    fx.append(batch);
    appended += fx.store.nextSeq - from;
    const t1 = cpuMs();
    index.update(false);
    appendMs += cpuMs() - t1;
  }
  const r = {
    frames: folded, flows: index.engine.total, journeys: index.engine.journeys.journeys.size,
    foldUsPerFrame: (foldMs * 1000) / frames, bytesPerFrame: bytes / frames, appendUsPerFrame: (appendMs * 1000) / appended, batch,
  };
  index.dispose();
  fx.recorder.dispose();
  return r;
}

export function printFlowsBench(r: FlowsBenchResult): void {
  console.log(`\nFlows: fold ${fmt(r.frames)} stored frames (QoS 0/1/2 publishes fanned out to 2 subscribers) into ${fmt(r.flows)} flows and ${fmt(r.journeys)} journeys${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for exact memory)'}:`);
  console.log('| frames | fold CPU µs/frame | flow memory B/frame | appended CPU µs/frame (batches of ~%d) |', r.batch);
  console.log('|-------:|------------------:|--------------------:|-------------------------------------:|');
  console.log(`| ${fmt(r.frames)} | ${fmt(r.foldUsPerFrame, 2)} | ${fmt(r.bytesPerFrame, 1)} | ${fmt(r.appendUsPerFrame, 2)} |`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000);
  printFlowsBench(runFlowsBench(n));
}
