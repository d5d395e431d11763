// `mqscope print FILE`: a saved trace, one line per frame.
import { stat, writeFile } from 'node:fs/promises';
import { readTraceFile } from '../core/trace/trace-reader';
import { exportPcap } from '../core/trace/pcap-export';
import { TraceRecorder } from '../core/trace/recorder';
import { importTrace } from '../core/trace/trace-io';
import { TraceStore } from '../core/trace/trace-store';
import { formatFrame } from './format';

async function load(file: string): Promise<{ recorder: TraceRecorder; store: TraceStore; warning?: string }> {
  const size = await stat(file).then((s) => s.size, () => 0);
  const store = new TraceStore(Math.max(64 * 2 ** 20, size * 4));
  const recorder = new TraceRecorder(store, () => {});
  try {
    return { recorder, store, warning: (await importTrace(recorder, file)).warning };
  } catch (e) {
    recorder.dispose();
    throw e;
  }
}

/** `mqscope pcap FILE OUT`: a saved trace as pcap for Wireshark. */
export async function tracePcap(file: string, out: string): Promise<number> {
  const { recorder, store, warning } = await load(file);
  try {
    await writeFile(out, exportPcap(recorder));
    if (warning) console.error(`warning: ${warning}`);
    return store.stats().frames;
  } finally {
    recorder.dispose();
  }
}

/**
 * One line per frame, streamed: records go to stdout as they are read (no store, no whole-file read).
 * Lines are written through `out`, which resolves false once the reader of stdout has gone (EPIPE).
 */
export async function printTrace(file: string, out: (line: string) => boolean = writeLine): Promise<void> {
  const store = new TraceStore(64 * 2 ** 20);
  const recorder = new TraceRecorder(store, () => {});
  const stop = new AbortController();
  try {
    const ids = new Map<number, ReturnType<TraceRecorder['adopt']>>();
    let originMs = 0;
    const r = await readTraceFile(file, {
      signal: stop.signal,
      onHeader: (h) => { originMs = h.originMs; },
      onConnection: (c) => { if (!ids.has(c.id)) ids.set(c.id, recorder.adopt(c)); else Object.assign(ids.get(c.id)!.info, c, { id: ids.get(c.id)!.id }); },
      onFrame: (f) => {
        if (stop.signal.aborted) return;
        let ctx = ids.get(f.conn);
        if (!ctx) { ctx = recorder.adopt({ id: f.conn, side: f.side, transport: 'tcp', remote: '?', local: '?', openedAtMs: originMs }); ids.set(f.conn, ctx); }
        // One frame at a time through a small store: the same summary and payload view the UI shows.
        const seq = store.importFrame(ctx, f.s2c, f.kind, f.timeUs, f.bytes, f.note);
        const s = store.summary(seq)!;
        if (!out(formatFrame(s, ctx.info, store.payloadOf(seq)))) stop.abort();
        if (store.stats().frames > 4096) store.clear();
      },
    }).catch((e) => { if (stop.signal.aborted) return null; throw e; });
    if (r?.warning) console.error(`warning: ${r.warning}`);
  } finally {
    recorder.dispose();
  }
}

function writeLine(line: string): boolean {
  if (stdoutGone) return false;
  process.stdout.write(line + '\n');
  return !stdoutGone;
}

let stdoutGone = false;
/** `mqscope print | head`: the reader leaving is not an error; stop quietly (every command shares stdout). */
export function quietOnEpipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') { stdoutGone = true; return; }
    throw e;
  });
}
