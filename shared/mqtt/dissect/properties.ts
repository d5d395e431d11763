// MQTT 5.0 property lists (§2.2.2). The Property Length bounds the list, so a broken property only
// costs the rest of its own list: decoding resumes after it when the bytes are there.
import type { FieldNode } from '../../contract/types';
import { BOOLEAN_PROPERTIES, PROPERTIES, type PropertyContext } from '../properties';
import { STOP, bin, hex, hexPreview, push, str, u16, u32, u8, vbi, type Ctx } from './reader';

/** Decoded values by identifier; repeatable ones (User Property, Subscription Identifier) as arrays. */
export type PropertyValues = Map<number, unknown>;

function seconds(v: number): string {
  return `${v} s`;
}

function numberFormat(id: number): (v: number) => string {
  switch (id) {
    case 0x01: return (v) => `${v} (${v === 0 ? 'unspecified bytes' : v === 1 ? 'UTF-8 text' : 'invalid'})`;
    case 0x11: return (v) => (v === 0xffffffff ? `${v} (never expires)` : v === 0 ? '0 (ends with the connection)' : seconds(v));
    case 0x02: case 0x13: case 0x18: return seconds;
    case 0x27: return (v) => `${v} bytes`;
    case 0x24: return (v) => `QoS ${v}`;
    default:
      return BOOLEAN_PROPERTIES.has(id) ? (v) => `${v} (${v === 1 ? 'yes' : v === 0 ? 'no' : 'invalid'})` : String;
  }
}

/** Value rules from §3.x.2.x for a single numeric property, or undefined when it is fine. */
function numberProblem(id: number, v: number, context: PropertyContext): string | undefined {
  if (BOOLEAN_PROPERTIES.has(id) && v > 1) return 'must be 0 or 1 (protocol error)';
  if (id === 0x24 && v > 1) return 'Maximum QoS must be 0 or 1 (protocol error, §3.2.2.3.4)';
  if (id === 0x21 && v === 0) return 'Receive Maximum of 0 is a protocol error (§3.1.2.11.3)';
  if (id === 0x27 && v === 0) return 'Maximum Packet Size of 0 is a protocol error (§3.1.2.11.4)';
  if (id === 0x23 && v === 0) return 'Topic Alias 0 is not permitted [MQTT-3.3.2-8]';
  if (id === 0x0b && v === 0) return `Subscription Identifier 0 is a protocol error (${context === 'SUBSCRIBE' ? '§3.8.2.1.2' : '§3.3.2.3.8'})`;
  return undefined;
}

export function readProperties(c: Ctx, out: FieldNode[], context: PropertyContext, name = 'Properties'): PropertyValues {
  const values: PropertyValues = new Map();
  const node: FieldNode = { name, offset: c.pos, length: 0, children: [] };
  const kids = node.children!;
  out.push(node);
  let count = 0;
  let declared = 0;
  let sub: Ctx | null = null;
  const finish = (): void => {
    if (sub) c.pos = Math.max(c.pos, sub.pos);
    let end = c.pos;
    for (const k of kids) end = Math.max(end, k.offset + k.length); // no spread: lists can be huge
    node.length = end - node.offset;
    node.value = count === 0 ? '(none)' : `${count} ${count === 1 ? 'property' : 'properties'}`;
    node.num = declared;
  };
  try {
    const lenNode = vbi(c, kids, 'Property length', (v) => `${v} bytes`);
    declared = lenNode.num ?? 0;
    const propsEnd = c.pos + declared;
    if (propsEnd > c.limit) {
      lenNode.problem = `property length ${declared} runs past the ${c.bound} by ${propsEnd - c.limit} bytes (malformed packet)`;
    }
    sub = { ...c, limit: Math.min(propsEnd, c.limit), end: Math.min(propsEnd, c.end), bound: 'property length' };
  } catch (e) {
    finish();
    throw e;
  }
  try {
    while (sub.pos < sub.end) {
      if (!readOne(sub, kids, context, values)) break;
      count++;
    }
  } catch (e) {
    // Resume after the list if the packet still has it; otherwise there is nothing more to read.
    if (e !== STOP || sub.limit > c.end) {
      finish();
      throw e;
    }
  }
  // A list cut short by a broken property still ends where its length says.
  c.pos = sub.limit <= c.end ? sub.limit : sub.pos;
  finish();
  return values;
}

/** Reads one property into `out`; false when an unknown identifier makes the rest unreadable. */
function readOne(c: Ctx, out: FieldNode[], context: PropertyContext, values: PropertyValues): boolean {
  const start = c.pos;
  const idProbe: FieldNode[] = [];
  let idNode: FieldNode;
  try {
    idNode = vbi(c, idProbe, 'Identifier', (v) => hex(v));
  } catch (e) {
    out.push(...idProbe);
    throw e;
  }
  const id = idNode.num ?? 0;
  const def = PROPERTIES.get(id);
  if (!def) {
    const rest = c.end - start;
    push(out, {
      name: `Unknown property ${hex(id)}`, offset: start, length: rest, num: id,
      value: hexPreview(c.b.subarray(start, c.end)),
      problem: `unknown property identifier ${hex(id)}: the rest of the property list cannot be decoded (malformed packet, §2.2.2.2)`,
      children: idProbe,
    });
    c.pos = c.end;
    return false;
  }
  idNode.value = `${hex(id)} (${def.name})`;
  const node: FieldNode = { name: def.name, offset: start, length: 0, children: idProbe };
  out.push(node);
  const kids = node.children!;
  const problems: string[] = [];
  try {
    let value: unknown;
    switch (def.type) {
      case 'byte': case 'u16': case 'u32': case 'varint': {
        const read = def.type === 'byte' ? u8 : def.type === 'u16' ? u16 : def.type === 'u32' ? u32 : vbi;
        const f = read(c, kids, 'Value', numberFormat(id));
        value = f.num;
        node.value = f.value;
        node.num = f.num;
        const p = numberProblem(id, f.num ?? 0, context);
        if (p) problems.push(p);
        break;
      }
      case 'utf8': {
        const s = str(c, kids, 'Value');
        value = s.text;
        node.value = s.text;
        break;
      }
      case 'binary': {
        const d = bin(c, kids, 'Value');
        value = d.bytes;
        node.value = d.node.value;
        node.num = d.bytes.length;
        break;
      }
      case 'pair': {
        const k = str(c, kids, 'Key');
        const v = str(c, kids, 'Value');
        value = [k.text, v.text];
        node.value = `${k.text}=${v.text}`;
        break;
      }
    }
    if (!def.allowedIn.includes(context)) {
      problems.push(`${def.name} is not allowed in ${context === 'WILL' ? 'Will Properties' : context} (protocol error, §2.2.2.2)`);
    }
    const repeatable = def.repeatable && !(id === 0x0b && context === 'SUBSCRIBE');
    if (repeatable) {
      const list = (values.get(id) as unknown[] | undefined) ?? [];
      list.push(value);
      values.set(id, list);
    } else {
      if (values.has(id)) problems.push(`${def.name} appears more than once (protocol error)`);
      values.set(id, value);
    }
    if (problems.length) node.problem = problems.join('; ');
  } finally {
    node.length = c.pos - start;
  }
  return true;
}
