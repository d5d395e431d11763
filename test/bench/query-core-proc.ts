// The core of `query-bench.ts` in its own process: its broker, its live trace filled with synthetic frames,
// and the contract's traceQuery run on command, so the bench's MQTT client measures round trips from
// outside the loop the queries run on.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceQuery } from '../../shared/contract/types';
import { createCore } from '../../electron/core/core';
import { syntheticTrace } from './synthetic-trace';

const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'mqscope-qbench-')), budgetBytes: 3 * 2 ** 30 });
const st = await core.brokerStart({ config: { host: '127.0.0.1', tcpPort: 0, wsPort: null, wsPath: '/mqtt', tls: null, auth: null } });
const store = core.recorder.store;
const fillTo = syntheticTrace(store);

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
