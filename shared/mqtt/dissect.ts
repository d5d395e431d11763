// bytes of ONE complete MQTT control packet -> a field tree with byte ranges, for the detail pane
// and hex highlighting. Covers MQTT 3.1 ("MQIsdp", level 3), 3.1.1 (level 4) and 5.0 (level 5).
//
// dissect() never throws. Malformed input yields what could be decoded plus nodes whose `problem`
// names the rule that was broken: the trace keeps malformed frames, so the dissector must too.
import { PACKET_TYPES, type FieldNode, type PacketType, type ProtocolVersion } from '../contract/types';
import { connectLevel, dissectConnack, dissectConnect } from './dissect/connect';
import { dissectReasonAndProperties } from './dissect/disconnect';
import { dissectPubAck, dissectPublish } from './dissect/publish';
import { STOP, decodeVbi, hex, rawRest, setOrNot, type Ctx } from './dissect/reader';
import { dissectSuback, dissectSubscribe, dissectUnsuback, dissectUnsubscribe } from './dissect/subscribe';

export { PROPERTIES } from './properties';

const QOS_NAMES = ['at most once', 'at least once', 'exactly once', 'reserved'];
/** Largest remaining length a four-byte Variable Byte Integer can carry. */
export const MAX_REMAINING_LENGTH = 268_435_455;

export function dissect(bytes: Uint8Array, protocolVersion: ProtocolVersion): FieldNode[] {
  const out: FieldNode[] = [];
  try {
    dissectInto(bytes, protocolVersion, out);
  } catch (e) {
    if (e !== STOP) {
      out.push({ name: 'Dissector error', offset: 0, length: bytes.length, problem: `internal dissector error: ${String(e)}` });
    }
  }
  return out;
}

/** The level byte of a CONNECT (3, 4 or 5), or null when `bytes` is not a readable CONNECT. */
export function protocolVersionOfConnect(bytes: Uint8Array): ProtocolVersion | null {
  if (bytes.length < 2 || bytes[0] >> 4 !== 1) return null;
  const rl = decodeVbi(bytes, 1, bytes.length, 4);
  if (!rl.complete || rl.length === 4 && rl.problem?.startsWith('exceeds')) return null;
  return connectLevel(bytes, 1 + rl.length);
}

function dissectInto(b: Uint8Array, requested: ProtocolVersion, out: FieldNode[]): void {
  const header: FieldNode = { name: 'Fixed header', offset: 0, length: Math.min(1, b.length), children: [] };
  out.push(header);
  const hk = header.children!;
  if (b.length === 0) {
    header.problem = 'empty: no bytes to decode';
    return;
  }
  const typeNum = b[0] >> 4;
  const flags = b[0] & 0x0f;
  const type: PacketType = PACKET_TYPES[typeNum];
  header.value = type;

  // Only CONNECT says which protocol it speaks; for it, its own level wins over the caller's guess.
  const v: ProtocolVersion = (type === 'CONNECT' && connectLevel(b, 1 + Math.max(1, decodeVbi(b, 1, b.length, 4).length))) || requested;

  const typeNode: FieldNode = { name: 'Packet type', value: `${type} (${typeNum})`, num: typeNum, offset: 0, length: 1 };
  if (typeNum === 0) typeNode.problem = 'packet type 0 is reserved (§2.1.2)';
  else if (typeNum === 15 && v !== 5) typeNode.problem = 'packet type 15 (AUTH) is reserved before MQTT 5.0 (§2.2.1 of 3.1.1)';
  hk.push(typeNode);
  hk.push(flagsNode(type, flags, v));

  const rl = decodeVbi(b, 1, b.length, v);
  const rlNode: FieldNode = { name: 'Remaining length', value: `${rl.value}`, num: rl.value, offset: 1, length: rl.length };
  hk.push(rlNode);
  header.length = 1 + rl.length;
  if (!rl.complete) {
    rlNode.problem = `truncated: remaining length is incomplete (${rl.length} byte${rl.length === 1 ? '' : 's'} read, continuation bit set)`;
    return;
  }
  if (rl.problem) {
    rlNode.problem = `remaining length ${rl.problem}`;
    if (rl.problem.startsWith('exceeds')) {
      rlNode.value = 'invalid';
      return;
    }
  }
  const start = 1 + rl.length;
  const limit = start + rl.value;
  if (limit > b.length && !rlNode.problem) {
    rlNode.problem = `truncated: ${limit - b.length} bytes missing (remaining length ${rl.value}, ${b.length - start} present)`;
  }
  const c: Ctx = { b, pos: start, end: Math.min(limit, b.length), limit, bound: 'remaining length', v, type };
  try {
    dissectBody(c, out, flags);
    if (c.pos < c.end) {
      rawRest(c, out, 'Unexpected bytes', `${c.end - c.pos} bytes left after the last field of ${type}: remaining length too large or a field is missing (malformed packet)`);
    }
  } finally {
    if (b.length > limit) {
      out.push({
        name: 'Trailing bytes', offset: limit, length: b.length - limit, num: b.length - limit,
        problem: `${b.length - limit} bytes after the end of the packet (remaining length says ${rl.value})`,
      });
    }
  }
}

function dissectBody(c: Ctx, out: FieldNode[], flags: number): void {
  switch (c.type) {
    case 'CONNECT': return dissectConnect(c, out);
    case 'CONNACK': return dissectConnack(c, out);
    case 'PUBLISH': return dissectPublish(c, out, flags);
    case 'PUBACK': case 'PUBREC': case 'PUBREL': case 'PUBCOMP': return dissectPubAck(c, out);
    case 'SUBSCRIBE': return dissectSubscribe(c, out);
    case 'SUBACK': return dissectSuback(c, out);
    case 'UNSUBSCRIBE': return dissectUnsubscribe(c, out);
    case 'UNSUBACK': return dissectUnsuback(c, out);
    case 'PINGREQ': case 'PINGRESP': return;
    case 'DISCONNECT': return dissectReasonAndProperties(c, out);
    case 'AUTH':
      if (c.v === 5) return dissectReasonAndProperties(c, out);
      return rawRest(c, out, 'Body');
    case 'RESERVED': return rawRest(c, out, 'Body');
  }
}

/** Types whose reserved flags are 0b0010 (§2.1.3 Table 2-2 in 5.0, §2.2.2 Table 2.2 in 3.1.1). */
const FLAGS_0010: ReadonlySet<PacketType> = new Set(['PUBREL', 'SUBSCRIBE', 'UNSUBSCRIBE']);

function flagsNode(type: PacketType, flags: number, v: ProtocolVersion): FieldNode {
  const node: FieldNode = { name: 'Flags', value: `${hex(flags, 1)} (0b${flags.toString(2).padStart(4, '0')})`, num: flags, offset: 0, length: 1 };
  if (type === 'PUBLISH') {
    const dup = (flags >> 3) & 1;
    const qos = (flags >> 1) & 3;
    const retain = flags & 1;
    const dupNode: FieldNode = { name: 'DUP (0x08)', value: setOrNot(dup), num: dup, offset: 0, length: 1 };
    const qosNode: FieldNode = { name: 'QoS (0x06)', value: `${qos} (${QOS_NAMES[qos]})`, num: qos, offset: 0, length: 1 };
    const retainNode: FieldNode = { name: 'RETAIN (0x01)', value: setOrNot(retain), num: retain, offset: 0, length: 1 };
    if (qos === 3) qosNode.problem = '[MQTT-3.3.1-4] QoS 3 is reserved';
    if (dup && qos === 0) dupNode.problem = '[MQTT-3.3.1-2] DUP must be 0 for QoS 0';
    node.children = [dupNode, qosNode, retainNode];
    node.value = `${hex(flags, 1)} (QoS ${qos}${dup ? ', DUP' : ''}${retain ? ', RETAIN' : ''})`;
    return node;
  }
  const expected = FLAGS_0010.has(type) ? 0b0010 : 0;
  const reserved: FieldNode = { name: 'Reserved', value: `0b${flags.toString(2).padStart(4, '0')}`, num: flags, offset: 0, length: 1 };
  node.children = [reserved];
  // MQTT 3.1 carried DUP/QoS/RETAIN in every header and let DUP vary on the 0b0010 types; only
  // the QoS 1 of those types is a rule there.
  const ok = v === 3 ? (!expected || (flags & 0b0110) === 0b0010) : flags === expected;
  if (!ok) {
    const want = `0b${expected.toString(2).padStart(4, '0')}`;
    reserved.problem = `reserved flags of ${type} must be ${want} ${v === 5 ? '[MQTT-2.1.3-1]' : '[MQTT-2.2.2-1]'}`;
  }
  return node;
}
