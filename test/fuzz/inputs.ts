// Seeded, structure-aware inputs: valid MQTT packets of every type (3.1.1 and 5.0) with one field broken
// (found with the dissector's byte ranges), random bytes, huge claimed lengths and packets cut short.
import mqttPacket from 'mqtt-packet';
import type { FieldNode } from '../../shared/contract/types';
import { dissect } from '../../shared/mqtt/dissect';

export type Rng = () => number;

/** mulberry32: the same inputs for the same seed on every machine. */
export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)];
const str = (r: Rng, n: number) => Array.from({ length: int(r, n) + 1 }, () => pick(r, ['a', 'b', '/', '+', '#', 'ü', '$', 'x'])).join('');

export function validPacket(r: Rng, version: 4 | 5): Buffer {
  const id = 1 + int(r, 65535);
  const props = version === 5 && r() < 0.5 ? { userProperties: { k: 'v' }, ...(r() < 0.5 ? { contentType: 'text/plain' } : {}) } : undefined;
  const all: object[] = [
    { cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clientId: `fz${int(r, 1000)}`, clean: r() < 0.5, keepalive: int(r, 100),
      ...(r() < 0.3 ? { will: { topic: 'w/t', payload: Buffer.from('bye'), qos: int(r, 3), retain: false } } : {}), ...(r() < 0.3 ? { username: 'u', password: Buffer.from('p') } : {}) },
    { cmd: 'connack', returnCode: 0, reasonCode: 0, sessionPresent: false },
    { cmd: 'publish', topic: str(r, 20), payload: Buffer.alloc(int(r, 300), int(r, 256)), qos: int(r, 3), messageId: id, retain: r() < 0.3, dup: false, properties: props },
    { cmd: 'puback', messageId: id }, { cmd: 'pubrec', messageId: id }, { cmd: 'pubrel', messageId: id }, { cmd: 'pubcomp', messageId: id },
    { cmd: 'subscribe', messageId: id, subscriptions: [{ topic: str(r, 12), qos: int(r, 3) }], properties: props },
    { cmd: 'suback', messageId: id, granted: [0, 1, 2, 128] },
    { cmd: 'unsubscribe', messageId: id, unsubscriptions: [str(r, 10)] },
    { cmd: 'unsuback', messageId: id },
    { cmd: 'pingreq' }, { cmd: 'pingresp' },
    { cmd: 'disconnect' },
  ];
  if (version === 5) all.push({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'm' } });
  try {
    return mqttPacket.generate(pick(r, all) as mqttPacket.Packet, { protocolVersion: version });
  } catch {
    return Buffer.from([0xc0, 0x00]);
  }
}

function leaves(nodes: FieldNode[], out: FieldNode[] = []): FieldNode[] {
  for (const n of nodes) {
    if (n.children?.length) leaves(n.children, out);
    else if (n.length > 0) out.push(n);
  }
  return out;
}

const BOUNDARY = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe];

/** A valid packet with exactly one field broken. */
export function brokenField(r: Rng, pk: Buffer, version: 4 | 5): Buffer {
  const b = Buffer.from(pk);
  const fields = leaves(dissect(b, version));
  const f = fields.length ? pick(r, fields) : { offset: 0, length: b.length };
  const at = f.offset + int(r, Math.max(1, f.length));
  if (at >= b.length) return b;
  switch (int(r, 4)) {
    case 0: b[at] ^= 1 << int(r, 8); return b;
    case 1: b[at] = pick(r, BOUNDARY); return b;
    case 2: for (let i = f.offset; i < Math.min(b.length, f.offset + f.length); i++) b[i] = int(r, 256); return b;
    default: return Buffer.concat([b.subarray(0, at), Buffer.alloc(1 + int(r, 8), int(r, 256)), b.subarray(at)]);
  }
}

/** A fixed header claiming up to 256 MiB, followed by a few real bytes: a peer that lies about its size. */
export function hugeClaim(r: Rng): Buffer {
  const claim = [0x7f, 0x3fff, 0x1fffff, 0xfffffff][int(r, 4)] - int(r, 100);
  const vbi: number[] = [];
  let x = claim;
  do { let d = x % 128; x = Math.floor(x / 128); if (x > 0) d |= 0x80; vbi.push(d); } while (x > 0);
  return Buffer.concat([Buffer.from([pick(r, [0x30, 0x32, 0x82, 0x10, 0xf0]), ...vbi]), Buffer.alloc(int(r, 16), 0x61)]);
}

export type InputKind = 'valid' | 'broken-field' | 'random' | 'huge-claim' | 'cut-short';

export function makeInput(r: Rng, version: 4 | 5): { kind: InputKind; bytes: Buffer } {
  const x = r();
  if (x < 0.1) return { kind: 'valid', bytes: validPacket(r, version) };
  if (x < 0.6) return { kind: 'broken-field', bytes: brokenField(r, validPacket(r, version), version) };
  if (x < 0.75) return { kind: 'random', bytes: Buffer.from(Array.from({ length: 1 + int(r, 120) }, () => int(r, 256))) };
  if (x < 0.85) return { kind: 'huge-claim', bytes: hugeClaim(r) };
  const pk = validPacket(r, version);
  return { kind: 'cut-short', bytes: pk.subarray(0, Math.max(1, int(r, pk.length))) };
}

/** Chunks of `b`: every split point for short inputs (as separate variants), random splits otherwise. */
export function splits(r: Rng, b: Buffer): Buffer[][] {
  if (b.length <= 24) {
    const out: Buffer[][] = [[b]];
    for (let i = 1; i < b.length; i++) out.push([b.subarray(0, i), b.subarray(i)]);
    return out;
  }
  const parts: Buffer[] = [];
  for (let i = 0; i < b.length;) { const n = 1 + int(r, 64); parts.push(b.subarray(i, i + n)); i += n; }
  return [[b], parts];
}
