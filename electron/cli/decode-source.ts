// What `mqscope decode` reads: a .mqtrace (through the one trace loader) or a pcap written by
// `mqscope pcap`, as frames with their summary, bytes and connection, numbered as the trace numbered them.
import type { ConnectionInfo, FrameSummary, ProtocolVersion } from '../../shared/contract/types';
import { PACKET_TYPES } from '../../shared/contract/types';
import { dissect, protocolVersionOfConnect } from '../../shared/mqtt/dissect';
import { NO_REASON } from '../core/trace/frame-index';
import { isPcap, readPcap } from '../core/trace/pcap-read';
import { newSummary, summarize } from '../core/trace/summarize';
import { loadTraceFile } from '../core/trace/trace-load';
import { fixedHeaderSize } from '../core/trace/trace-store';

export interface SourceFrame { summary: FrameSummary; bytes: Buffer; conn: ConnectionInfo | undefined }
export interface DecodeSource { frames(): Iterable<SourceFrame>; warning?: string }

export async function openSource(file: Buffer): Promise<DecodeSource> {
  if (isPcap(file)) return pcapSource(file);
  const { store, recorder, warning } = await loadTraceFile(file);
  return {
    warning,
    *frames() {
      for (let s = store.firstSeq; s < store.nextSeq; s++) {
        const summary = store.summary(s);
        if (summary) yield { summary, bytes: store.bytesOf(s)!, conn: recorder.conns.get(summary.conn)?.info };
      }
    },
  };
}

function pcapSource(file: Buffer): DecodeSource {
  const { frames, connections, warning } = readPcap(file);
  // Protocol level and client id come from each connection's CONNECT, as the tap learns them.
  for (const f of frames) {
    const c = connections.get(f.conn)!;
    if (c.protocolVersion !== undefined || f.bytes[0] >> 4 !== 1) continue;
    const level = protocolVersionOfConnect(f.bytes);
    if (!level) continue;
    c.protocolVersion = level;
    const id = findValue(dissect(f.bytes, level), 'Client identifier');
    if (id !== undefined) c.clientId = id;
  }
  const originUs = frames.length ? frames[0].wallUs : 0;
  const s = newSummary();
  return {
    warning,
    *frames() {
      for (const f of frames) {
        const conn = connections.get(f.conn);
        const version: ProtocolVersion = conn?.protocolVersion ?? 4;
        const len = f.bytes.length;
        const typeNum = f.bytes[0] >> 4;
        summarize(s, f.bytes, 0, len, Math.min(fixedHeaderSize(f.bytes), len), typeNum === 1 ? 0 : version);
        const summary: FrameSummary = {
          seq: f.seq, timeUs: f.wallUs - originUs, wallMs: f.wallUs / 1000, conn: f.conn, side: conn?.side ?? 'broker',
          dir: f.s2c ? 's2c' : 'c2s', kind: s.problem === null ? 'packet' : 'malformed', type: len ? PACKET_TYPES[typeNum] : null,
          flags: f.bytes[0] & 15, length: len,
        };
        if (s.packetId) summary.packetId = s.packetId;
        if (s.reason !== NO_REASON) summary.reasonCode = s.reason;
        if (s.topicStart >= 0) summary.topic = f.bytes.toString('utf8', s.topicStart, s.topicStart + s.topicLen);
        if (typeNum === 3) {
          const qos = (f.bytes[0] >> 1) & 3;
          if (qos <= 2) summary.qos = qos as 0 | 1 | 2;
          summary.retain = (f.bytes[0] & 1) === 1;
          summary.dup = (f.bytes[0] & 8) === 8;
          summary.payloadSize = len - s.head;
        }
        if (s.problem !== null) summary.note = s.problem;
        yield { summary, bytes: f.bytes, conn };
      }
    },
  };
}

function findValue(nodes: { name: string; value?: string; children?: unknown[] }[], name: string): string | undefined {
  for (const n of nodes) {
    if (n.name === name) return n.value;
    const inner = n.children ? findValue(n.children as typeof nodes, name) : undefined;
    if (inner !== undefined) return inner;
  }
  return undefined;
}
