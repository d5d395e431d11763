// Reading a trace file into a store of its own: the one place that calls the file reader. The store
// keeps the file's frame numbers, connection ids and wall-clock origin, so the UI, `mqscope print`,
// `mqscope pcap` and a pcap export all say the same number and the same time for the same frame.
import { TraceRecorder } from './recorder';
import { decodeTrace } from './trace-file';
import { TraceStore } from './trace-store';

export interface LoadedTraceFile {
  store: TraceStore;
  /** Connection table (closed, never tapped; no batches). */
  recorder: TraceRecorder;
  warning?: string;
}

export function loadTraceFile(file: Buffer): LoadedTraceFile {
  const loaded = decodeTrace(file); // throws TraceFileError before anything is built
  const store = new TraceStore(Math.max(64 * 2 ** 20, file.length * 4), loaded.originMs);
  const recorder = new TraceRecorder(store, () => {});
  recorder.wanted = () => false;
  recorder.dispose(); // no batch timer: a file never grows
  const warnings: string[] = loaded.warning ? [loaded.warning] : [];
  const first = loaded.frames[0];
  if (first) store.startAt(first.seq);
  const conns = new Map<number, ReturnType<typeof recorder.adopt>>();
  for (const info of loaded.connections.values()) conns.set(info.id, recorder.adopt(info, true));
  let renumbered = -1;
  for (const f of loaded.frames) {
    let ctx = conns.get(f.conn);
    if (!ctx) {
      ctx = recorder.adopt({ id: f.conn, side: f.side, transport: 'tcp', remote: '?', local: '?', openedAtMs: loaded.originMs }, true);
      conns.set(f.conn, ctx);
    }
    if (renumbered < 0 && f.seq !== store.nextSeq) renumbered = store.nextSeq;
    store.importFrame(ctx, f.s2c, f.kind, f.timeUs, f.bytes, f.note);
  }
  if (renumbered >= 0) warnings.push(`the file skips frame numbers; frames from #${renumbered} on are numbered consecutively`);
  if (store.stats().evictedFrames) warnings.push(`the file is larger than its memory budget: ${store.stats().evictedFrames} oldest frames were not kept`);
  recorder.flush();
  return { store, recorder, warning: warnings.length ? warnings.join('; ') : undefined };
}
