// `mqscope broker`: the embedded broker headless, tracing to a file and/or the terminal.
import { parseArgs } from 'node:util';
import { createCore } from '../core/core';
import { TraceFileWriter } from '../core/trace/trace-writer';
import { formatFrame } from './format';

export const BROKER_USAGE = `usage: mqscope broker [-p PORT] [--ws-port PORT|off] [--host HOST] [--trace FILE] [-v]
  -p, --port PORT     MQTT TCP port (default 1883; 0 = any free port)
  --ws-port PORT      MQTT over WebSocket port, path /mqtt (default 8083; "off" disables)
  --host HOST         address to bind (default 127.0.0.1; 0.0.0.0 exposes the broker to the network)
  --trace FILE        write every frame to FILE (MQScope trace format), flushed every 0.5 s
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
      port: { type: 'string', short: 'p', default: '1883' },
      'ws-port': { type: 'string', default: '8083' },
      host: { type: 'string', default: '127.0.0.1' },
      trace: { type: 'string' },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) { console.log(BROKER_USAGE); return; }
  const tcpPort = portArg(values.port!, '--port');
  const wsPort = values['ws-port'] === 'off' ? null : portArg(values['ws-port']!, '--ws-port');
  const core = createCore({ host: 'cli' });
  const writer = values.trace ? await TraceFileWriter.create(values.trace, core.recorder) : null;
  const status = await core.brokerStart({ config: { host: values.host!, tcpPort, wsPort, wsPath: '/mqtt', tls: null, auth: null } });
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
