// PUBLISH (§3.3) and its acknowledgements PUBACK, PUBREC, PUBREL, PUBCOMP (§3.4-3.7).
import type { FieldNode } from '../../contract/types';
import { firstInvalidUtf8 } from '../../util/utf8';
import { isValidReasonCode, reasonText } from '../reason-codes';
import { readProperties } from './properties';
import { hex, payloadPreview, push, rule, section, str, u16, u8, type Ctx } from './reader';

/** Packet identifier; 0 is never valid where one is required. */
export function packetId(c: Ctx, out: FieldNode[]): FieldNode {
  const node = u16(c, out, 'Packet identifier');
  if (node.num === 0) node.problem = `packet identifier must be non-zero ${rule(c, '2.2.1-3', '2.3.1-1')}`;
  return node;
}

export function dissectPublish(c: Ctx, out: FieldNode[], flags: number): void {
  const qos = (flags >> 1) & 3;
  let topicNode: FieldNode | undefined;
  let props: Map<number, unknown> | undefined;
  section(c, out, 'Variable header', (kids) => {
    const topic = str(c, kids, 'Topic');
    topicNode = topic.node;
    if (!topic.node.problem) {
      // [MQTT-3.3.2-2] no wildcards in a topic name.
      if (/[+#]/.test(topic.text)) topic.node.problem = "topic name must not contain '+' or '#' [MQTT-3.3.2-2]";
      // An empty topic is only legal in 5.0 together with a Topic Alias (checked below).
      else if (topic.text.length === 0 && c.v !== 5) topic.node.problem = 'topic name must not be empty [MQTT-4.7.3-1]';
    }
    if (qos > 0) packetId(c, kids);
    if (c.v === 5) props = readProperties(c, kids, 'PUBLISH');
  });
  if (c.v === 5 && topicNode && topicNode.length === 0 && props && !props.has(0x23) && !topicNode.problem) {
    topicNode.problem = 'empty topic name without a Topic Alias (protocol error, §3.3.2.1)';
  }
  const start = c.pos;
  const end = c.end;
  const node = push(out, { name: 'Payload', value: payloadPreview(c.b, start, end), num: end - start, offset: start, length: end - start });
  // Payload Format Indicator 1 promises UTF-8; receivers may reject it with 0x99 (§3.3.2.3.2).
  if (props?.get(0x01) === 1 && end === c.limit) {
    const bad = firstInvalidUtf8(c.b, start, end);
    if (bad >= 0) node.problem = `Payload Format Indicator says UTF-8 but byte ${bad} of the payload is not valid UTF-8 (§3.3.2.3.2)`;
  }
  c.pos = end;
}

/** PUBACK, PUBREC, PUBREL, PUBCOMP: same layout, different reason codes. */
export function dissectPubAck(c: Ctx, out: FieldNode[]): void {
  section(c, out, 'Variable header', (kids) => {
    packetId(c, kids);
    if (c.v !== 5) return;
    // 5.0 short forms (§3.4.2.1): remaining length 2 means Success and no properties;
    // remaining length 3 means a reason code and no properties.
    if (c.pos >= c.limit) {
      kids.push({ name: 'Reason code', value: `0x00 ${reasonText(0, c.type, 5)} (implied: short form)`, num: 0, offset: c.pos, length: 0 });
      return;
    }
    reasonCode(c, kids, 'Reason code');
    if (c.pos >= c.limit) {
      kids.push({ name: 'Properties', value: '(none, implied: short form)', num: 0, offset: c.pos, length: 0 });
      return;
    }
    readProperties(c, kids, c.type);
  });
}

/** One reason code byte, named for the packet it is in, with a problem if it is not defined there. */
export function reasonCode(c: Ctx, out: FieldNode[], name: string): FieldNode {
  const node = u8(c, out, name, (v) => `${hex(v)} ${reasonText(v, c.type, c.v)}`);
  const code = node.num ?? 0;
  if (!isValidReasonCode(code, c.type, c.v)) {
    node.problem = c.v === 5
      ? `${hex(code)} is not a valid reason code for ${c.type} (§2.4)`
      : `return code ${hex(code)} is reserved [MQTT-3.9.3-2]`;
  }
  return node;
}
