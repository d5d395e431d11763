// A page that stops reading does not make the core queue without bound: while it is stalled, trace batches
// become one notice ("N more since seq S") instead of summaries, the bytes waiting for it stay near the
// outbox's high-water mark, and once it reads again the notice plus what it pages tell it about every frame.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { createClient, type Envelope, type Transport } from '../../shared/contract/rpc';
import type { TraceBatch } from '../../shared/contract/types';
import { startWebHost, type WebHost } from '../../electron/web/host';
import { waitFor } from '../support/wait';

const HIGH_WATER = 64 * 1024;
const N = 20_000;
let host: WebHost;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqscope-outbox-'));
  host = await startWebHost({ port: 0, dataDir: dir, outbox: { highWaterBytes: HIGH_WATER, retryMs: 10 } });
});
after(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

test('a stalled page gets a bounded backlog and a gap notice; after it reads again nothing is missing', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` });
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  const transport: Transport = {
    send: (m: Envelope) => ws.send(JSON.stringify(m)),
    onMessage: (h) => { const l = (d: WebSocket.RawData) => h(JSON.parse(d.toString())); ws.on('message', l); return () => ws.off('message', l); },
  };
  const client = createClient(transport);
  const batches: TraceBatch[] = [];
  client.on('traceBatch', (b) => batches.push(b));
  const pub = await (async () => {
    const st = await client.api.brokerStart({ config: { host: '127.0.0.1', tcpPort: 0, wsPort: null, wsPath: '/mqtt', tls: null, auth: null } });
    return mqtt.connectAsync(`mqtt://127.0.0.1:${st.listeners[0].port}`, { clientId: 'outbox-pub', protocolVersion: 4 });
  })();
  try {
    ws.pause(); // the page stops reading
    let maxBacklog = 0;
    // Long topics, each its own, make each summary ~1 KiB even as columns (a batch sends a topic once), so
    // the stalled page's kernel buffers (a few MB on loopback) take only a small part of them.
    const topic = `stall/${'t'.repeat(1000)}/`;
    for (let i = 0; i < N; i++) {
      pub.publish(topic + i, 'x', { qos: 0 });
      if (i % 500 === 0) { await new Promise((r) => setTimeout(r, 5)); maxBacklog = Math.max(maxBacklog, ...host.backlogs()); }
    }
    await new Promise<void>((r) => pub.end(false, {}, () => r()));
    await waitFor(async () => (await host.core.traceStats()).frames >= N);
    // Let several batch ticks pass while still stalled.
    for (let k = 0; k < 10; k++) { await new Promise((r) => setTimeout(r, 40)); maxBacklog = Math.max(maxBacklog, ...host.backlogs()); }
    const end = (await host.core.traceStats()).nextSeq;
    // Without the outbox ~N summaries (≥ 20 MB of JSON) would wait here; with it, the high-water mark plus
    // at most one batch (≤ 2000 summaries, ~2 MB here) and small events.
    assert.ok(maxBacklog < HIGH_WATER + 3 * 1024 * 1024, `backlog stayed bounded: ${maxBacklog} bytes`);

    ws.resume();
    await waitFor(() => batches.length > 0 && batches[batches.length - 1].toSeq >= end - 1, { timeoutMs: 20_000 });
    const notices = batches.filter((b) => b.frames.length === 0 && b.toSeq >= b.fromSeq);
    assert.ok(notices.length >= 1, 'a notice said how many frames were not pushed');
    const pushed = batches.reduce((n, b) => n + b.frames.length, 0);
    assert.ok(pushed < end / 2, `most summaries were not pushed (${pushed} of ${end})`);
    // The batches' ranges tile the trace: no frame falls between two of them.
    const sorted = batches.slice().sort((a, b) => a.fromSeq - b.fromSeq);
    for (let i = 1; i < sorted.length; i++) assert.equal(sorted[i].fromSeq, sorted[i - 1].toSeq + 1, `no hole before seq ${sorted[i].fromSeq}`);
    // What a notice stands for can be paged, frame for frame.
    let paged = 0;
    for (const n of notices) {
      for (let s = n.fromSeq; s <= n.toSeq;) {
        const r = await client.api.traceQuery({ fromSeq: s, toSeq: n.toSeq, limit: 5000 });
        assert.ok(r.frames.length > 0);
        r.frames.forEach((f, i) => assert.equal(f.seq, s + i));
        paged += r.frames.length;
        s += r.frames.length;
      }
    }
    assert.equal(paged, notices.reduce((n, b) => n + b.toSeq - b.fromSeq + 1, 0));
  } finally {
    client.dispose();
    ws.close();
  }
});
