// The MQTT 5 properties of one packet (not a CONNECT's Will properties), read straight from the bytes
// without building a field tree: what display filters need for prop.<name>, about 20× cheaper than a
// full dissect. A list broken mid-way yields the properties before the break (dissect says what broke).
import type { FrameProperty } from '../filter/facts';
import { PROPERTIES } from './properties';

const utf8 = new TextDecoder();

// A plain function, not a closure per call: this runs for every frame a filter or the index reads.
function u16(b: Uint8Array, at: number): number { return (b[at] << 8) | b[at + 1]; }

function hexOf(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

/** `version`: the connection's protocol level (a CONNECT carries its own). */
export function packetProperties(b: Uint8Array, version: number): FrameProperty[] {
  const r = propertyBytes(b, version);
  return r ? decodeProperties(b, r.from, r.to) : [];
}

/**
 * Where a packet's property list lies ([from, to) of `b`), or null when it has none. What the list means
 * depends on these bytes alone, so equal bytes are equal properties (the filter index relies on it).
 */
export function propertyBytes(b: Uint8Array, version: number): { from: number; to: number } | null {
  if (b.length < 2) return null;
  let p = 1;
  let rl = 0;
  for (let i = 0, mult = 1; ; i++, mult *= 128) {
    if (i === 4 || p >= b.length) return null;
    const x = b[p++];
    rl += (x & 127) * mult;
    if (!(x & 128)) break;
  }
  const end = Math.min(b.length, p + rl);
  let v = version;
  switch (b[0] >> 4) {
    case 1: // CONNECT: protocol name, level, flags, keep alive
      if (p + 2 > end) return null;
      p += 2 + u16(b, p);
      if (p >= end) return null;
      v = b[p];
      p += 4;
      break;
    case 2: p += 2; break; // CONNACK: flags, reason code
    case 3: // PUBLISH: topic, packet id when QoS > 0
      if (p + 2 > end) return null;
      p += 2 + u16(b, p) + (((b[0] >> 1) & 3) > 0 ? 2 : 0);
      break;
    case 4: case 5: case 6: case 7: // acks: packet id, then reason code and properties only when present
      p += 2;
      if (end - p < 2) return null;
      p += 1;
      break;
    case 8: case 9: case 10: case 11: p += 2; break;
    case 14: case 15: // DISCONNECT, AUTH: reason code, then properties when present
      if (end - p < 2) return null;
      p += 1;
      break;
    default: return null;
  }
  if (v !== 5 || p >= end) return null;
  let len = 0;
  for (let i = 0, mult = 1; ; i++, mult *= 128) {
    if (i === 4 || p >= end) return null;
    const x = b[p++];
    len += (x & 127) * mult;
    if (!(x & 128)) break;
  }
  return { from: p, to: Math.min(end, p + len) };
}

/** The properties in b[from, to): a list broken mid-way yields those before the break. */
export function decodeProperties(b: Uint8Array, from: number, stop: number): FrameProperty[] {
  let p = from;
  const out: FrameProperty[] = [];
  while (p < stop) {
    let id = 0;
    for (let i = 0, mult = 1; ; i++, mult *= 128) {
      if (i === 4 || p >= stop) return out;
      const x = b[p++];
      id += (x & 127) * mult;
      if (!(x & 128)) break;
    }
    const def = PROPERTIES.get(id);
    if (!def) return out;
    switch (def.type) {
      case 'byte': if (p + 1 > stop) return out; out.push({ name: def.name, value: b[p] }); p += 1; break;
      case 'u16': if (p + 2 > stop) return out; out.push({ name: def.name, value: u16(b, p) }); p += 2; break;
      case 'u32': if (p + 4 > stop) return out; out.push({ name: def.name, value: b[p] * 2 ** 24 + (b[p + 1] << 16) + (b[p + 2] << 8) + b[p + 3] }); p += 4; break;
      case 'varint': {
        let n = 0;
        for (let i = 0, mult = 1; ; i++, mult *= 128) {
          if (i === 4 || p >= stop) return out;
          const x = b[p++];
          n += (x & 127) * mult;
          if (!(x & 128)) break;
        }
        out.push({ name: def.name, value: n });
        break;
      }
      case 'utf8': case 'binary': {
        if (p + 2 > stop) return out;
        const n = u16(b, p);
        if (p + 2 + n > stop) return out;
        out.push({ name: def.name, value: def.type === 'utf8' ? utf8.decode(b.subarray(p + 2, p + 2 + n)) : hexOf(b, p + 2, p + 2 + n) });
        p += 2 + n;
        break;
      }
      case 'pair': {
        if (p + 2 > stop) return out;
        const kn = u16(b, p);
        if (p + 4 + kn > stop) return out;
        const vn = u16(b, p + 2 + kn);
        if (p + 4 + kn + vn > stop) return out;
        out.push({ name: def.name, key: utf8.decode(b.subarray(p + 2, p + 2 + kn)), value: utf8.decode(b.subarray(p + 4 + kn, p + 4 + kn + vn)) });
        p += 4 + kn + vn;
        break;
      }
    }
  }
  return out;
}
