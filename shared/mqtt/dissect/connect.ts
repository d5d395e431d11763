// CONNECT (§3.1) and CONNACK (§3.2) for MQTT 3.1, 3.1.1 and 5.0.
import type { FieldNode, ProtocolVersion } from '../../contract/types';
import { isValidReasonCode, reasonText } from '../reason-codes';
import { readProperties } from './properties';
import { bin, hex, payloadPreview, rule, section, setOrNot, str, u16, u8, type Ctx } from './reader';

const LEVEL_NAMES: Record<number, string> = { 3: 'MQTT 3.1', 4: 'MQTT 3.1.1', 5: 'MQTT 5.0' };
/** Bridges (mosquitto) set bit 7 of the level byte: non-standard, but common on the wire. */
const BRIDGE_BIT = 0x80;

/** The protocol level a CONNECT declares, read without decoding the rest. */
export function connectLevel(b: Uint8Array, bodyStart: number): ProtocolVersion | null {
  if (b.length < bodyStart + 2) return null;
  const nameLen = (b[bodyStart] << 8) | b[bodyStart + 1];
  const at = bodyStart + 2 + nameLen;
  if (at >= b.length) return null;
  const level = b[at] & ~BRIDGE_BIT;
  return level === 3 || level === 4 || level === 5 ? level : null;
}

export function dissectConnect(c: Ctx, out: FieldNode[]): void {
  let flags = 0;
  section(c, out, 'Variable header', (kids) => {
    const name = str(c, kids, 'Protocol name');
    const levelNode = u8(c, kids, 'Protocol level', (v) => {
      const base = LEVEL_NAMES[v & ~BRIDGE_BIT];
      if (!base) return `${v} (unknown)`;
      return v & BRIDGE_BIT ? `${v} (${base}, bridge bit set: non-standard)` : `${v} (${base})`;
    });
    const level = (levelNode.num ?? 0) & ~BRIDGE_BIT;
    const expected = level === 3 ? 'MQIsdp' : 'MQTT';
    if (name.text !== 'MQTT' && name.text !== 'MQIsdp') {
      name.node.problem ??= `protocol name must be "MQTT" (or "MQIsdp" for MQTT 3.1) [MQTT-3.1.2-1]`;
    } else if (LEVEL_NAMES[level] && name.text !== expected) {
      name.node.problem ??= `protocol name "${name.text}" does not go with level ${level} (expected "${expected}")`;
    }
    if (!LEVEL_NAMES[level]) {
      levelNode.problem = `unsupported protocol level ${levelNode.num}: the server answers with CONNACK 0x01/0x84 [MQTT-3.1.2-2]`;
    }
    const f = u8(c, kids, 'Connect flags', (v) => hex(v));
    flags = f.num ?? 0;
    f.children = connectFlagBits(c, f.offset, flags);
    u16(c, kids, 'Keep alive', (v) => (v === 0 ? '0 (disabled)' : `${v} s`));
    if (c.v === 5) readProperties(c, kids, 'CONNECT');
  });
  section(c, out, 'Payload', (kids) => {
    const id = str(c, kids, 'Client identifier');
    const cleanBit = (flags >> 1) & 1;
    if (c.v === 3 && (id.text.length < 1 || id.text.length > 23)) {
      id.node.problem ??= 'MQTT 3.1 requires a client identifier of 1 to 23 characters (§3.1)';
    } else if (c.v === 4 && id.text.length === 0 && !cleanBit) {
      id.node.problem ??= 'an empty client identifier requires Clean Session = 1 [MQTT-3.1.3-7]';
    }
    if (flags & 0x04) {
      if (c.v === 5) readProperties(c, kids, 'WILL', 'Will properties');
      str(c, kids, 'Will topic');
      bin(c, kids, 'Will payload', (bytes) => payloadPreview(bytes, 0, bytes.length));
    }
    if (flags & 0x80) str(c, kids, 'User name');
    if (flags & 0x40) bin(c, kids, 'Password', (bytes) => `•••• (${bytes.length} bytes)`);
  });
}

function connectFlagBits(c: Ctx, offset: number, f: number): FieldNode[] {
  const bit = (name: string, mask: number, value: string, num: number, problem?: string): FieldNode => {
    const n: FieldNode = { name: `${name} (${hex(mask)})`, value, num, offset, length: 1 };
    if (problem) n.problem = problem;
    return n;
  };
  const will = (f >> 2) & 1;
  const willQos = (f >> 3) & 3;
  const willRetain = (f >> 5) & 1;
  const password = (f >> 6) & 1;
  const user = (f >> 7) & 1;
  let qosProblem: string | undefined;
  if (willQos === 3) qosProblem = `Will QoS 3 is not allowed ${rule(c, '3.1.2-12', '3.1.2-14')}`;
  else if (!will && willQos) qosProblem = `Will QoS must be 0 when the Will Flag is 0 ${rule(c, '3.1.2-11', '3.1.2-13')}`;
  return [
    bit('User name flag', 0x80, setOrNot(user), user),
    bit('Password flag', 0x40, setOrNot(password), password,
      // 5.0 allows a password without a user name; 3.1.1 does not.
      c.v !== 5 && password && !user ? 'Password Flag needs the User Name Flag [MQTT-3.1.2-22]' : undefined),
    bit('Will retain', 0x20, setOrNot(willRetain), willRetain,
      willRetain && !will ? `Will Retain must be 0 when the Will Flag is 0 ${rule(c, '3.1.2-13', '3.1.2-15')}` : undefined),
    bit('Will QoS', 0x18, `${willQos}`, willQos, qosProblem),
    bit('Will flag', 0x04, setOrNot(will), will),
    bit(c.v === 5 ? 'Clean start' : 'Clean session', 0x02, setOrNot((f >> 1) & 1), (f >> 1) & 1),
    bit('Reserved', 0x01, String(f & 1), f & 1, f & 1 ? 'reserved flag must be 0 [MQTT-3.1.2-3]' : undefined),
  ];
}

export function dissectConnack(c: Ctx, out: FieldNode[]): void {
  section(c, out, 'Variable header', (kids) => {
    const ack = u8(c, kids, 'Acknowledge flags', (v) => hex(v));
    const a = ack.num ?? 0;
    if (c.v === 3) {
      // MQTT 3.1 has no Session Present: the whole byte is reserved.
      ack.children = [{ name: 'Reserved', value: hex(a), num: a, offset: ack.offset, length: 1 }];
    } else {
      const sp: FieldNode = { name: 'Session present (0x01)', value: setOrNot(a & 1), num: a & 1, offset: ack.offset, length: 1 };
      const reserved: FieldNode = { name: 'Reserved (0xfe)', value: hex(a & 0xfe), num: a & 0xfe, offset: ack.offset, length: 1 };
      if (a & 0xfe) reserved.problem = `bits 7-1 of the acknowledge flags are reserved and must be 0 ${c.v === 5 ? '[MQTT-3.2.2-1]' : '(§3.2.2.1)'}`;
      ack.children = [sp, reserved];
    }
    const name = c.v === 5 ? 'Reason code' : 'Return code';
    const rc = u8(c, kids, name, (v) => `${hex(v)} ${reasonText(v, 'CONNACK', c.v)}`);
    const code = rc.num ?? 0;
    if (!isValidReasonCode(code, 'CONNACK', c.v)) {
      rc.problem = c.v === 5 ? `${hex(code)} is not a CONNACK reason code (§3.2.2.2)` : `return code ${code} is reserved (§3.2.2.3)`;
    }
    if (c.v !== 3 && code !== 0 && a & 1) {
      ack.children![0].problem = `Session Present must be 0 when the connection is refused ${rule(c, '3.2.2-6', '3.2.2-4')}`;
    }
    if (c.v === 5) readProperties(c, kids, 'CONNACK');
  });
}
