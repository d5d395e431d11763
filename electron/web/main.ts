// `npm run web` / `mqscope web`: the full UI in a browser, backed by a headless core.
import { parseArgs } from 'node:util';
import { startWebHost } from './host';

export async function runWeb(argv: string[], intro?: string): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string', short: 'p', default: '0' }, host: { type: 'string', default: '127.0.0.1' } },
    allowPositionals: false,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${values.port}`);
  const host = await startWebHost({ port, host: values.host });
  const info = await host.core.hostInfo(undefined);
  if (intro) console.log(intro);
  console.log(`MQScope web UI: ${host.url}`);
  console.log(`(only this URL, with its token, can use the UI; data in ${info.dataDir}; Ctrl-C stops)`);
  const stop = async () => { await host.close(); process.exit(0); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runWeb(process.argv.slice(2)).catch((e) => { console.error(`mqscope web: ${(e as Error).message}`); process.exit(1); });
}
