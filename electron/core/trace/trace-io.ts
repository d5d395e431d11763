// Whole-trace export, as one buffer or as pieces streamed to a file or an HTTP response. (Opening a file
// is trace-load.ts: a document of its own, read streamed.)
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { TraceRecorder } from './recorder';
import { encodeConnection, encodeFrame, encodeHeader } from './trace-file';

export function exportTrace(recorder: TraceRecorder): Buffer {
  const parts: Buffer[] = [];
  for (const part of exportParts(recorder)) parts.push(part);
  return Buffer.concat(parts);
}

/**
 * The current trace as file pieces, oldest frame first (for streaming to a file or an HTTP response).
 * A live capture keeps recording while the pieces are written: frames the budget evicts before their turn
 * cannot be written, and are counted in `skipped.evicted` so the caller can say so.
 */
export function* exportParts(recorder: TraceRecorder, skipped: { evicted: number } = { evicted: 0 }): Generator<Buffer> {
  const store = recorder.store;
  yield encodeHeader(store.originMs);
  for (const c of recorder.connections()) yield encodeConnection(c);
  const end = store.nextSeq;
  for (let s = store.firstSeq; s < end; s++) {
    const r = encodeFrame(store, s);
    if (r) yield r;
    else if (s < store.firstSeq) skipped.evicted++;
  }
}

export interface WriteOptions {
  /** Frames written so far, of the frames held when the write began. */
  onProgress?(frames: number, total: number): void;
  signal?: AbortSignal;
}

/** The write was stopped through its signal; the file at the path was not touched. */
export class TraceWriteCancelled extends Error {
  constructor() { super('saving the trace file was cancelled'); }
}

/**
 * Write the current trace to `path`, in pieces of about 1 MiB. The pieces go to a temporary file beside it,
 * renamed over `path` only when all is written: a failed or cancelled save leaves what was there before.
 */
export async function writeTraceFile(recorder: TraceRecorder, path: string, opts: WriteOptions = {}): Promise<{ frames: number; bytes: number; evicted: number }> {
  // Header and connection records are not frames.
  return writeFramesBeside(recorder, path, (skipped) => exportParts(recorder, skipped), 1 + recorder.connections().length, opts);
}

/**
 * Write a frame export's parts (`leading` parts that are not frames, then one per frame) to `path` through a
 * temporary file, ~1 MiB per write: the broker runs between writes, and frames evicted before their turn are
 * counted (`skipped.evicted`); `skipped.events` counts frames a format has no record for.
 */
export async function writeFramesBeside(
  recorder: TraceRecorder, path: string, parts: (skipped: { evicted: number; events: number }) => Iterable<Buffer>, leading: number, opts: WriteOptions = {},
): Promise<{ frames: number; bytes: number; evicted: number }> {
  const store = recorder.store;
  return writeBeside(path, async (fh) => {
    // Counted once the file is open, in the same turn as the pieces start: frames recorded while it was
    // opening are part of this save, so "done" never passes "total".
    const total = store.nextSeq - store.firstSeq;
    const skipped = { evicted: 0, events: 0 };
    let frames = -leading;
    let bytes = 0;
    let batch: Buffer[] = [];
    let size = 0;
    const out = async () => {
      if (opts.signal?.aborted) throw new TraceWriteCancelled();
      await fh.write(Buffer.concat(batch));
      bytes += size;
      batch = [];
      size = 0;
      opts.onProgress?.(Math.max(0, frames + skipped.evicted + skipped.events), total);
    };
    for (const part of parts(skipped)) {
      batch.push(part);
      size += part.length;
      frames++;
      if (size >= 1 << 20) await out();
    }
    if (size) await out();
    return { frames, bytes, evicted: skipped.evicted };
  });
}

/** Write through a temporary file in the same folder, renamed to `path` on success, removed otherwise. */
export async function writeBeside<T>(path: string, write: (fh: FileHandle) => Promise<T>): Promise<T> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.part`);
  let fh: FileHandle;
  try {
    fh = await open(tmp, 'wx');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const where = dirname(path);
    throw new Error(code === 'ENOENT' ? `cannot write ${path}: there is no folder ${where}`
      : code === 'EACCES' || code === 'EPERM' ? `cannot write ${path}: no permission to write in ${where}`
        : code === 'EROFS' ? `cannot write ${path}: ${where} is read-only` : `cannot write ${path}: ${code ?? (e as Error).message}`);
  }
  let done = false;
  try {
    const r = await write(fh);
    await fh.close();
    done = true;
    await rename(tmp, path);
    return r;
  } finally {
    if (!done) await fh.close().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
  }
}

export interface ImportOptions { onProgress?(read: number, total: number): void; signal?: AbortSignal }
