// Child process for the burst bench: the web host with its own core, broker on a free port. Prints its URL.
// BURST_STATIC=dir serves another renderer build (A/B of the page against an older commit's dist/renderer); without
// it the bench runs `mqscope web` (the compiled bundle) instead of this file.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebHost } from '../../electron/web/host';

const host = await startWebHost({ port: 0, dataDir: await mkdtemp(join(tmpdir(), 'mqscope-burst-')), brokerDefaults: { tcpPort: 0, wsPort: null },
  staticDir: process.env.BURST_STATIC || undefined });
console.log(`URL ${host.url}`);
process.on('SIGTERM', () => { void host.close().then(() => process.exit(0)); });
process.on('SIGINT', () => { void host.close().then(() => process.exit(0)); });
