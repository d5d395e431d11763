// `npm run web` / `mqscope web`: the full UI in a browser, backed by a headless core.
import { parseArgs } from 'node:util';
import { startWebHost } from './host';

export async function runWeb(argv: string[], intro?: string): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', short: 'p', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      // Where profiles, saved traces and settings live (default: the app's own data folder); a second
      // instance, or a run that must not touch saved profiles, names its own.
      'data-dir': { type: 'string' },
      // The TCP port the embedded broker offers when started from the UI (default 1883).
      'broker-port': { type: 'string' },
    },
    allowPositionals: false,
  });
  const portOf = (name: string, text: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 65535 || text.trim() === '') throw new Error(`--${name} must be 0–65535, got ${text}`);
    return n;
  };
  const port = portOf('port', values.port!);
  const brokerPort = values['broker-port'] === undefined ? undefined : portOf('broker-port', values['broker-port']);
  const host = await startWebHost({
    port, host: values.host, dataDir: values['data-dir'],
    ...(brokerPort === undefined ? {} : { brokerDefaults: { tcpPort: brokerPort } }),
  });
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
