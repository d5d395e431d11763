// `mqscope print FILE`: a saved trace, one line per frame.
import { TraceRecorder } from '../core/trace/recorder';
import { importTrace } from '../core/trace/trace-io';
import { TraceStore } from '../core/trace/trace-store';
import { formatFrame } from './format';

export async function printTrace(file: Buffer): Promise<void> {
  const store = new TraceStore(Math.max(64 * 2 ** 20, file.length * 4));
  const recorder = new TraceRecorder(store, () => {});
  try {
    const { warning } = importTrace(recorder, file);
    for (let s = store.firstSeq; s < store.nextSeq; s++) {
      const f = store.summary(s)!;
      console.log(formatFrame(f, recorder.conns.get(f.conn)?.info, store.payloadOf(s)));
    }
    if (warning) console.error(`warning: ${warning}`);
  } finally {
    recorder.dispose();
  }
}
