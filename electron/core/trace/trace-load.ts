// Reading a trace file into a store of its own: the one place that calls the file reader. The store
// keeps the file's frame numbers, connection ids and wall-clock origin, so the UI, `mqscope print`,
// `mqscope pcap` and a pcap export all say the same number and the same time for the same frame. The file
// is read streamed (a path never sits in memory whole) into a new store, so a bad file changes nothing.
import { TraceRecorder } from './recorder';
import type { ImportOptions } from './trace-io';
import { readTraceFile, type TraceSource } from './trace-reader';
import { TraceStore } from './trace-store';

export interface LoadedTraceFile {
  store: TraceStore;
  /** Connection table (closed, never tapped; no batches). */
  recorder: TraceRecorder;
  warning?: string;
}

/** A file's store may hold this much (its frames were bounded by the budget they were captured with). */
const FILE_BUDGET = 2 * 2 ** 30;

export async function loadTraceFile(source: TraceSource, opts: ImportOptions = {}): Promise<LoadedTraceFile> {
  let store: TraceStore | null = null;
  let recorder: TraceRecorder | null = null;
  const conns = new Map<number, ReturnType<TraceRecorder['adopt']>>();
  let renumbered = -1;
  let started = false;
  let originMs = 0;
  const begin = (origin: number) => {
    store = new TraceStore(FILE_BUDGET, origin);
    recorder = new TraceRecorder(store, () => {});
    recorder.wanted = () => false;
    recorder.dispose(); // no batch timer: a file never grows
  };
  const result = await readTraceFile(source, {
    onHeader: (h) => { originMs = h.originMs; begin(h.originMs); },
    onConnection: (info) => {
      const known = conns.get(info.id);
      if (known) Object.assign(known.info, info, { id: known.id });
      else conns.set(info.id, recorder!.adopt(info, true));
    },
    onFrame: (f) => {
      const s = store!;
      let ctx = conns.get(f.conn);
      if (!ctx) {
        ctx = recorder!.adopt({ id: f.conn, side: f.side, transport: 'tcp', remote: '?', local: '?', openedAtMs: originMs }, true);
        conns.set(f.conn, ctx);
      }
      if (!started) { s.startAt(f.seq); started = true; }
      if (renumbered < 0 && f.seq !== s.nextSeq) renumbered = s.nextSeq;
      s.importFrame(ctx, f.s2c, f.kind, f.timeUs, f.bytes, f.note);
    },
    onProgress: opts.onProgress,
    signal: opts.signal,
  });
  if (!store || !recorder) begin(result.originMs);
  const warnings: string[] = result.warning ? [result.warning] : [];
  if (renumbered >= 0) warnings.push(`the file skips frame numbers; frames from #${renumbered} on are numbered consecutively`);
  const loaded = { store: store as unknown as TraceStore, recorder: recorder as unknown as TraceRecorder };
  // A file's store has no batch tick to keep its budget when reads intern topics: intern them all now, as
  // the file is read in, so what it holds is counted (and bounded) before anyone looks.
  loaded.store.internAllTopics();
  const evicted = loaded.store.stats().evictedFrames;
  if (evicted) warnings.push(`the file is larger than its memory budget: ${evicted} oldest frames were not kept`);
  loaded.recorder.flush();
  return { ...loaded, warning: warnings.length ? warnings.join('; ') : undefined };
}
