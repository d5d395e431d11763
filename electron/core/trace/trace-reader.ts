// Reads a trace file as a stream of records into callbacks: memory holds one record at a time, never the
// file. Whoever consumes it (import into the live store, a read-only document, `mqscope print`) decides
// what to keep. Every failure is a TraceFileError in plain words; a file cut short is a warning, with
// everything before the cut delivered.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ConnectionInfo } from '../../../shared/contract/types';
import { crc32 } from './crc32';
import { yieldTurn } from './yield-turn';
import { decodeConnectionBody, decodeFrameBody, decodeHeader, headerSize, MAX_RECORD, TraceFileError, type LoadedFrame } from './trace-file';

export interface TraceSink {
  onHeader?(h: { version: number; originMs: number }): void;
  onConnection?(info: ConnectionInfo): void;
  onFrame?(frame: LoadedFrame): void;
  /** Bytes read so far of `total` (called about every 4 MiB and at the end). */
  onProgress?(read: number, total: number): void;
  signal?: AbortSignal;
}

export interface TraceReadResult { version: number; originMs: number; frames: number; connections: number; bytes: number; warning?: string }

/** A path on disk, or bytes already in memory (small files, tests). */
export type TraceSource = string | Buffer;

export class TraceReadCancelled extends TraceFileError {
  constructor() { super('reading the trace file was cancelled'); }
}

async function* chunksOf(source: TraceSource): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(source)) { yield source; return; }
  const stream = createReadStream(source, { highWaterMark: 1 << 20 });
  try {
    for await (const c of stream) yield c as Buffer;
  } finally {
    stream.destroy();
  }
}

async function sizeOf(source: TraceSource): Promise<number> {
  if (Buffer.isBuffer(source)) return source.length;
  try {
    const st = await stat(source);
    if (!st.isFile()) throw new TraceFileError(`${source} is not a file`);
    return st.size;
  } catch (e) {
    if (e instanceof TraceFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new TraceFileError(code === 'ENOENT' ? `there is no file ${source}` : code === 'EACCES' ? `no permission to read ${source}` : `cannot read ${source}: ${code ?? (e as Error).message}`);
  }
}

export async function readTraceFile(source: TraceSource, sink: TraceSink = {}): Promise<TraceReadResult> {
  const total = await sizeOf(source);
  let buf: Buffer = Buffer.alloc(0);
  /** File offset of buf[0]. */
  let base = 0;
  let header: { version: number; originMs: number } | null = null;
  let frames = 0;
  let connections = 0;
  let nextProgress = 0;
  const cut = (what: string) => `${what}; the ${frames.toLocaleString('en')} frames before it were loaded`;
  try {
    for await (const chunk of chunksOf(source)) {
      if (sink.signal?.aborted) throw new TraceReadCancelled();
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      let p = 0;
      if (!header) {
        if (buf.length < 22 && base + buf.length < total) continue;
        header = decodeHeader(buf, total);
        sink.onHeader?.(header);
        p = headerSize(header.version);
      }
      const tail = header.version >= 2 ? 4 : 0;
      for (;;) {
        if (p + 5 > buf.length) break;
        const type = buf[p];
        const len = buf.readUInt32BE(p + 1);
        const at = base + p;
        if (type !== 1 && type !== 2) throw new TraceFileError(`the record at byte ${at} has unknown type ${type}: the file is damaged or from a newer MQScope`);
        if (len > MAX_RECORD) throw new TraceFileError(`the record at byte ${at} claims ${len} bytes, more than any record can hold: the file is damaged`);
        const end = p + 5 + len + tail;
        if (end > buf.length) break;
        if (tail && buf.readUInt32BE(p + 5 + len) !== crc32(buf, p, p + 5 + len)) {
          throw new TraceFileError(`the record at byte ${at} is damaged (checksum mismatch)`);
        }
        const body = buf.subarray(p + 5, p + 5 + len);
        if (type === 1) { sink.onFrame?.(decodeFrameBody(body, at)); frames++; }
        else { sink.onConnection?.(decodeConnectionBody(body, at)); connections++; }
        p = end;
      }
      base += p;
      buf = p === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(p)); // copy: do not pin the big chunk
      if (base >= nextProgress) { sink.onProgress?.(base, total); nextProgress = base + (4 << 20); }
      // Yield between chunks so a long read never starves the event loop (and a cancel can land).
      await yieldTurn();
    }
  } catch (e) {
    if (e instanceof TraceFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new TraceFileError(`reading the trace file failed: ${code ?? (e as Error).message}`);
  }
  if (!header) throw new TraceFileError(total === 0 ? 'the trace file is empty' : 'the trace file ends inside its header');
  if (sink.signal?.aborted) throw new TraceReadCancelled();
  sink.onProgress?.(base + buf.length, total);
  let warning: string | undefined;
  if (buf.length > 0 && buf.length < 5) warning = cut(`the file ends inside a record header at byte ${base}`);
  else if (buf.length > 0) warning = cut(`the last record (at byte ${base}) is cut short: the writer stopped mid-record`);
  return { ...header, frames, connections, bytes: total, warning };
}

/** The whole file in memory (tests, small files): frames and the last state of each connection. */
export async function collectTrace(source: TraceSource): Promise<TraceReadResult & { frameList: LoadedFrame[]; connectionMap: Map<number, ConnectionInfo> }> {
  const frameList: LoadedFrame[] = [];
  const connectionMap = new Map<number, ConnectionInfo>();
  const r = await readTraceFile(source, { onFrame: (f) => frameList.push(f), onConnection: (c) => connectionMap.set(c.id, c) });
  return { ...r, frameList, connectionMap };
}
