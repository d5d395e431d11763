// The trace as a pcap file Wireshark/tshark can open: each MQTT frame becomes one TCP segment between the
// connection's real addresses (see separateTaps), with sequence numbers that run on per direction. Frames of WebSocket
// connections carry their MQTT bytes without the WebSocket framing (said in the file's name by callers).
// LINKTYPE_RAW (101): every record starts with an IPv4 header.
import type { ConnectionInfo } from '../../../shared/contract/types';
import { META_KIND_SHIFT, META_S2C } from './frame-index';
import type { TraceRecorder } from './recorder';

const LINKTYPE_RAW = 101;

interface Endpoints { client: [number[], number]; server: [number[], number]; seq: [number, number] }

function parseAddr(a: string | undefined, fallbackPort: number): [number[], number] {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+):(\d+)$/.exec(a ?? '');
  if (m) return [[+m[1], +m[2], +m[3], +m[4]], +m[5]];
  const v6 = /:(\d+)$/.exec(a ?? '');
  // IPv6 and unknown peers are mapped into 127.0.0.0/8 so the file stays IPv4-only.
  return [[127, 0, 0, 1], v6 ? +v6[1] : fallbackPort];
}

function endpoints(info: ConnectionInfo | undefined, conn: number): Endpoints {
  const remote = parseAddr(info?.remote, 40000 + (conn % 20000));
  const local = parseAddr(info?.local, 1883);
  const brokerSide = !info || info.side === 'broker';
  return { client: brokerSide ? remote : local, server: brokerSide ? local : remote, seq: [1, 1] };
}

const tupleOf = (e: Endpoints) => `${e.client[0].join('.')}:${e.client[1]}>${e.server[0].join('.')}:${e.server[1]}`;

/**
 * A client session to the embedded broker is one TCP connection seen by two taps. Wireshark would merge
 * the two copies into one stream (and call one of them retransmissions), so the client tap's copy moves
 * to 127.0.1.x / 127.0.2.x, ports unchanged.
 */
function separateTaps(recorder: TraceRecorder, eps: Map<number, Endpoints>): void {
  const brokerTuples = new Set<string>();
  for (const [id, rec] of recorder.conns) if (rec.info.side === 'broker') brokerTuples.add(tupleOf(endpoints(rec.info, id)));
  for (const [id, rec] of recorder.conns) {
    if (rec.info.side !== 'client') continue;
    const e = endpoints(rec.info, id);
    if (brokerTuples.has(tupleOf(e))) {
      e.client = [[127, 0, 1, e.client[0][3]], e.client[1]];
      e.server = [[127, 0, 2, e.server[0][3]], e.server[1]];
    }
    eps.set(id, e);
  }
}

function ipChecksum(b: Buffer, off: number): number {
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += b.readUInt16BE(off + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The whole pcap in memory (the CLI's conversion of a file already loaded). */
export function exportPcap(recorder: TraceRecorder): Buffer {
  return Buffer.concat([...pcapParts(recorder)]);
}

/**
 * The pcap file in pieces: the header, then one record per frame held when it began. A consumer that waits
 * between pieces (a disk write, a socket's drain) lets the broker run meanwhile; frames evicted in such a
 * wait are skipped and counted in `skipped.evicted` (events, which have no bytes, in `skipped.events`).
 */
export function* pcapParts(recorder: TraceRecorder, skipped: { evicted: number; events?: number } = { evicted: 0 }): Generator<Buffer> {
  const store = recorder.store;
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(LINKTYPE_RAW, 20);
  yield head;
  const eps = new Map<number, Endpoints>();
  separateTaps(recorder, eps);
  const end = store.nextSeq;
  for (let seq = store.firstSeq; seq < end; seq++) {
    const b = store.blockOf(seq);
    if (!b) { if (seq < store.firstSeq) skipped.evicted++; continue; }
    const i = seq - b.firstSeq;
    if (((b.meta[i] >> META_KIND_SHIFT) & 3) === 2) { skipped.events = (skipped.events ?? 0) + 1; continue; } // events have no bytes
    const payload = store.bytesOf(seq)!;
    const conn = b.conn[i];
    let ep = eps.get(conn);
    if (!ep) eps.set(conn, (ep = endpoints(recorder.conns.get(conn)?.info, conn)));
    const s2c = (b.meta[i] & META_S2C) !== 0;
    const [src, dst] = s2c ? [ep.server, ep.client] : [ep.client, ep.server];
    const dirIdx = s2c ? 1 : 0;
    // One buffer per frame: the 16-byte record header, then the IPv4 + TCP headers, then the MQTT bytes.
    const rec = Buffer.alloc(16 + 40 + payload.length);
    const pkt = rec.subarray(16);
    pkt[0] = 0x45;
    pkt.writeUInt16BE(Math.min(40 + payload.length, 0xffff), 2);
    pkt.writeUInt16BE(seq & 0xffff, 4);
    pkt[8] = 64;
    pkt[9] = 6; // TCP
    for (let k = 0; k < 4; k++) { pkt[12 + k] = src[0][k]; pkt[16 + k] = dst[0][k]; }
    pkt.writeUInt16BE(ipChecksum(pkt, 0), 10);
    pkt.writeUInt16BE(src[1], 20);
    pkt.writeUInt16BE(dst[1], 22);
    pkt.writeUInt32BE(ep.seq[dirIdx] >>> 0, 24);
    pkt.writeUInt32BE(ep.seq[1 - dirIdx] >>> 0, 28);
    pkt[32] = 0x50; // data offset 5 words
    pkt[33] = 0x18; // PSH | ACK
    pkt.writeUInt16BE(0xffff, 34);
    payload.copy(pkt, 40);
    ep.seq[dirIdx] = (ep.seq[dirIdx] + payload.length) % 2 ** 32;
    const us = store.wallUs(b.timeUs[i]);
    rec.writeUInt32LE(Math.floor(us / 1e6), 0);
    rec.writeUInt32LE(Math.floor(us % 1e6), 4);
    rec.writeUInt32LE(pkt.length, 8);
    rec.writeUInt32LE(pkt.length, 12);
    yield rec;
  }
}
