// The core of `query-bench.ts` in its own process: its broker, its live trace filled with synthetic frames,
// and the contract's traceQuery run on command, so the bench's MQTT client measures round trips from
// outside the loop the queries run on.
import mqttPacket from 'mqtt-packet';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceQuery } from '../../shared/contract/types';
import { createCore } from '../../electron/core/core';
import { Framer } from '../../electron/core/trace/framer';
import type { ConnCtx } from '../../electron/core/trace/trace-store';

const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'mqscope-qbench-')), budgetBytes: 3 * 2 ** 30 });
const st = await core.brokerStart({ config: { host: '127.0.0.1', tcpPort: 0, wsPort: null, wsPath: '/mqtt', tls: null, auth: null } });
const store = core.recorder.store;

// Four imported connections, every packet kind, payloads of ~48 B; one frame in 1,000 carries "overheat".
const ctxs = [1001, 1002, 1003, 1004].map((id): ConnCtx => ({ id, clientSide: id > 1002, version: 5, sawConnect: true, imported: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} }));
const framers = ctxs.flatMap((c) => [new Framer(store, c, false), new Framer(store, c, true)]);
const gen = (p: object) => mqttPacket.generate(p as mqttPacket.Packet, { protocolVersion: 5 });
const packets: Buffer[] = [];
for (let i = 0; i < 40; i++) {
  const qos = i % 3;
  const payload = Buffer.from(`{"c":${20 + i / 10},"line":${i % 4}}`.padEnd(48, ' '));
  packets.push(gen({ cmd: 'publish', topic: `plant/line${i % 4}/${i % 2 ? 'temp' : 'rpm'}`, payload, qos, messageId: qos ? 1 + i : undefined, retain: false, dup: false }));
}
packets.push(gen({ cmd: 'puback', messageId: 7, reasonCode: 0 }), gen({ cmd: 'pingreq' }), gen({ cmd: 'pubrec', messageId: 9, reasonCode: 0 }));
const rare = gen({ cmd: 'publish', topic: 'plant/line2/alarm', payload: Buffer.from('{"fault":"Overheat","line":2}'), qos: 1, messageId: 77, retain: false, dup: false });

function fillTo(frames: number): void {
  for (let i = store.nextSeq - store.firstSeq; i < frames; i++) framers[i % framers.length].feed(i % 1000 === 999 ? rare : packets[(i * 7) % packets.length]);
}

let looping = false;
async function timed(q: TraceQuery): Promise<{ wall: number; cpu: number; matching: number; frames: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = await core.traceQuery(q);
  const d = process.cpuUsage(c);
  return { wall: performance.now() - t, cpu: (d.user + d.system) / 1000, matching: r.matching, frames: r.frames.length };
}

process.on('message', async (m: { cmd: string; frames?: number; q?: TraceQuery }) => {
  if (m.cmd === 'fill') { fillTo(m.frames!); process.send!({ filled: store.nextSeq - store.firstSeq }); }
  if (m.cmd === 'query') process.send!({ result: await timed(m.q!) });
  if (m.cmd === 'loop') {
    // Queries back to back until told to stop, as a user's search box refreshed without pause would.
    looping = true;
    let n = 0;
    while (looping) {
      await core.traceQuery({ ...m.q!, caller: 'bench-loop' }).catch(() => {});
      n++;
      await new Promise((r) => setImmediate(r)); // the next request arrives as a message, as from a page
    }
    process.send!({ looped: n });
  }
  if (m.cmd === 'stop-loop') looping = false;
  if (m.cmd === 'exit') { await core.dispose(); process.exit(0); }
});
process.send!({ port: st.listeners[0].port });
