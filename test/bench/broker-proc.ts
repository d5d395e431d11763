// A broker in its own process so its CPU can be measured alone: bare aedes (upstream's one writev per
// packet), bare aedes with MQScope's write coalescing (coalesceWrites, as the core runs it: the fair
// baseline for the tap's cost), or MQScope's core (aedes + wire tap + trace store). Talks to the bench
// over the fork IPC channel.
// Three more modes take the core apart (cpu-probe --modes):
// - `core-notap`: the core with no stream tapped (its broker's own rules and guards, nothing recorded);
// - `core-hook`: every stream tapped into a sink that does nothing (the hooks' own cost);
// - `core-copy`: every stream tapped into a ring that keeps each byte once, a fanned-out payload once (the
//   least any tap that keeps every byte can do: no framing, no summaries, no index).
// And `tap-session4`/`tap-session5`: the core with its own session (MQTT 3.1.1 or 5) subscribed to '#' at the
// probe's QoS, as a window's Messages view has it: one more delivery a message, and its client side tapped too.
// Set against `tap` with one more external subscriber (--fanout=N+1), it is what an in-app subscriber costs.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes } from 'aedes';
import { createCore } from '../../electron/core/core';
import { tapStream, type Sink } from '../../electron/core/trace/tap';
import type { WireConnection } from '../../electron/core/trace/wire';

const mode = process.argv[2] as 'bare' | 'bare-coalesce' | 'tap' | 'core-notap' | 'core-copy' | 'core-hook' | 'tap-session4' | 'tap-session5';

/**
 * Sinks that keep each byte once, in a ring of the bench's budget, and nothing else: one for what a connection
 * receives, one for what it sends. A payload of 256 bytes or more that was kept already is not copied again,
 * as the tap does not: the same Buffer written to many subscribers, or a view of the read it arrived in.
 */
function ringSinks(bytes: number): { received: Sink; sent: Sink } {
  const ring = Buffer.allocUnsafeSlow(bytes);
  let at = 0;
  let lastSent: Buffer | null = null;
  let lastRead: Buffer | null = null;
  const keep = (chunk: Buffer, end = chunk.length) => {
    if (at + end > ring.length) at = 0;
    at += chunk.copy(ring, at, 0, end);
  };
  const keepString = (text: string, encoding: BufferEncoding) => {
    const n = Buffer.byteLength(text, encoding);
    if (at + n > ring.length) at = 0;
    at += ring.write(text, at, n, encoding);
  };
  return {
    received: { feed(chunk) { lastRead = chunk; keep(chunk); }, feedString: keepString, feedHeadAndBody: () => false },
    sent: {
      feed(chunk, _ahead, end = -1) {
        if (end >= 0) return keep(chunk, end); // the tap's scratch buffer: copied, never recognised by identity
        if (chunk.length >= 256) {
          if (chunk === lastSent) return;
          lastSent = chunk;
          if (lastRead !== null && chunk.buffer === lastRead.buffer && chunk.byteOffset >= lastRead.byteOffset &&
            chunk.byteOffset + chunk.length <= lastRead.byteOffset + lastRead.length) return;
        }
        keep(chunk);
      },
      feedString: keepString,
      feedHeadAndBody: () => false,
    },
  };
}

let port = 0;
let stats: () => unknown = () => null;
/** Frames the trace has evicted (-1: no trace); cheap, unlike stats(), which reads every frame. */
let evicted: () => number = () => -1;

if (mode === 'bare' || mode === 'bare-coalesce') {
  const aedes = await Aedes.createBroker({ coalesceWrites: mode === 'bare-coalesce' });
  const server = net.createServer({ noDelay: true }, (s) => aedes.handle(s)); // as MQScope's listeners
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
} else {
  const budget = Number(process.argv[3] ?? 4 * 2 ** 30);
  const core = createCore({ dataDir: '/tmp/mqscope-bench', budgetBytes: budget });
  if (mode === 'core-notap' || mode === 'core-copy' || mode === 'core-hook') {
    const nothing: Sink = { feed() {}, feedString() {}, feedHeadAndBody: () => false };
    const sinks = mode === 'core-copy' ? ringSinks(Math.min(budget, 2 ** 30)) : mode === 'core-hook' ? { received: nothing, sent: nothing } : null;
    const open = core.recorder.openConnection.bind(core.recorder);
    core.recorder.openConnection = (info) => {
      const wire: WireConnection = open(info);
      wire.attach = (stream: Duplex) => {
        if (sinks) tapStream(stream, sinks.received, sinks.sent, (reason) => wire.close(reason));
        else stream.once('close', () => wire.close());
      };
      return wire;
    };
  }
  const st = await core.brokerStart({ config: { host: '127.0.0.1', tcpPort: 0, wsPort: null, wsPath: '/mqtt', tls: null, auth: null } });
  port = st.listeners[0].port;
  if (mode.startsWith('tap-session')) {
    // What a window subscribed to everything adds: the core's own session (as the "Local broker" profile opens
    // it) on the same topics as the probe's subscribers, one more delivery a message, and its client side tapped.
    const v = mode === 'tap-session4' ? 4 : 5;
    const s = await core.sessionOpen({ options: { name: 'probe-session', url: `mqtt://127.0.0.1:${port}`, protocolVersion: v, clientId: 'probe-session',
      keepalive: 60, clean: true, connectTimeoutMs: 5000, reconnect: { enabled: false, initialDelayMs: 100, maxDelayMs: 1000, maxTries: 0 } } });
    while ((await core.sessionList()).find((x) => x.id === s.id)?.state !== 'connected') await new Promise((r) => setTimeout(r, 20));
    await core.sessionSubscribe({ id: s.id, subscriptions: [{ topic: '#', qos: Number(process.argv[4] ?? 0) as 0 | 1 | 2 }] });
  }
  stats = () => {
    const store = core.recorder.store;
    let wire = 0;
    for (let s = store.firstSeq; s < store.nextSeq; s++) wire += store.summary(s)!.length;
    return { ...store.stats(), wire, used: store.usedBytes() };
  };
  evicted = () => core.recorder.store.stats().evictedFrames;
  process.on('message', (m: { cmd: string }) => { if (m.cmd === 'clear') void core.traceClear(); });
}

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'cpu') process.send!({ cpu: process.cpuUsage() });
  if (m.cmd === 'stats') process.send!({ stats: stats() });
  if (m.cmd === 'evicted') process.send!({ evicted: evicted() });
  if (m.cmd === 'exit') process.exit(0);
});
process.send!({ port });
