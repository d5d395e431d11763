// `mqscope <command>`: the headless entry points.
import { readFile } from 'node:fs/promises';
import { BROKER_USAGE, runBroker } from './broker-command';
import { quietOnClosedPipe, UsageError } from './output';
import { DECODE_USAGE, decodeTrace, printTrace, tracePcap } from './print-command';
import { FLOWS_USAGE, runFlows } from './flows-command';

const USAGE = `usage: mqscope <command>
  broker   run the embedded broker headless (see mqscope broker --help)
  web      serve the MQScope UI in your browser (loopback, token-guarded): [-p PORT] [--host H] [--data-dir DIR] [--broker-port N]
  print    print a saved trace one line per packet: mqscope print FILE [--filter EXPR]
  decode   every decoded field of every frame: mqscope decode FILE [--filter EXPR] [--json]
  pcap     convert a saved trace for Wireshark: mqscope pcap FILE.mqtrace OUT.pcap
  flows    the QoS flows and message journeys of a saved trace
${BROKER_USAGE}
${DECODE_USAGE}
${FLOWS_USAGE}`;

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const [cmd, ...rest] = argv;
  try {
    if (cmd === 'broker') await runBroker(rest);
    else if (cmd === 'web') await (await import('../web/main')).runWeb(rest); // loaded on demand: the broker starts faster without zod and the host
    else if (cmd === 'flows') await runFlows(rest);
    else if (cmd === 'print') await printTrace(rest);
    else if (cmd === 'decode') await decodeTrace(rest);
    else if (cmd === 'pcap') {
      if (!rest[0] || !rest[1]) throw new UsageError('pcap needs a trace FILE and an OUT.pcap');
      const n = await tracePcap(await readFile(rest[0]).catch((e) => { throw new UsageError(`cannot read ${rest[0]}: ${e.code ?? e.message}`); }), rest[1]);
      console.log(`wrote ${n} frames to ${rest[1]} (open with Wireshark; decode other ports with "Decode As… MQTT")`);
    } else if (cmd === '-h' || cmd === '--help' || cmd === 'help') {
      console.log(USAGE);
    } else if (cmd === undefined) {
      console.error(USAGE);
      return 2;
    } else {
      console.error(`mqscope: unknown command "${cmd}"\n${USAGE}`);
      return 2;
    }
    return 0;
  } catch (e) {
    console.error(`mqscope ${cmd}: ${(e as Error).message}`);
    return (e as { exitCode?: number }).exitCode ?? 1;
  }
}
