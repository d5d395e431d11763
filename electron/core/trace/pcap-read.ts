// Reads back a pcap written by `mqscope pcap` / the pcap export (LINKTYPE_RAW, IPv4, one TCP segment per
// MQTT frame; microsecond or nanosecond pcap, either byte order). The IP identification field carries
// the low 16 bits of the frame number, so frames keep the numbers the trace gave them.
import type { ConnectionInfo } from '../../../shared/contract/types';

export interface PcapFrame {
  seq: number;
  /** Wall clock, whole microseconds since the epoch. */
  wallUs: number;
  conn: number;
  s2c: boolean;
  bytes: Buffer;
}
export interface PcapTrace { frames: PcapFrame[]; connections: Map<number, ConnectionInfo>; warning?: string }

export class PcapError extends Error {}

const LINKTYPE_RAW = 101;
const isClientTapAddr = (ip: string) => ip.startsWith('127.0.1.') || ip.startsWith('127.0.2.');

export function isPcap(file: Buffer): boolean {
  if (file.length < 4) return false;
  const m = file.readUInt32LE(0);
  return m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1;
}

export function readPcap(file: Buffer): PcapTrace {
  if (file.length < 24 || !isPcap(file)) throw new PcapError('not a pcap file (pcapng is not read; save as pcap)');
  const magic = file.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const u32 = (o: number) => (le ? file.readUInt32LE(o) : file.readUInt32BE(o));
  const link = u32(20);
  if (link !== LINKTYPE_RAW) throw new PcapError(`link type ${link} is not read here: only raw IPv4 (101), as written by mqscope pcap`);
  const frames: PcapFrame[] = [];
  const connections = new Map<number, ConnectionInfo>();
  const byTuple = new Map<string, { id: number; clientAddr: string }>();
  let warning: string | undefined;
  let lastSeq = -1;
  let p = 24;
  while (p < file.length) {
    if (p + 16 > file.length) { warning = `file ends inside a record header at byte ${p}`; break; }
    const sec = u32(p);
    const frac = u32(p + 4);
    const incl = u32(p + 8);
    const rec = p + 16;
    if (rec + incl > file.length) { warning = `last record is cut short at byte ${p}`; break; }
    p = rec + incl;
    const ihl = (file[rec] & 0x0f) * 4;
    if (file[rec] >> 4 !== 4 || file[rec + 9] !== 6 || incl < ihl + 20) continue; // not IPv4 TCP
    const ipId = file.readUInt16BE(rec + 4);
    const src = `${file[rec + 12]}.${file[rec + 13]}.${file[rec + 14]}.${file[rec + 15]}`;
    const dst = `${file[rec + 16]}.${file[rec + 17]}.${file[rec + 18]}.${file[rec + 19]}`;
    const tcp = rec + ihl;
    const sport = file.readUInt16BE(tcp);
    const dport = file.readUInt16BE(tcp + 2);
    const dataOff = (file[tcp + 12] >> 4) * 4;
    const bytes = Buffer.from(file.subarray(tcp + dataOff, rec + incl));
    if (!bytes.length) continue;
    const a = `${src}:${sport}`;
    const b = `${dst}:${dport}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let c = byTuple.get(key);
    if (!c) {
      // The side that sends first is the client (it sends CONNECT); the export keeps that order.
      c = { id: byTuple.size + 1, clientAddr: a };
      byTuple.set(key, c);
      const server = c.clientAddr === a ? b : a;
      const clientTap = isClientTapAddr(src) || isClientTapAddr(dst);
      connections.set(c.id, clientTap
        ? { id: c.id, side: 'client', transport: 'tcp', remote: server, local: c.clientAddr, openedAtMs: sec * 1000 }
        : { id: c.id, side: 'broker', transport: 'tcp', remote: c.clientAddr, local: server, openedAtMs: sec * 1000 });
    }
    const seq = lastSeq < 0 ? ipId : lastSeq + ((ipId - lastSeq) & 0xffff || 0x10000);
    lastSeq = seq;
    frames.push({ seq, wallUs: sec * 1e6 + (nano ? Math.floor(frac / 1000) : frac), conn: c.id, s2c: a !== c.clientAddr, bytes });
  }
  return { frames, connections, warning };
}
