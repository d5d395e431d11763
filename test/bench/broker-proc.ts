// A broker in its own process so its CPU can be measured alone: bare aedes (upstream's one writev per
// packet), bare aedes with MQScope's write coalescing (coalesceWrites, as the core runs it: the fair
// baseline for the tap's cost), or MQScope's core (aedes + wire tap + trace store). Talks to the bench
// over the fork IPC channel.
import net from 'node:net';
import { Aedes } from 'aedes';
import { createCore } from '../../electron/core/core';

const mode = process.argv[2] as 'bare' | 'bare-coalesce' | 'tap';
let port = 0;
let stats: () => unknown = () => null;

if (mode === 'bare' || mode === 'bare-coalesce') {
  const aedes = await Aedes.createBroker({ coalesceWrites: mode === 'bare-coalesce' });
  const server = net.createServer({ noDelay: true }, (s) => aedes.handle(s)); // as MQScope's listeners
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
} else {
  const core = createCore({ dataDir: '/tmp/mqscope-bench', budgetBytes: Number(process.argv[3] ?? 4 * 2 ** 30) });
  const st = await core.brokerStart({ config: { host: '127.0.0.1', tcpPort: 0, wsPort: null, wsPath: '/mqtt', tls: null, auth: null } });
  port = st.listeners[0].port;
  stats = () => {
    const store = core.recorder.store;
    let wire = 0;
    for (let s = store.firstSeq; s < store.nextSeq; s++) wire += store.summary(s)!.length;
    return { ...store.stats(), wire, used: store.usedBytes() };
  };
  process.on('message', (m: { cmd: string }) => { if (m.cmd === 'clear') void core.traceClear(); });
}

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'cpu') process.send!({ cpu: process.cpuUsage() });
  if (m.cmd === 'stats') process.send!({ stats: stats() });
  if (m.cmd === 'exit') process.exit(0);
});
process.send!({ port });
