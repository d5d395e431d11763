// Streams the trace to a file as it grows (for `mqscope broker --trace FILE`). The promise to the user: a
// frame is in the file at most TRACE_LOSS_BOUND_MS after it was recorded, so a kill -9 loses at most that
// last stretch and leaves a readable file (a torn last record at worst, which readers report as a warning).
//
// Why the writer ticks much more often than the bound: a timer can fire late (a garbage collection, a
// long batch of socket reads, the process descheduled on a busy machine). Ticking every
// TRACE_WRITE_EVERY_MS keeps the promise as long as no tick is later than the difference. Why the write
// is synchronous: once a tick returns, its bytes are in the operating system, which a killed process
// cannot take back; an asynchronous write would wait in the thread pool behind other work, for a time
// nobody bounds. A tick writes what ~0.1 s of traffic recorded (a few MiB at most), a short block.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { TraceRecorder } from './recorder';
import { encodeConnection, encodeFrame, encodeHeader } from './trace-file';

/** What a kill -9 can cost: frames recorded within this long before the kill may be missing. */
export const TRACE_LOSS_BOUND_MS = 500;
/** How often the writer appends what was recorded since its last write. */
export const TRACE_WRITE_EVERY_MS = 100;

export class TraceFileWriter {
  private next: number;
  private connStamp = new Map<number, string>();
  private timer: NodeJS.Timeout | null = null;
  private fd: number | null;
  /** Frames evicted from memory before they could be written (said, not hidden). */
  missed = 0;
  written = 0;
  /** Set when a write failed (disk full, file gone): writing stops, and the owner says so. */
  error: string | null = null;

  private constructor(fd: number, private recorder: TraceRecorder, intervalMs: number, private onError: (message: string) => void) {
    this.fd = fd;
    this.next = recorder.store.nextSeq;
    this.timer = setInterval(() => this.flush(), intervalMs);
  }

  static async create(path: string, recorder: TraceRecorder, opts: { intervalMs?: number; onError?: (message: string) => void } = {}): Promise<TraceFileWriter> {
    const fd = openSync(path, 'w');
    try {
      writeAll(fd, encodeHeader(recorder.store.originMs));
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    return new TraceFileWriter(fd, recorder, opts.intervalMs ?? TRACE_WRITE_EVERY_MS, opts.onError ?? (() => {}));
  }

  /** Appends everything recorded since the last call; the bytes are in the operating system when it returns. */
  flush(): void {
    if (this.fd === null || this.error) return;
    const store = this.recorder.store;
    const parts: Buffer[] = [];
    for (const c of this.recorder.connections()) {
      const stamp = JSON.stringify(c);
      if (this.connStamp.get(c.id) !== stamp) {
        this.connStamp.set(c.id, stamp);
        parts.push(encodeConnection(c));
      }
    }
    if (this.next < store.firstSeq) { this.missed += store.firstSeq - this.next; this.next = store.firstSeq; }
    const end = store.nextSeq;
    let frames = 0;
    for (; this.next < end; this.next++) {
      const rec = encodeFrame(store, this.next);
      if (rec) { parts.push(rec); frames++; }
    }
    if (!parts.length) return;
    try {
      writeAll(this.fd, parts.length === 1 ? parts[0] : Buffer.concat(parts));
      this.written += frames;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.error = `writing the trace file failed (${code ?? (e as Error).message}); frames from now on are not written`;
      this.stopTimer();
      this.onError(this.error);
    }
  }

  async close(): Promise<void> {
    this.stopTimer();
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** writeSync may write less than asked (a signal, a nearly full disk): keep going until all of it is out. */
function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
}
