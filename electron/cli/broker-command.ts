// `mqscope broker`: the embedded broker headless, tracing to a file and/or the terminal.
import { parseArgs } from 'node:util';
import { createCore } from '../core/core';
import { TraceFileWriter } from '../core/trace/trace-writer';
import { readBrokerConfigFile } from '../core/broker/config/load';
import type { BrokerConfig } from '../../shared/contract/types';
import { formatFrame } from './format';

export const BROKER_USAGE = `usage: mqscope broker [-c FILE] [-p PORT] [--ws-port PORT|off] [--host HOST] [--trace FILE] [-v]
  -c, --config FILE   read a mosquitto.conf (the subset in the README); -p, --ws-port, --host win over it
  -p, --port PORT     MQTT TCP port (default 1883; 0 = any free port)
  --ws-port PORT      MQTT over WebSocket port, path /mqtt (default 8083; "off" disables)
  --host HOST         address to bind (default 127.0.0.1; 0.0.0.0 exposes the broker to the network)
  --trace FILE        write every frame to FILE (MQScope trace format); a kill loses at most the last 0.5 s
  -v, --verbose       print one line per packet with decoded fields`;

function portArg(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${what} must be 0–65535, got "${v}"`);
  return n;
}

export async function runBroker(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      'ws-port': { type: 'string' },
      host: { type: 'string' },
      trace: { type: 'string' },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) { console.log(BROKER_USAGE); return; }
  const config = await brokerConfigFromArgs(values);
  const core = createCore({ host: 'cli' });
  const writer = values.trace
    ? await TraceFileWriter.create(values.trace, core.recorder, { onError: (m) => console.error(`mqscope broker: ${m}`) })
    : null;
  const status = await core.brokerStart({ config });
  if (status.state !== 'running') {
    await writer?.close();
    await core.dispose();
    throw new Error(status.error ?? 'broker did not start');
  }
  for (const l of status.listeners) console.log(`mqscope broker: listening on ${l.url}`);
  if (writer) console.log(`mqscope broker: tracing to ${values.trace}`);

  let printed = core.recorder.store.nextSeq;
  const store = core.recorder.store;
  const printer = values.verbose ? setInterval(() => {
    if (printed < store.firstSeq) { console.log(`… ${store.firstSeq - printed} frames were evicted before they could be printed`); printed = store.firstSeq; }
    const lines: string[] = [];
    for (; printed < store.nextSeq; printed++) {
      const f = store.summary(printed);
      if (f) lines.push(formatFrame(f, core.recorder.conns.get(f.conn)?.info, store.payloadOf(printed)));
    }
    if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  }, 50) : null;

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  if (printer) clearInterval(printer);
  await core.brokerStop(undefined);
  await writer?.close();
  if (writer) console.log(`mqscope broker: wrote ${writer.written} frames to ${values.trace}${writer.missed ? ` (${writer.missed} evicted before writing)` : ''}`);
  await core.dispose();
}

/** A config error the user must fix before the broker can start (exit code 2). */
export class ConfigError extends Error {
  readonly exitCode = 2;
}

/** The file's settings, then the flags given on the command line on top (flags win). */
export async function brokerConfigFromArgs(values: { config?: string; port?: string; 'ws-port'?: string; host?: string }): Promise<BrokerConfig> {
  const tcpPort = values.port !== undefined ? portArg(values.port, '--port') : undefined;
  const wsPort = values['ws-port'] === undefined ? undefined : values['ws-port'] === 'off' ? null : portArg(values['ws-port'], '--ws-port');
  let config: BrokerConfig = { host: '127.0.0.1', tcpPort: 1883, wsPort: 8083, wsPath: '/mqtt', tls: null, auth: null };
  if (values.config) {
    const r = await readBrokerConfigFile(values.config);
    for (const w of r.warnings) console.error(`mqscope broker: warning: ${w}`);
    if (r.errors.length) throw new ConfigError(`${r.errors.length === 1 ? 'an error' : `${r.errors.length} errors`} in the configuration, the broker was not started:\n  ${r.errors.join('\n  ')}`);
    config = r.config;
  }
  if (values.host !== undefined) config = { ...config, host: values.host };
  if (tcpPort !== undefined) config = { ...config, tcpPort };
  if (wsPort !== undefined) config = { ...config, wsPort };
  return config;
}
