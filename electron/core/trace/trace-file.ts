// The trace file: versioned from day one, append-friendly so `mqscope broker --trace` can stream to it,
// and readable after a crash (a torn last record is reported, everything before it loads).
//
// Layout (all integers big-endian):
//   header  "MQSTRACE" (8 bytes) | u16 version (=1) | f64 wall-clock ms of timeUs 0
//   record  u8 type | u32 body length | body
//     type 1 frame:       u32 seq | f64 timeUs | u32 conn | u8 meta | u32 byteLen | bytes | u16 noteLen | note (UTF-8)
//     type 2 connection:  JSON of ConnectionInfo (UTF-8); a later record for the same id replaces it
import type { ConnectionInfo, FrameKind } from '../../../shared/contract/types';
import { META_CLIENT_SIDE, META_KIND_SHIFT, META_S2C } from './frame-index';
import type { TraceStore } from './trace-store';

export const MAGIC = Buffer.from('MQSTRACE');
export const VERSION = 1;
const KINDS: FrameKind[] = ['packet', 'malformed', 'event'];

export interface LoadedFrame {
  seq: number; timeUs: number; conn: number; side: 'broker' | 'client'; s2c: boolean; kind: FrameKind; bytes: Buffer; note: string | null;
}
export interface LoadedTrace { version: number; originMs: number; connections: Map<number, ConnectionInfo>; frames: LoadedFrame[]; warning?: string }

export class TraceFileError extends Error {}

export function encodeHeader(originMs: number): Buffer {
  const b = Buffer.alloc(18);
  MAGIC.copy(b, 0);
  b.writeUInt16BE(VERSION, 8);
  b.writeDoubleBE(originMs, 10);
  return b;
}

export function encodeConnection(info: ConnectionInfo): Buffer {
  const body = Buffer.from(JSON.stringify(info));
  const head = Buffer.alloc(5);
  head[0] = 2;
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** Frame `seq` of the store as one record, or null if it has been evicted. */
export function encodeFrame(store: TraceStore, seq: number): Buffer | null {
  const b = store.blockOf(seq);
  if (!b) return null;
  const i = seq - b.firstSeq;
  const bytes = store.bytesOf(seq)!;
  const note = Buffer.from(store.noteOf(seq) ?? '');
  const bodyLen = 4 + 8 + 4 + 1 + 4 + bytes.length + 2 + note.length;
  const out = Buffer.allocUnsafe(5 + bodyLen);
  let p = 0;
  out[p++] = 1;
  out.writeUInt32BE(bodyLen, p); p += 4;
  out.writeUInt32BE(seq >>> 0, p); p += 4;
  out.writeDoubleBE(b.timeUs[i], p); p += 8;
  out.writeUInt32BE(b.conn[i], p); p += 4;
  out[p++] = b.meta[i];
  out.writeUInt32BE(bytes.length, p); p += 4;
  bytes.copy(out, p); p += bytes.length;
  out.writeUInt16BE(Math.min(note.length, 0xffff), p); p += 2;
  note.copy(out, p, 0, Math.min(note.length, 0xffff));
  return out;
}

export function decodeTrace(file: Buffer): LoadedTrace {
  if (file.length < 18 || !file.subarray(0, 8).equals(MAGIC)) throw new TraceFileError('not an MQScope trace file (no MQSTRACE header)');
  const version = file.readUInt16BE(8);
  if (version > VERSION) throw new TraceFileError(`trace file version ${version} is newer than this MQScope understands (${VERSION}); update MQScope`);
  const originMs = file.readDoubleBE(10);
  const connections = new Map<number, ConnectionInfo>();
  const frames: LoadedFrame[] = [];
  let p = 18;
  let warning: string | undefined;
  while (p < file.length) {
    if (p + 5 > file.length) { warning = `file ends inside a record header at byte ${p}; ${frames.length} frames before it were loaded`; break; }
    const type = file[p];
    const len = file.readUInt32BE(p + 1);
    const body = p + 5;
    if (body + len > file.length) { warning = `last record is cut short at byte ${p} (the writer stopped mid-record); ${frames.length} frames before it were loaded`; break; }
    if (type === 1) {
      let q = body;
      const seq = file.readUInt32BE(q); q += 4;
      const timeUs = file.readDoubleBE(q); q += 8;
      const conn = file.readUInt32BE(q); q += 4;
      const meta = file[q++];
      const n = file.readUInt32BE(q); q += 4;
      if (q + n + 2 > body + len) throw new TraceFileError(`corrupt frame record at byte ${p}`);
      const bytes = Buffer.from(file.subarray(q, q + n)); q += n;
      const nl = file.readUInt16BE(q); q += 2;
      const note = nl ? file.toString('utf8', q, q + nl) : null;
      frames.push({
        seq, timeUs, conn, side: meta & META_CLIENT_SIDE ? 'client' : 'broker', s2c: (meta & META_S2C) !== 0,
        kind: KINDS[(meta >> META_KIND_SHIFT) & 3] ?? 'malformed', bytes, note,
      });
    } else if (type === 2) {
      let info: ConnectionInfo;
      try { info = JSON.parse(file.toString('utf8', body, body + len)); } catch { throw new TraceFileError(`corrupt connection record at byte ${p}`); }
      connections.set(info.id, info);
    } else {
      throw new TraceFileError(`unknown record type ${type} at byte ${p}: file is corrupt or from a newer MQScope`);
    }
    p = body + len;
  }
  return { version, originMs, connections, frames, warning };
}
