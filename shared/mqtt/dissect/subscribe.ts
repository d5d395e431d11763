// SUBSCRIBE (§3.8), SUBACK (§3.9), UNSUBSCRIBE (§3.10), UNSUBACK (§3.11).
import type { FieldNode } from '../../contract/types';
import { parseSharedFilter, validateTopicFilter } from '../topic';
import { readProperties } from './properties';
import { packetId, reasonCode } from './publish';
import { hex, rule, section, setOrNot, str, u8, type Ctx } from './reader';

const QOS_NAMES = ['at most once', 'at least once', 'exactly once', 'reserved'];
const RETAIN_HANDLING = [
  'send retained messages at subscribe',
  'send retained only if the subscription is new',
  'do not send retained messages',
  'reserved',
];

function filterProblem(text: string, node: FieldNode): void {
  if (node.problem) return;
  const p = validateTopicFilter(text);
  if (p) node.problem = p;
}

export function dissectSubscribe(c: Ctx, out: FieldNode[]): void {
  section(c, out, 'Variable header', (kids) => {
    packetId(c, kids);
    if (c.v === 5) readProperties(c, kids, 'SUBSCRIBE');
  });
  const payload = section(c, out, 'Payload', (kids) => {
    let n = 0;
    while (c.pos < c.end) {
      n++;
      const entry: FieldNode = { name: `Subscription ${n}`, offset: c.pos, length: 0, children: [] };
      kids.push(entry);
      try {
        const f = str(c, entry.children!, 'Topic filter');
        filterProblem(f.text, f.node);
        const o = u8(c, entry.children!, 'Subscription options', (v) => hex(v));
        const opts = o.num ?? 0;
        o.children = optionBits(c, o.offset, opts);
        // [MQTT-3.8.3-4] No Local on a shared subscription is a protocol error.
        if (c.v === 5 && opts & 0x04 && parseSharedFilter(f.text)) {
          o.problem = 'No Local must not be set on a shared subscription [MQTT-3.8.3-4]';
        }
        entry.value = `${f.text} (QoS ${opts & 3})`;
      } finally {
        entry.length = c.pos - entry.offset;
      }
    }
  });
  if (payload.children!.length === 0 && c.pos >= c.limit) {
    payload.problem = `SUBSCRIBE must contain at least one topic filter ${rule(c, '3.8.3-2', '3.8.3-3')}`;
  }
}

function optionBits(c: Ctx, offset: number, o: number): FieldNode[] {
  const bit = (name: string, value: string, num: number, problem?: string): FieldNode => {
    const n: FieldNode = { name, value, num, offset, length: 1 };
    if (problem) n.problem = problem;
    return n;
  };
  const qos = o & 3;
  const qosNode = bit(c.v === 5 ? 'Maximum QoS (0x03)' : 'Requested QoS (0x03)', `${qos} (${QOS_NAMES[qos]})`, qos,
    qos === 3 ? (c.v === 5 ? 'QoS 3 is reserved (protocol error, §3.8.3.1)' : 'QoS 3 is reserved [MQTT-3-8.3-4]') : undefined);
  if (c.v !== 5) {
    // 3.1.1 names this rule "MQTT-3-8.3-4" (sic).
    return [qosNode, bit('Reserved (0xfc)', hex(o & 0xfc), o & 0xfc,
      o & 0xfc ? 'reserved bits 7-2 must be 0 [MQTT-3-8.3-4]' : undefined)];
  }
  const rh = (o >> 4) & 3;
  return [
    qosNode,
    bit('No Local (0x04)', setOrNot(o & 4), (o >> 2) & 1),
    bit('Retain As Published (0x08)', setOrNot(o & 8), (o >> 3) & 1),
    bit('Retain Handling (0x30)', `${rh} (${RETAIN_HANDLING[rh]})`, rh,
      rh === 3 ? 'Retain Handling 3 is a protocol error (§3.8.3.1)' : undefined),
    bit('Reserved (0xc0)', hex(o & 0xc0), o & 0xc0, o & 0xc0 ? 'reserved bits 7-6 must be 0 [MQTT-3.8.3-5]' : undefined),
  ];
}

export function dissectSuback(c: Ctx, out: FieldNode[]): void {
  section(c, out, 'Variable header', (kids) => {
    packetId(c, kids);
    if (c.v === 5) readProperties(c, kids, 'SUBACK');
  });
  codeList(c, out, c.v === 5 ? 'Reason code' : 'Return code');
}

export function dissectUnsubscribe(c: Ctx, out: FieldNode[]): void {
  section(c, out, 'Variable header', (kids) => {
    packetId(c, kids);
    if (c.v === 5) readProperties(c, kids, 'UNSUBSCRIBE');
  });
  const payload = section(c, out, 'Payload', (kids) => {
    let n = 0;
    while (c.pos < c.end) {
      n++;
      const f = str(c, kids, `Topic filter ${n}`);
      filterProblem(f.text, f.node);
    }
  });
  if (payload.children!.length === 0 && c.pos >= c.limit) {
    payload.problem = 'UNSUBSCRIBE must contain at least one topic filter [MQTT-3.10.3-2]';
  }
}

export function dissectUnsuback(c: Ctx, out: FieldNode[]): void {
  section(c, out, 'Variable header', (kids) => {
    packetId(c, kids);
    if (c.v === 5) readProperties(c, kids, 'UNSUBACK');
  });
  // 3.1/3.1.1 UNSUBACK has no payload.
  if (c.v === 5) codeList(c, out, 'Reason code');
}

/** SUBACK/UNSUBACK payload: one code per filter, in the order of the request. */
function codeList(c: Ctx, out: FieldNode[], name: string): void {
  const payload = section(c, out, 'Payload', (kids) => {
    let n = 0;
    while (c.pos < c.end) reasonCode(c, kids, `${name} ${++n}`);
  });
  if (payload.children!.length === 0 && c.pos >= c.limit) {
    payload.problem = `${c.type} must contain a ${name.toLowerCase()} for each topic filter (§${c.type === 'SUBACK' ? '3.9.3' : '3.11.3'})`;
  }
}
