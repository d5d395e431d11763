// The few summary fields the trace keeps per frame, read straight from the wire bytes. This runs on the
// hot path, so it reads only what the list view shows and the rules that are cheap to check; the full
// decode (shared/mqtt/dissect) happens when someone opens the frame.
import { isUtf8 } from 'node:buffer';
import { NO_REASON } from './frame-index';

export interface Summary {
  packetId: number;
  reason: number;
  /** Topic bytes in the frame (PUBLISH topic, first SUBSCRIBE/UNSUBSCRIBE filter); -1 when none. */
  topicStart: number;
  topicLen: number;
  /** PUBLISH payload offset from the frame start; others: frame length. */
  head: number;
  problem: string | null;
  /** CONNECT only: protocol level and client id. */
  level: number;
  clientId: string | null;
}

const FIXED_FLAGS = [-1, 0, 0, -1, 0, 0, 2, 0, 2, 0, 2, 0, 0, 0, 0, 0];

/**
 * A big-endian two-byte integer; every caller has checked p + 2 <= end. Not buf.readUInt16BE: on a Buffer that
 * method's lookup stays a generic property load in optimized code (~75 instructions, up to twice a frame).
 */
function u16(buf: Buffer, p: number): number {
  return (buf[p] << 8) | buf[p + 1];
}

/** Reads a variable byte integer at `at`; returns the offset just past it, or -1. Value in `varint.value`. */
const varint = { value: 0 };
function skipVarint(buf: Buffer, at: number, end: number): number {
  let value = 0;
  let mult = 1;
  for (let i = 0; i < 4; i++) {
    if (at + i >= end) return -1;
    const b = buf[at + i];
    value += (b & 0x7f) * mult;
    if ((b & 0x80) === 0) { varint.value = value; return at + i + 1; }
    mult *= 128;
  }
  return -1;
}

/** Skips a v5 property block at p (length varint + properties); -1 when it runs past `end`. */
function skipProperties(buf: Buffer, p: number, end: number): number {
  const q = skipVarint(buf, p, end);
  if (q < 0 || q + varint.value > end) return -1;
  return q + varint.value;
}

function tooShort(s: Summary, len: number): void {
  if (s.problem === null) s.problem = `packet ends early (${len} bytes) [MQTT-2.2.3]`;
}

function topicProblem(buf: Buffer, start: number, len: number): string | null {
  for (let i = start, end = start + len; i < end; i++) {
    const b = buf[i];
    if (b === 0) return 'topic contains U+0000 [MQTT-4.7.3-2]';
    if (b >= 0x80) return isUtf8(buf.subarray(start, end)) ? null : 'topic is not valid UTF-8 [MQTT-1.5.3-1]';
  }
  return null;
}

/** Fill `s` from the frame at buf[off, off+len) whose fixed header is `fixed` bytes long. */
export function summarize(s: Summary, buf: Buffer, off: number, len: number, fixed: number, version: number): void {
  const b0 = buf[off];
  const type = b0 >> 4;
  const flags = b0 & 15;
  const end = off + len;
  let p = off + fixed;
  s.packetId = 0;
  s.reason = NO_REASON;
  s.topicStart = -1;
  s.topicLen = 0;
  s.head = len;
  s.problem = null;
  s.level = 0;
  s.clientId = null;
  if (type === 0 || type === 15 && version !== 5) {
    s.problem = `packet type ${type} is reserved [MQTT-2.2.1]`;
    return;
  }
  const want = FIXED_FLAGS[type];
  if (want >= 0 && flags !== want) s.problem = `fixed header flags must be ${want.toString(2).padStart(4, '0')} for this packet type [MQTT-2.2.2-2]`;
  switch (type) {
    case 1: { // CONNECT
      if (p + 2 > end) return tooShort(s, len);
      const nameLen = u16(buf, p);
      p += 2 + nameLen;
      if (p + 4 > end) return tooShort(s, len);
      s.level = buf[p];
      const kaEnd = p + 4;
      p = kaEnd;
      if (s.level === 5) {
        p = skipProperties(buf, p, end);
        if (p < 0) return tooShort(s, len);
      }
      if (p + 2 > end) return tooShort(s, len);
      const idLen = u16(buf, p);
      if (p + 2 + idLen > end) return tooShort(s, len);
      s.clientId = buf.toString('utf8', p + 2, p + 2 + idLen);
      return;
    }
    case 2: // CONNACK: the return/reason code sits at the same place in every version
      if (p + 2 > end) return tooShort(s, len);
      s.reason = buf[p + 1];
      return;
    case 3: { // PUBLISH
      const qos = (flags >> 1) & 3;
      if (qos === 3) s.problem = 'QoS 3 is reserved [MQTT-3.3.1-4]';
      if (p + 2 > end) return tooShort(s, len);
      const tlen = u16(buf, p);
      if (p + 2 + tlen > end) return tooShort(s, len);
      s.topicStart = p + 2 - off;
      s.topicLen = tlen;
      s.problem ??= topicProblem(buf, p + 2, tlen);
      p += 2 + tlen;
      if (qos > 0) {
        if (p + 2 > end) return tooShort(s, len);
        s.packetId = u16(buf, p);
        if (s.packetId === 0) s.problem ??= 'packet identifier 0 is not allowed [MQTT-2.3.1-1]';
        p += 2;
      }
      if (version === 5) {
        p = skipProperties(buf, p, end);
        if (p < 0) return tooShort(s, len);
      }
      s.head = p - off;
      return;
    }
    case 4: case 5: case 6: case 7: // PUBACK PUBREC PUBREL PUBCOMP
      if (p + 2 > end) return tooShort(s, len);
      s.packetId = u16(buf, p);
      if (version === 5 && p + 2 < end) s.reason = buf[p + 2];
      return;
    case 8: case 10: { // SUBSCRIBE UNSUBSCRIBE
      if (p + 2 > end) return tooShort(s, len);
      s.packetId = u16(buf, p);
      p += 2;
      if (version === 5) {
        p = skipProperties(buf, p, end);
        if (p < 0) return tooShort(s, len);
      }
      if (p + 2 > end) { s.problem ??= 'no topic filter [MQTT-3.8.3-3]'; return; }
      const tlen = u16(buf, p);
      if (p + 2 + tlen > end) return tooShort(s, len);
      s.topicStart = p + 2 - off;
      s.topicLen = tlen;
      s.problem ??= topicProblem(buf, p + 2, tlen);
      return;
    }
    case 9: case 11: { // SUBACK UNSUBACK
      if (p + 2 > end) return tooShort(s, len);
      s.packetId = u16(buf, p);
      p += 2;
      if (version === 5) {
        p = skipProperties(buf, p, end);
        if (p < 0) return tooShort(s, len);
      }
      if (p < end) s.reason = buf[p];
      return;
    }
    case 14: case 15: // DISCONNECT AUTH
      if (version === 5 && p < end) s.reason = buf[p];
      return;
    default:
      return;
  }
}

export function newSummary(): Summary {
  return { packetId: 0, reason: NO_REASON, topicStart: -1, topicLen: 0, head: 0, problem: null, level: 0, clientId: null };
}
