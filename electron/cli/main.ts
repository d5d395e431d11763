// `mqscope <command>`: the headless entry points.
import { runWeb } from '../web/main';
import { BROKER_USAGE, runBroker } from './broker-command';
import { printTrace, quietOnEpipe, tracePcap } from './print-command';

const USAGE = `usage: mqscope <command>
  broker   run the embedded broker headless (see mqscope broker --help)
  web      serve the MQScope UI in your browser (loopback, token-guarded)
  print    print a saved trace file one line per packet: mqscope print FILE
  pcap     convert a saved trace for Wireshark: mqscope pcap FILE.mqtrace OUT.pcap
${BROKER_USAGE}`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  quietOnEpipe();
  try {
    if (cmd === 'broker') await runBroker(rest);
    else if (cmd === 'web') await runWeb(rest);
    else if (cmd === 'print') {
      if (!rest[0]) throw new Error('print needs a trace FILE');
      await printTrace(rest[0]);
    } else if (cmd === 'pcap') {
      if (!rest[0] || !rest[1]) throw new Error('pcap needs a trace FILE and an OUT.pcap');
      const n = await tracePcap(rest[0], rest[1]);
      console.log(`wrote ${n} frames to ${rest[1]} (open with Wireshark; decode other ports with "Decode As… MQTT")`);
    } else if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
      console.log(USAGE);
    } else {
      console.error(`mqscope: unknown command "${cmd}"\n${USAGE}`);
      return 2;
    }
    return 0;
  } catch (e) {
    console.error(`mqscope ${cmd}: ${(e as Error).message}`);
    return 1;
  }
}
