// Whole-trace export and import (the UI's Save / Open). Import replaces what is shown only once the
// file has been read completely; a bad file changes nothing.
import type { TraceRecorder } from './recorder';
import { decodeTrace, encodeConnection, encodeFrame, encodeHeader } from './trace-file';

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

export function importTrace(recorder: TraceRecorder, file: Buffer): { frames: number; warning?: string } {
  const loaded = decodeTrace(file); // throws TraceFileError before anything changes
  const store = recorder.store;
  store.clear();
  const idMap = new Map<number, ReturnType<typeof recorder.adopt>>();
  for (const [id, info] of loaded.connections) idMap.set(id, recorder.adopt(info));
  for (const f of loaded.frames) {
    let ctx = idMap.get(f.conn);
    if (!ctx) {
      ctx = recorder.adopt({ id: f.conn, side: f.side, transport: 'tcp', remote: '?', local: '?', openedAtMs: loaded.originMs });
      idMap.set(f.conn, ctx);
    }
    store.importFrame(ctx, f.s2c, f.kind, f.timeUs, f.bytes, f.note);
  }
  recorder.resetFeed();
  return { frames: loaded.frames.length, warning: loaded.warning };
}
