// Streams the trace to a file as it grows (for `mqscope broker --trace FILE`): flushed at least every
// second, so a killed process loses at most the last second.
import { open, type FileHandle } from 'node:fs/promises';
import type { TraceRecorder } from './recorder';
import { encodeConnection, encodeFrame, encodeHeader } from './trace-file';

export class TraceFileWriter {
  private next: number;
  private connStamp = new Map<number, string>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** Frames evicted from memory before they could be written (said, not hidden). */
  missed = 0;
  written = 0;

  private constructor(private fh: FileHandle, private recorder: TraceRecorder, intervalMs: number) {
    this.next = recorder.store.nextSeq;
    this.timer = setInterval(() => void this.flush(), intervalMs);
  }

  static async create(path: string, recorder: TraceRecorder, intervalMs = 500): Promise<TraceFileWriter> {
    const fh = await open(path, 'w');
    await fh.write(encodeHeader(recorder.store.originMs));
    return new TraceFileWriter(fh, recorder, intervalMs);
  }

  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeNew()).catch(() => {});
    return this.writing;
  }

  private async writeNew(): Promise<void> {
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
    for (; this.next < end; this.next++) {
      const rec = encodeFrame(store, this.next);
      if (rec) { parts.push(rec); this.written++; }
    }
    if (parts.length) await this.fh.write(Buffer.concat(parts));
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
    await this.fh.close();
  }
}
