// Trace batches as JSON objects vs as columns (shared/contract/frame-columns.ts): bytes and CPU to encode on
// the core's side, to decode on the page's. Frames shaped like the burst's: each message seen four times
// (publisher → broker, broker → external subscriber, broker → the UI's session, the session's own tap).
// Run alone: npx tsx test/bench/frame-columns-bench.ts
import { packFrameList, unpackFrameList } from '../../shared/contract/frame-columns';
import type { FrameSummary, TraceBatch } from '../../shared/contract/types';

const BATCH = 2000;
const BATCHES = 100;
const legs: [FrameSummary['side'], FrameSummary['dir'], number][] = [['broker', 'c2s', 1], ['broker', 's2c', 2], ['broker', 's2c', 3], ['client', 's2c', 4]];

function batches(): TraceBatch[] {
  const out: TraceBatch[] = [];
  let seq = 100;
  let t = 5_123_456.789;
  const origin = 1_764_600_000_123.456;
  for (let b = 0; b < BATCHES; b++) {
    const frames: FrameSummary[] = [];
    for (let i = 0; i < BATCH; i++, seq++) {
      const [side, dir, conn] = legs[seq % 4];
      if (seq % 4 === 0) t += 47.123;
      frames.push({ seq, timeUs: t, wallMs: Math.floor(origin * 1000 + t) / 1000, conn, side, dir, kind: 'packet', type: 'PUBLISH', flags: 0, length: 51,
        topic: `burst/dev${(seq >> 2) % 100}`, qos: 0, retain: false, dup: false, payloadSize: 36 });
    }
    out.push({ frames, fromSeq: frames[0].seq, toSeq: seq - 1, stats: { frames: seq, firstSeq: 0, nextSeq: seq, bytes: 1e7, budgetBytes: 2 ** 28, evicted: 0 } as never });
  }
  return out;
}

function time(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

const bs = batches();
const rows: string[][] = [];
for (const [name, enc] of [['objects', (b: TraceBatch) => b], ['columns', (b: TraceBatch) => packFrameList(b)]] as const) {
  for (let warm = 0; warm < 2; warm++) for (const b of bs.slice(0, 10)) JSON.parse(JSON.stringify({ t: 'evt', name: 'traceBatch', payload: enc(b) }));
  let bytes = 0;
  const texts: string[] = [];
  const encMs = time(() => { for (const b of bs) { const s = JSON.stringify({ t: 'evt', name: 'traceBatch', payload: enc(b) }); bytes += s.length; texts.push(s); } });
  const decMs = time(() => { for (const s of texts) unpackFrameList((JSON.parse(s) as { payload: unknown }).payload); });
  const frames = BATCH * BATCHES;
  rows.push([name, (bytes / frames).toFixed(1), (encMs * 1000 / frames).toFixed(2), (decMs * 1000 / frames).toFixed(2), (bytes / frames * 80_000 / 2 ** 20).toFixed(1)]);
}
const head = ['batch form', 'bytes / frame', 'encode µs / frame (core)', 'decode µs / frame (page)', 'MiB/s at 80,000 frames/s'];
console.log('| ' + head.join(' | ') + ' |');
console.log('|---|' + head.slice(1).map(() => '--:').join('|') + '|');
for (const r of rows) console.log('| ' + r.join(' | ') + ' |');
