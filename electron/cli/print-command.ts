// `mqscope print FILE`: a saved trace, one line per frame.
import { writeFile } from 'node:fs/promises';
import { exportPcap } from '../core/trace/pcap-export';
import { loadTraceFile } from '../core/trace/trace-load';
import { formatFrame } from './format';

/** The file as the UI opens it: its own frame numbers, connection ids and wall-clock origin. */
const load = loadTraceFile;

/** `mqscope pcap FILE OUT`: a saved trace as pcap for Wireshark. */
export async function tracePcap(file: Buffer, out: string): Promise<number> {
  const { recorder, store, warning } = load(file);
  try {
    await writeFile(out, exportPcap(recorder));
    if (warning) console.error(`warning: ${warning}`);
    return store.stats().frames;
  } finally {
    recorder.dispose();
  }
}

export async function printTrace(file: Buffer): Promise<void> {
  const { recorder, store, warning } = load(file);
  try {
    for (let s = store.firstSeq; s < store.nextSeq; s++) {
      const f = store.summary(s)!;
      console.log(formatFrame(f, recorder.conns.get(f.conn)?.info, store.payloadOf(s)));
    }
    if (warning) console.error(`warning: ${warning}`);
  } finally {
    recorder.dispose();
  }
}
