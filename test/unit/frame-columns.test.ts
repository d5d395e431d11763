// Frame summaries as columns (shared/contract/frame-columns.ts): every field comes back exactly (timeUs to
// the microsecond, its unit), absent fields stay absent, and the rpc ends pack and unpack without callers noticing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packFrames, unpackFrames } from '../../shared/contract/frame-columns';
import { answer, createClient, type Envelope } from '../../shared/contract/rpc';
import type { CoreApi } from '../../shared/contract/api';
import { PACKET_TYPES, type FrameSummary } from '../../shared/contract/types';

/** What the columns carry: timeUs to the whole microsecond. */
const toUs = (fs: FrameSummary[]) => fs.map((f) => ({ ...f, timeUs: Math.round(f.timeUs) }));

function frames(): FrameSummary[] {
  const out: FrameSummary[] = [];
  const origin = 1_764_600_000_123.456;
  let t = 1_234_567.891;
  for (let i = 0; i < 500; i++) {
    t += (i % 3) * 12.345678 + 0.001;
    const type = PACKET_TYPES[i % 16];
    const f: FrameSummary = {
      seq: 1000 + i * (i % 5 === 0 ? 3 : 1), timeUs: t, wallMs: Math.floor(origin * 1000 + t) / 1000, conn: i % 7,
      side: i % 2 ? 'client' : 'broker', dir: i % 3 ? 's2c' : 'c2s', kind: i % 11 === 0 ? 'event' : i % 13 === 0 ? 'malformed' : 'packet',
      type: i % 11 === 0 ? null : type, flags: i % 16, length: i * 37,
    };
    if (i % 4 === 0) f.packetId = (i * 131) % 65536;
    if (type === 'PUBLISH' || i % 9 === 0) { f.topic = `dev/${i % 6}/t`; f.qos = (i % 3) as 0 | 1 | 2; f.retain = i % 2 === 0; f.dup = i % 5 === 0; f.payloadSize = i; }
    if (i % 10 === 3) f.reasonCode = 0x80 + (i % 10);
    if (i % 11 === 0) f.note = `connection opened ${i} “ü”`;
    if (i === 7) f.topic = '';
    out.push(f);
  }
  return out;
}

test('pack then unpack gives every frame back exactly, absent fields absent', () => {
  const fs = frames();
  const packed = packFrames(fs);
  assert.equal(packed.wallMs, undefined, 'the wall clock went as distances from the monotonic clock');
  const back = unpackFrames(JSON.parse(JSON.stringify(packed)));
  assert.ok(fs.some((f) => !Number.isInteger(f.timeUs)), 'the sample has sub-microsecond digits to drop');
  assert.deepStrictEqual(back, toUs(fs));
  for (let i = 0; i < fs.length; i++) assert.deepEqual(Object.keys(back[i]).sort(), Object.keys(fs[i]).sort(), `keys of frame ${i}`);
  assert.ok(JSON.stringify(packed).length * 3 < JSON.stringify(fs).length, 'columns are a fraction of the objects');
  assert.equal(packed.topics.length, new Set(fs.filter((f) => f.topic !== undefined).map((f) => f.topic)).size, 'each topic once');
});

test('a wall clock the short form cannot carry exactly goes as it is', () => {
  const fs = frames().slice(0, 20);
  fs[5] = { ...fs[5], wallMs: 17.0000001 };
  const packed = packFrames(fs);
  assert.ok(packed.wallMs);
  assert.deepStrictEqual(unpackFrames(JSON.parse(JSON.stringify(packed))), toUs(fs));
  assert.deepStrictEqual(unpackFrames(packFrames([])), []);
});

test('over rpc: traceQuery and traceMessagePage results and traceBatch events go packed, callers get frames', async () => {
  const fs = frames();
  const stats = { frames: fs.length } as never;
  const api = {
    traceQuery: async () => ({ frames: fs, matching: fs.length, stats }),
    traceMessagePage: async () => ({ frames: fs.slice(0, 3), nextFromSeq: null }),
    traceStats: async () => stats,
  } as unknown as CoreApi;
  const wire: string[] = [];
  let toClient: (m: Envelope) => void = () => {};
  const client = createClient({
    send: (m) => { void answer(api, JSON.parse(JSON.stringify(m))).then((r) => { if (r) { const text = JSON.stringify(r); wire.push(text); toClient(JSON.parse(text)); } }); },
    onMessage: (h) => { toClient = h; return () => {}; },
  });
  const q = await client.api.traceQuery({});
  assert.deepStrictEqual(q.frames, toUs(fs));
  assert.equal(q.matching, fs.length);
  assert.ok(wire[0].includes('"framesPacked"') && !wire[0].includes('"side"'), 'no frame went as an object');
  assert.deepStrictEqual((await client.api.traceMessagePage({ fromSeq: 0, toSeq: 10, limit: 10 })).frames, toUs(fs.slice(0, 3)));
  const batches: unknown[] = [];
  client.on('traceBatch', (b) => batches.push(b));
  const { packFrameList } = await import('../../shared/contract/frame-columns');
  toClient(JSON.parse(JSON.stringify({ t: 'evt', name: 'traceBatch', payload: packFrameList({ frames: fs, fromSeq: 1000, toSeq: 2000, stats }) })));
  toClient({ t: 'evt', name: 'traceBatch', payload: { frames: [], fromSeq: 2001, toSeq: 2500, stats } });
  assert.deepStrictEqual(batches, [{ frames: toUs(fs), fromSeq: 1000, toSeq: 2000, stats }, { frames: [], fromSeq: 2001, toSeq: 2500, stats }]);
  client.dispose();
});
