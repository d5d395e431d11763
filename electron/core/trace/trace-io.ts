// Whole-trace export (the UI's Save). Opening a file is trace-load.ts: it becomes a document of its own.
import type { TraceRecorder } from './recorder';
import { encodeConnection, encodeFrame, encodeHeader } from './trace-file';

export function exportTrace(recorder: TraceRecorder): Buffer {
  const store = recorder.store;
  const parts: Buffer[] = [encodeHeader(store.originMs)];
  for (const c of recorder.connections()) parts.push(encodeConnection(c));
  for (let s = store.firstSeq; s < store.nextSeq; s++) {
    const r = encodeFrame(store, s);
    if (r) parts.push(r);
  }
  return Buffer.concat(parts);
}
