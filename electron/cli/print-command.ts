// `mqscope print FILE`: a saved trace, one line per frame.
import { writeFile } from 'node:fs/promises';
import { exportPcap } from '../core/trace/pcap-export';
import { TraceRecorder } from '../core/trace/recorder';
import { importTrace } from '../core/trace/trace-io';
import { TraceStore } from '../core/trace/trace-store';
import { formatFrame } from './format';

/** A saved trace in a store of its own (the caller disposes the recorder). */
export function loadTrace(file: Buffer): { recorder: TraceRecorder; store: TraceStore; warning?: string } {
  const store = new TraceStore(Math.max(64 * 2 ** 20, file.length * 4));
  const recorder = new TraceRecorder(store, () => {});
  try {
    return { recorder, store, warning: importTrace(recorder, file).warning };
  } catch (e) {
    recorder.dispose();
    throw e;
  }
}

/** `mqscope pcap FILE OUT`: a saved trace as pcap for Wireshark. */
export async function tracePcap(file: Buffer, out: string): Promise<number> {
  const { recorder, store, warning } = loadTrace(file);
  try {
    await writeFile(out, exportPcap(recorder));
    if (warning) console.error(`warning: ${warning}`);
    return store.stats().frames;
  } finally {
    recorder.dispose();
  }
}

export async function printTrace(file: Buffer): Promise<void> {
  const { recorder, store, warning } = loadTrace(file);
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
