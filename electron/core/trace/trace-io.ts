// Whole-trace export, as one buffer or as pieces streamed to a file or an HTTP response. (Opening a file
// is trace-load.ts: a document of its own, read streamed.)
import { open } from 'node:fs/promises';
import type { TraceRecorder } from './recorder';
import { encodeConnection, encodeFrame, encodeHeader } from './trace-file';

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
