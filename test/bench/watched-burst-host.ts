// Child process for watched-burst.ts: a core with its embedded broker on a free port. `watched`: a contract
// client's outbox (events encoded as the web host does, sent nowhere; a client that keeps up) and an
// in-app session subscribed to burst/# on the embedded broker, as a window with the Messages view has.
// Otherwise nothing listens (a headless core). Prints the broker's port once ready.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../electron/core/core';
import { ContractOutbox } from '../../electron/core/contract-outbox';

const watched = process.argv.includes('--watched');
const core = createCore({ dataDir: await mkdtemp(join(tmpdir(), 'mqscope-wburst-')) });
const status = await core.brokerStart({ config: { host: '127.0.0.1', tcpPort: 0, wsPort: null, wsPath: '/mqtt', tls: null, auth: null } });
const port = status.listeners.find((l) => l.kind === 'tcp')!.port;
let sentBytes = 0;
if (watched) {
  new ContractOutbox(core.events, { send: (m) => { sentBytes += JSON.stringify(m).length; }, backlog: () => 0 }, { inBurst: () => core.burst.inBurst() });
  const s = await core.sessionOpen({ options: {
    name: 'ui', url: `mqtt://127.0.0.1:${port}`, protocolVersion: 5, clientId: 'ui-session', keepalive: 30, clean: true, connectTimeoutMs: 5000,
    reconnect: { enabled: false, initialDelayMs: 100, maxDelayMs: 1000, maxTries: 0 },
  } });
  for (let i = 0; i < 100 && (await core.sessionList()).find((x) => x.id === s.id)?.state !== 'connected'; i++) await new Promise((r) => setTimeout(r, 50));
  await core.sessionSubscribe({ id: s.id, subscriptions: [{ topic: 'burst/#', qos: 0 }] });
}
console.log(`PORT ${port}`);
process.on('SIGTERM', () => { console.error(`sent ${sentBytes} B of events`); void core.dispose().then(() => process.exit(0)); });
