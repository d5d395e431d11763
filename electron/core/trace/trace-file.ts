// The trace file: versioned, append-friendly so `mqscope broker --trace` can stream to it, and readable
// after a crash (a torn last record is reported, everything before it loads).
//
// Layout v2 (all integers big-endian):
//   header  "MQSTRACE" (8 bytes) | u16 version (=2) | f64 wall-clock ms of timeUs 0 | u32 CRC-32 of the 18 bytes before
//   record  u8 type | u32 body length | body | u32 CRC-32 of type, length and body
//     type 1 frame:       u32 seq | f64 timeUs | u32 conn | u8 meta | u32 byteLen | bytes | u16 noteLen | note (UTF-8)
//     type 2 connection:  JSON of ConnectionInfo (UTF-8); a later record for the same id replaces it
// Version 1 is the same without the two checksums; it is still read.
import type { ConnectionInfo, FrameKind } from '../../../shared/contract/types';
import { crc32 } from './crc32';
import { META_CLIENT_SIDE, META_KIND_SHIFT, META_S2C } from './frame-index';
import type { TraceStore } from './trace-store';

export const MAGIC = Buffer.from('MQSTRACE');
export const VERSION = 2;
const KINDS: FrameKind[] = ['packet', 'malformed', 'event'];
/** Largest record body a reader accepts: one frame of the largest MQTT packet plus its note. */
export const MAX_RECORD = 268_435_460 + 64 * 1024;

export interface LoadedFrame {
  seq: number; timeUs: number; conn: number; side: 'broker' | 'client'; s2c: boolean; kind: FrameKind; bytes: Buffer; note: string | null;
}

/** A file that cannot be read, said in plain words (where, and what is wrong). */
export class TraceFileError extends Error {}

export function headerSize(version: number): number { return version >= 2 ? 22 : 18; }

export function encodeHeader(originMs: number): Buffer {
  const b = Buffer.alloc(22);
  MAGIC.copy(b, 0);
  b.writeUInt16BE(VERSION, 8);
  b.writeDoubleBE(originMs, 10);
  b.writeUInt32BE(crc32(b, 0, 18), 18);
  return b;
}

function record(type: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length + 4);
  out[0] = type;
  out.writeUInt32BE(body.length, 1);
  body.copy(out, 5);
  out.writeUInt32BE(crc32(out, 0, 5 + body.length), 5 + body.length);
  return out;
}

export function encodeConnection(info: ConnectionInfo): Buffer {
  return record(2, Buffer.from(JSON.stringify(info)));
}

/** Frame `seq` of the store as one record, or null if it has been evicted. */
export function encodeFrame(store: TraceStore, seq: number): Buffer | null {
  const b = store.blockOf(seq);
  if (!b) return null;
  const i = seq - b.firstSeq;
  const bytes = store.bytesOf(seq)!;
  const note = Buffer.from(store.noteOf(seq) ?? '').subarray(0, 0xffff);
  const body = Buffer.allocUnsafe(4 + 8 + 4 + 1 + 4 + bytes.length + 2 + note.length);
  let p = 0;
  body.writeUInt32BE(seq >>> 0, p); p += 4;
  body.writeDoubleBE(b.timeUs[i], p); p += 8;
  body.writeUInt32BE(b.conn[i], p); p += 4;
  body[p++] = b.meta[i];
  body.writeUInt32BE(bytes.length, p); p += 4;
  bytes.copy(body, p); p += bytes.length;
  body.writeUInt16BE(note.length, p); p += 2;
  note.copy(body, p);
  return record(1, body);
}

/** The version and time origin from the first bytes of a file. */
export function decodeHeader(head: Buffer, fileSize: number): { version: number; originMs: number } {
  if (head.length < 10 || !head.subarray(0, 8).equals(MAGIC)) throw new TraceFileError('this is not an MQScope trace file (it does not start with MQSTRACE)');
  const version = head.readUInt16BE(8);
  if (version === 0) throw new TraceFileError('the trace file header is damaged (version 0)');
  if (version > VERSION) throw new TraceFileError(`this trace file is version ${version}, newer than this MQScope reads (up to ${VERSION}); update MQScope`);
  if (fileSize < headerSize(version) || head.length < headerSize(version)) throw new TraceFileError('the trace file ends inside its header');
  if (version >= 2 && head.readUInt32BE(18) !== crc32(head, 0, 18)) throw new TraceFileError('the trace file header is damaged (checksum mismatch)');
  const originMs = head.readDoubleBE(10);
  if (!Number.isFinite(originMs) || originMs < 0 || originMs > 8.64e15) throw new TraceFileError('the trace file header is damaged (its start time is not a date)');
  return { version, originMs };
}

/** A frame record's body; `at` is the record's byte offset, for the error message. */
export function decodeFrameBody(body: Buffer, at: number): LoadedFrame {
  const bad = (what: string) => new TraceFileError(`the frame record at byte ${at} is damaged: ${what}`);
  if (body.length < 4 + 8 + 4 + 1 + 4 + 2) throw bad('it is too short');
  let q = 0;
  const seq = body.readUInt32BE(q); q += 4;
  const timeUs = body.readDoubleBE(q); q += 8;
  const conn = body.readUInt32BE(q); q += 4;
  const meta = body[q++];
  const n = body.readUInt32BE(q); q += 4;
  if (!Number.isFinite(timeUs)) throw bad('its time is not a number');
  const kind = KINDS[(meta >> META_KIND_SHIFT) & 3];
  if (kind === undefined || meta & ~(META_CLIENT_SIDE | META_S2C | (3 << META_KIND_SHIFT))) throw bad(`unknown frame flags ${meta}`);
  if (q + n + 2 > body.length) throw bad('its bytes run past the record');
  const bytes = Buffer.from(body.subarray(q, q + n)); q += n;
  const nl = body.readUInt16BE(q); q += 2;
  if (q + nl !== body.length) throw bad('its note does not fit the record');
  const note = nl ? body.toString('utf8', q, q + nl) : null;
  return { seq, timeUs, conn, side: meta & META_CLIENT_SIDE ? 'client' : 'broker', s2c: (meta & META_S2C) !== 0, kind, bytes, note };
}

const isStr = (v: unknown) => typeof v === 'string';
const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const optional = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || ok(v);

/** A connection record's body, checked field by field (a file is input like any other). */
export function decodeConnectionBody(body: Buffer, at: number): ConnectionInfo {
  const bad = (what: string) => new TraceFileError(`the connection record at byte ${at} is damaged: ${what}`);
  let v: unknown;
  try { v = JSON.parse(body.toString('utf8')); } catch { throw bad('it is not valid JSON'); }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('it is not an object');
  const c = v as Record<string, unknown>;
  if (!Number.isInteger(c.id) || (c.id as number) < 0 || (c.id as number) > 0xffffffff) throw bad('its id is not a whole number');
  if (c.side !== 'broker' && c.side !== 'client') throw bad('its side is neither broker nor client');
  if (!['tcp', 'tls', 'ws', 'wss'].includes(c.transport as string) || !isStr(c.remote) || !isStr(c.local)) throw bad('transport, remote or local is missing or unknown');
  if (!isNum(c.openedAtMs)) throw bad('its opening time is not a number');
  if (!optional(c.closedAtMs, isNum) || !optional(c.closeReason, isStr) || !optional(c.clientId, isStr) || !optional(c.sessionId, isStr)) throw bad('a field has the wrong type');
  if (!optional(c.protocolVersion, (p) => p === 3 || p === 4 || p === 5)) throw bad('its protocol version is not 3, 4 or 5');
  return c as unknown as ConnectionInfo;
}
