// The fuzzer behind `npm run fuzz` and the short run in `npm test`. Targets: the framer (in process,
// every split point), the dissector, the trace-file reader, and the embedded broker over real sockets
// with a health client doing QoS 1 round trips the whole time.
import net from 'node:net';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { createCore } from '../../electron/core/core';
import { Framer } from '../../electron/core/trace/framer';
import { TraceRecorder } from '../../electron/core/trace/recorder';
import { TraceFileError } from '../../electron/core/trace/trace-file';
import { exportTrace } from '../../electron/core/trace/trace-io';
import { readTraceFile } from '../../electron/core/trace/trace-reader';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';
import { dissect } from '../../shared/mqtt/dissect';
import { makeInput, seeded, splits, validPacket, type Rng } from './inputs';

export interface Row { target: string; inputs: number; crashes: number; hung: number; rssMaxMiB: number; overshootBytes: number; framesLost: number }
export interface FuzzOptions { seed: number; inputs: number; log?: (s: string) => void }

const MiB = 2 ** 20;
const rss = () => process.memoryUsage.rss() / MiB;
const row = (target: string): Row => ({ target, inputs: 0, crashes: 0, hung: 0, rssMaxMiB: 0, overshootBytes: 0, framesLost: 0 });

function ctx(id: number): ConnCtx {
  return { id, clientSide: false, version: 4, sawConnect: false, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect(level) { this.version = level; } };
}

/** Framer: any split gives frames whose bytes add up to the input (nothing lost, nothing invented). */
function fuzzFramer(r: Rng, n: number, out: Row, crashes: string[]): void {
  const budget = 8 * MiB;
  const store = new TraceStore(budget);
  for (let k = 0; k < n;) {
    const { bytes } = makeInput(r, r() < 0.5 ? 4 : 5);
    // A few inputs back to back on one connection, as a stream would carry them.
    const stream = r() < 0.3 ? Buffer.concat([bytes, makeInput(r, 4).bytes]) : bytes;
    for (const chunks of splits(r, stream)) {
      if (k >= n) break;
      k++;
      out.inputs++;
      const first = store.nextSeq;
      try {
        const f = new Framer(store, ctx(k), false);
        for (let c = 0; c < chunks.length; c++) f.feed(chunks[c], 0);
        f.end();
        let kept = 0;
        let skipped = 0;
        for (let s = Math.max(first, store.firstSeq); s < store.nextSeq; s++) {
          const sum = store.summary(s)!;
          kept += sum.length;
          const m = sum.note ? /its first \d+ bytes are kept, (\d+) are not/.exec(sum.note) : null;
          if (m) skipped += Number(m[1]);
        }
        if (first >= store.firstSeq && kept + skipped !== stream.length) { out.framesLost++; crashes.push(`framer lost bytes: ${stream.toString('hex')}`); }
      } catch (e) {
        out.crashes++;
        crashes.push(`framer: ${(e as Error).stack?.split('\n')[0]} on ${stream.toString('hex').slice(0, 200)}`);
      }
      out.overshootBytes = Math.max(out.overshootBytes, store.bytes - budget);
      if (store.partialBytes !== 0) { out.framesLost++; crashes.push('framer: partial bytes held after end()'); }
    }
  }
}

/** Dissector: never throws, and never reports its own internal error on any input. */
function fuzzDissector(r: Rng, n: number, out: Row, crashes: string[]): void {
  for (let k = 0; k < n; k++) {
    const v = r() < 0.5 ? 4 : 5;
    const { bytes } = makeInput(r, v);
    out.inputs++;
    try {
      const nodes = dissect(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), v);
      if (nodes.some((x) => x.name === 'Dissector error')) { out.crashes++; crashes.push(`dissector internal error on ${bytes.toString('hex')}`); }
    } catch (e) {
      out.crashes++;
      crashes.push(`dissector threw ${(e as Error).message} on ${bytes.toString('hex')}`);
    }
  }
}

/** Trace-file reader: a damaged file is a TraceFileError in words, never a JavaScript error. */
async function fuzzTraceReader(r: Rng, n: number, out: Row, crashes: string[]): Promise<void> {
  const rec = new TraceRecorder(new TraceStore(), () => {});
  const conn = rec.openConnection({ side: 'broker', transport: 'tcp', remote: 'a:1', local: 'b:2' });
  const c = rec.conns.get(conn.id)!;
  for (let k = 0; k < 30; k++) {
    const pk = validPacket(r, 4);
    const pos = rec.store.reserve(pk.length);
    pk.copy(rec.store.bufferAt(pos), rec.store.offsetAt(pos));
    rec.store.commitPacket(c, r() < 0.5, pos, pk.length, 2);
  }
  conn.close();
  const good = exportTrace(rec);
  rec.dispose();
  for (let k = 0; k < n; k++) {
    const b = Buffer.from(good);
    let file: Buffer = b;
    const how = r();
    if (how < 0.5) for (let j = 0, m = 1 + Math.floor(r() * 3); j < m; j++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    else if (how < 0.7) file = b.subarray(0, Math.floor(r() * b.length));
    else if (how < 0.85) { const at = Math.floor(r() * b.length); file = Buffer.concat([b.subarray(0, at), Buffer.alloc(1 + Math.floor(r() * 9), Math.floor(r() * 256)), b.subarray(at)]); }
    else { const v1 = Buffer.from(b); v1.writeUInt16BE(Math.floor(r() * 4), 8); file = v1; }
    out.inputs++;
    try {
      await readTraceFile(file, { onFrame: () => {} });
    } catch (e) {
      if (!(e instanceof TraceFileError)) { out.crashes++; crashes.push(`trace reader: ${(e as Error).stack?.split('\n').slice(0, 2).join(' ')}`); }
    }
  }
}

/** The broker over real sockets: fuzz connections, each closed by us or (stalled) by the broker. */
async function fuzzBroker(r: Rng, n: number, out: Row, crashes: string[], log: (s: string) => void): Promise<void> {
  const budget = 16 * MiB;
  const core = createCore({ dataDir: '/nonexistent-fuzz', budgetBytes: budget });
  const st = await core.brokerStart({ config: { host: '127.0.0.1', tcpPort: 0, wsPort: null, wsPath: '/mqtt', tls: null, auth: null, inactivityTimeoutSec: 0.5 } });
  const port = st.listeners[0].port;
  const store = core.recorder.store;
  const sampler = setInterval(() => {
    out.rssMaxMiB = Math.max(out.rssMaxMiB, rss());
    out.overshootBytes = Math.max(out.overshootBytes, store.bytes - budget);
  }, 50);
  // The health client: QoS 1 to itself all along; each message must arrive and be in the trace.
  const health = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'fuzz-health', reconnectPeriod: 0, protocolVersion: 5 });
  await health.subscribeAsync('health/#', { qos: 1 });
  const waiting = new Map<string, NodeJS.Timeout>();
  let healthSent = 0, healthOk = 0;
  health.on('message', (_t, payload) => {
    const id = payload.toString();
    const t = waiting.get(id);
    if (!t) return;
    clearTimeout(t);
    waiting.delete(id);
    healthOk++;
    // In the trace: the PUBLISH from the health client (c2s on the broker side).
    let found = false;
    for (let s = store.nextSeq - 1; s >= Math.max(store.firstSeq, store.nextSeq - 20000) && !found; s--) {
      const p = store.payloadOf(s);
      found = p !== null && p.length === payload.length && p.equals(payload);
    }
    if (!found) out.framesLost++;
  });
  const healthTimer = setInterval(() => {
    const id = `h${healthSent++}`;
    waiting.set(id, setTimeout(() => { waiting.delete(id); out.framesLost++; crashes.push(`health message ${id} not delivered within 10 s`); }, 10_000));
    health.publish(`health/${id}`, id, { qos: 1 });
  }, 20);

  let sent = 0;
  const oneConnection = async (): Promise<void> => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.on('data', () => {});
    await new Promise<void>((ok) => { s.once('connect', ok); s.once('close', ok); });
    const v = r() < 0.5 ? 4 : 5;
    const pieces: Buffer[] = [];
    if (r() < 0.8) pieces.push(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: v, clientId: `fz${Math.floor(r() * 1e6)}`, clean: true, keepalive: 0 } as mqttPacket.Packet, { protocolVersion: v }));
    const m = 1 + Math.floor(r() * 20);
    for (let k = 0; k < m && sent < n; k++, sent++) { pieces.push(makeInput(r, v).bytes); out.inputs++; }
    const stream = Buffer.concat(pieces);
    for (let i = 0; i < stream.length && !s.destroyed;) {
      const len = 1 + Math.floor(r() * 200);
      s.write(stream.subarray(i, i + len));
      i += len;
      if (r() < 0.2) await new Promise((ok) => setImmediate(ok));
    }
    const stall = r() < 0.3; // leave it open: the broker's inactivity limit must close a stalled partial
    if (!stall) s.end();
    const closed = await Promise.race([
      new Promise<boolean>((ok) => (s.closed ? ok(true) : s.once('close', () => ok(true)))),
      new Promise<boolean>((ok) => setTimeout(() => ok(false), 6000).unref()),
    ]);
    // A stalled but complete keepalive-0 session is allowed to stay; anything else left open is hung.
    if (!closed) {
      // Ports are reused over thousands of connections: the open record with this port is ours.
      const rec = [...core.recorder.conns.values()].find((c) => c.info.closedAtMs === undefined && c.info.remote.endsWith(`:${s.localPort}`));
      const fine = stall && rec?.sawConnect && rec.partialSinceMs === undefined;
      if (!fine) { out.hung++; crashes.push(`broker left a connection open (${rec ? `CONNECT ${rec.sawConnect ? 'seen' : 'not seen'}, unfinished packet ${rec.partialSinceMs === undefined ? 'none' : 'held'}` : 'no record'}): ${stream.toString('hex')}`); }
      s.destroy();
    }
  };
  const workers = Array.from({ length: 32 }, async () => { while (sent < n) await oneConnection(); });
  let last = 0;
  const progress = setInterval(() => { if (sent - last >= 20000) { last = sent; log(`  broker: ${sent} inputs, RSS ${rss().toFixed(0)} MiB`); } }, 1000);
  await Promise.all(workers);
  clearInterval(progress);
  clearInterval(healthTimer);
  await new Promise<void>((ok) => { const t = setInterval(() => { if (waiting.size === 0) { clearInterval(t); ok(); } }, 50); });
  clearInterval(sampler);
  if (healthSent !== healthOk) out.framesLost += 0; // counted per message above
  log(`  health: ${healthOk}/${healthSent} round trips`);
  await health.endAsync();
  await core.dispose();
}

export async function runFuzz(opts: FuzzOptions): Promise<{ rows: Row[]; problems: string[] }> {
  const log = opts.log ?? (() => {});
  const r = seeded(opts.seed);
  const problems: string[] = [];
  const onCrash = (e: unknown) => { problems.push(`process-level: ${(e as Error)?.stack ?? String(e)}`); };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const share = { framer: 0.4, dissector: 0.4, reader: 0.1, broker: 0.1 };
  const rows = [row('framer'), row('dissector'), row('trace reader'), row('broker (sockets)')];
  try {
    for (const [i, fn] of [
      () => fuzzFramer(r, Math.round(opts.inputs * share.framer), rows[0], problems),
      () => fuzzDissector(r, Math.round(opts.inputs * share.dissector), rows[1], problems),
      () => fuzzTraceReader(r, Math.round(opts.inputs * share.reader), rows[2], problems),
      () => fuzzBroker(r, Math.round(opts.inputs * share.broker), rows[3], problems, log),
    ].entries()) {
      const rss0 = rss();
      await fn();
      rows[i].rssMaxMiB = Math.max(rows[i].rssMaxMiB, rss0, rss());
      rows[i].overshootBytes = Math.max(0, rows[i].overshootBytes);
      log(`${rows[i].target}: ${rows[i].inputs} inputs done`);
    }
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
  for (const p of problems) if (p.startsWith('process-level')) rows[3].crashes++;
  return { rows, problems };
}

export function table(rows: Row[]): string {
  const head = ['target', 'inputs', 'crashes', 'hung conns', 'RSS max (MiB)', 'budget overshoot (B)', 'frames lost'];
  const lines = rows.map((x) => [x.target, x.inputs.toLocaleString('en'), x.crashes, x.hung, x.rssMaxMiB.toFixed(0), x.overshootBytes, x.framesLost].map(String));
  const w = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [fmt(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...lines.map(fmt)].join('\n');
}
