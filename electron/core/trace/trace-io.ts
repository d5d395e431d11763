// Whole-trace export and import. Import reads the file twice, streamed: once to check every record, then
// to load it; so a bad file changes nothing and memory never holds the file.
import { open } from 'node:fs/promises';
import type { TraceRecorder } from './recorder';
import { encodeConnection, encodeFrame, encodeHeader } from './trace-file';
import { readTraceFile, type TraceReadResult, type TraceSource } from './trace-reader';

export function exportTrace(recorder: TraceRecorder): Buffer {
  const parts: Buffer[] = [];
  for (const part of exportParts(recorder)) parts.push(part);
  return Buffer.concat(parts);
}

/** The current trace as file pieces, oldest frame first (for streaming to a file or an HTTP response). */
export function* exportParts(recorder: TraceRecorder): Generator<Buffer> {
  const store = recorder.store;
  yield encodeHeader(store.originMs);
  for (const c of recorder.connections()) yield encodeConnection(c);
  const end = store.nextSeq;
  for (let s = store.firstSeq; s < end; s++) {
    const r = encodeFrame(store, s);
    if (r) yield r;
  }
}

/** Write the current trace to `path`, in pieces of about 1 MiB. */
export async function writeTraceFile(recorder: TraceRecorder, path: string): Promise<{ frames: number; bytes: number }> {
  const fh = await open(path, 'w');
  let frames = -1 - recorder.connections().length; // header and connection records are not frames
  let bytes = 0;
  try {
    let batch: Buffer[] = [];
    let size = 0;
    for (const part of exportParts(recorder)) {
      batch.push(part);
      size += part.length;
      frames++;
      if (size >= 1 << 20) { await fh.write(Buffer.concat(batch)); bytes += size; batch = []; size = 0; }
    }
    if (size) { await fh.write(Buffer.concat(batch)); bytes += size; }
  } finally {
    await fh.close();
  }
  return { frames, bytes };
}

export interface ImportOptions { onProgress?(read: number, total: number): void; signal?: AbortSignal }

export async function importTrace(recorder: TraceRecorder, source: TraceSource, opts: ImportOptions = {}): Promise<TraceReadResult> {
  // Pass 1 only checks (progress shown as the first half); throws before anything changes.
  const half = (read: number, total: number) => opts.onProgress?.(read / 2, total);
  await readTraceFile(source, { onProgress: half, signal: opts.signal });
  const store = recorder.store;
  store.clear();
  const idMap = new Map<number, ReturnType<typeof recorder.adopt>>();
  let originMs = 0;
  const result = await readTraceFile(source, {
    onHeader: (h) => { originMs = h.originMs; },
    onConnection: (info) => { if (!idMap.has(info.id)) idMap.set(info.id, recorder.adopt(info)); else Object.assign(idMap.get(info.id)!.info, info, { id: idMap.get(info.id)!.id }); },
    onFrame: (f) => {
      let ctx = idMap.get(f.conn);
      if (!ctx) {
        ctx = recorder.adopt({ id: f.conn, side: f.side, transport: 'tcp', remote: '?', local: '?', openedAtMs: originMs });
        idMap.set(f.conn, ctx);
      }
      store.importFrame(ctx, f.s2c, f.kind, f.timeUs, f.bytes, f.note);
    },
    onProgress: (read, total) => opts.onProgress?.(total / 2 + read / 2, total),
    // A cancel during loading leaves a partial trace: the second pass is not cancellable.
  });
  recorder.resetFeed();
  return result;
}
