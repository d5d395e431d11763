// What the flow engine reads of a frame: the summary facts the trace keeps per frame, plus a few
// decoded extras that only some packets carry (all SUBACK codes, session present, the will, topic
// alias, payload identity). The extras are decoded from the stored bytes in the batch fold, never by
// the tap (decodeExtras below).
import type { FrameSummary, PacketType } from '../contract/types';
import { PROPERTIES } from '../mqtt/properties';

/** The facts of a FrameSummary the engine reads (tests build them without wall clock and sizes). */
export type FlowFrame = Omit<FrameSummary, 'wallMs' | 'flags' | 'length'>;

export interface FrameExtras {
  /** CONNECT */
  clientId?: string;
  /** CONNECT: protocol level (3, 4, 5). */
  level?: number;
  cleanStart?: boolean;
  will?: { topic: string; qos: 0 | 1 | 2; retain: boolean; payloadHash: number; payloadSize: number };
  /** CONNECT (limits the server) / CONNACK (limits the client). */
  receiveMaximum?: number;
  /** CONNACK */
  sessionPresent?: boolean;
  /** SUBACK / UNSUBACK: every code (the summary keeps only the first). */
  reasonCodes?: number[];
  /** PUBLISH (v5) */
  topicAlias?: number;
  /** PUBLISH: identity of the payload bytes (FNV-1a), to join a publish with its deliveries. */
  payloadHash?: number;
}

/** Packets whose extras the engine uses; the fold decodes nothing else. */
export function wantsExtras(type: PacketType | null): boolean {
  return type === 'CONNECT' || type === 'CONNACK' || type === 'SUBACK' || type === 'UNSUBACK' || type === 'PUBLISH';
}

/** 32-bit FNV-1a. */
export function hashBytes(b: Uint8Array, from = 0, to = b.length): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

class Reader {
  p: number;
  constructor(readonly b: Uint8Array, p: number, readonly end: number) { this.p = p; }
  ok(n: number): boolean { return this.p + n <= this.end; }
  u8(): number { if (!this.ok(1)) throw RangeError('short'); return this.b[this.p++]; }
  u16(): number { if (!this.ok(2)) throw RangeError('short'); const v = (this.b[this.p] << 8) | this.b[this.p + 1]; this.p += 2; return v; }
  varint(): number {
    let v = 0;
    for (let m = 1, i = 0; i < 4; i++, m *= 128) {
      const x = this.u8();
      v += (x & 0x7f) * m;
      if ((x & 0x80) === 0) return v;
    }
    throw RangeError('bad varint');
  }
  str(): string {
    const n = this.u16();
    if (!this.ok(n)) throw RangeError('short');
    const s = new TextDecoder().decode(this.b.subarray(this.p, this.p + n));
    this.p += n;
    return s;
  }
  skip(n: number): void { if (!this.ok(n)) throw RangeError('short'); this.p += n; }
  /** Walks a v5 property block, handing u16 values of the wanted ids to `on`. */
  props(on: (id: number, value: number) => void): void {
    const len = this.varint();
    const end = this.p + len;
    while (this.p < end) {
      const id = this.varint();
      const def = PROPERTIES.get(id);
      if (!def) { this.p = end; return; }
      switch (def.type) {
        case 'byte': this.skip(1); break;
        case 'u16': on(id, this.u16()); break;
        case 'u32': this.skip(4); break;
        case 'varint': this.varint(); break;
        case 'utf8': case 'binary': this.skip(this.u16()); break;
        case 'pair': this.skip(this.u16()); this.skip(this.u16()); break;
      }
    }
    this.p = end;
  }
}

const RECEIVE_MAXIMUM = 0x21;
const TOPIC_ALIAS = 0x23;

/**
 * Decode the extras of one well-formed packet (`bytes` is the whole frame). `version` is the
 * connection's protocol level (CONNECT carries its own). Bytes that end early give what was read.
 */
export function decodeExtras(type: PacketType | null, bytes: Uint8Array, version: number): FrameExtras | undefined {
  if (!wantsExtras(type) || bytes.length < 2) return undefined;
  let p = 1;
  while (p < 5 && p < bytes.length && bytes[p] & 0x80) p++;
  const r = new Reader(bytes, p + 1, bytes.length);
  const out: FrameExtras = {};
  try {
    switch (type) {
      case 'CONNECT': {
        r.skip(r.u16()); // protocol name
        const level = r.u8();
        out.level = level;
        const flags = r.u8();
        r.skip(2); // keep alive
        out.cleanStart = (flags & 2) !== 0;
        if (level === 5) r.props((id, v) => { if (id === RECEIVE_MAXIMUM) out.receiveMaximum = v; });
        out.clientId = r.str();
        if (flags & 4) {
          if (level === 5) r.props(() => {});
          const topic = r.str();
          const n = r.u16();
          if (!r.ok(n)) throw RangeError('short');
          out.will = { topic, qos: ((flags >> 3) & 3) as 0 | 1 | 2, retain: (flags & 0x20) !== 0, payloadHash: hashBytes(bytes, r.p, r.p + n), payloadSize: n };
        }
        break;
      }
      case 'CONNACK':
        out.sessionPresent = (r.u8() & 1) === 1;
        r.u8();
        if (version === 5 && r.p < r.end) r.props((id, v) => { if (id === RECEIVE_MAXIMUM) out.receiveMaximum = v; });
        break;
      case 'SUBACK': case 'UNSUBACK':
        r.u16();
        if (version === 5) r.props(() => {});
        out.reasonCodes = Array.from(bytes.subarray(r.p, r.end));
        break;
      case 'PUBLISH': {
        const qos = (bytes[0] >> 1) & 3;
        r.skip(r.u16());
        if (qos > 0) r.u16();
        if (version === 5) r.props((id, v) => { if (id === TOPIC_ALIAS) out.topicAlias = v; });
        out.payloadHash = hashBytes(bytes, r.p, r.end);
        break;
      }
    }
  } catch {
    // Ends early: keep what was read; the trace already flags the frame.
  }
  return out;
}
