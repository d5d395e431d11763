// "Filter on this value": a decoded field → the display filter expression that selects frames with it.
import type { FieldNode } from '../../../shared/contract/types';
import { PROPERTIES } from '../../../shared/mqtt/properties';
import { propertyKey } from '../../../shared/filter';

const PROPERTY_NAMES = new Set([...PROPERTIES.values()].map((d) => d.name));

/** A string literal the filter lexer reads back exactly. */
export function quoteFilter(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const numOrText = (n: FieldNode) => (n.num !== undefined ? String(n.num) : quoteFilter(n.value ?? ''));

/** The expression for a field, or null when no filter field corresponds to it. */
export function filterForField(node: FieldNode, payloadText?: string): string | null {
  const v = node.value ?? '';
  switch (node.name) {
    case 'Topic': case 'Topic filter': return `topic == ${quoteFilter(v)}`;
    case 'Packet type': return `type == ${v.split(' ')[0]}`;
    case 'Packet identifier': return node.num !== undefined ? `id == ${node.num}` : null;
    case 'Client identifier': return `client == ${quoteFilter(v)}`;
    case 'QoS (0x06)': return node.num !== undefined ? `qos == ${node.num}` : null;
    case 'DUP (0x08)': return node.num !== undefined ? `dup == ${node.num}` : null;
    case 'RETAIN (0x01)': return node.num !== undefined ? `retain == ${node.num}` : null;
    case 'Reason code': case 'Return code': return node.num !== undefined ? `reason == 0x${node.num.toString(16).padStart(2, '0')}` : null;
    case 'Payload': return payloadText !== undefined && payloadText.length ? `payload contains ${quoteFilter(payloadText.slice(0, 64))}` : null;
    case 'User Property': {
      const key = node.children?.find((k) => k.name === 'Key')?.value;
      const value = node.children?.find((k) => k.name === 'Value')?.value;
      if (key === undefined || !/^[A-Za-z0-9_$.\-]+$/.test(key)) return null;
      return `prop.user.${key} == ${quoteFilter(value ?? '')}`;
    }
  }
  if (PROPERTY_NAMES.has(node.name) && node.name !== 'Correlation Data' && node.name !== 'Authentication Data') return `prop.${propertyKey(node.name)} == ${numOrText(node)}`;
  return null;
}

/** The current filter combined with a new condition. */
export function combineFilter(current: string, expr: string, how: 'only' | 'and' | 'andNot'): string {
  const c = current.trim();
  if (how === 'only' || !c) return how === 'andNot' ? `!(${expr})` : expr;
  return how === 'and' ? `(${c}) && ${expr}` : `(${c}) && !(${expr})`;
}

/** The deepest field whose bytes include `offset` (the one that owns the byte). */
export function fieldAt(fields: readonly FieldNode[], offset: number): FieldNode | null {
  let best: FieldNode | null = null;
  const walk = (nodes: readonly FieldNode[]) => {
    for (const n of nodes) {
      if (offset < n.offset || offset >= n.offset + n.length) continue;
      best = n;
      if (n.children) walk(n.children);
      return;
    }
  };
  walk(fields);
  return best;
}
