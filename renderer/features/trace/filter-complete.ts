// Completion for the filter bar: field names where a field goes, values after a comparison (packet
// types, directions, client ids and topics this trace has seen).
import { FIELDS, PROPERTY_KEYS } from '../../../shared/filter';

export interface Completion { from: number; to: number; items: { label: string; insert: string }[] }

const FIELD_NAMES = [...FIELDS.map((f) => f.name), ...PROPERTY_KEYS.map((k) => `prop.${k}`), 'prop.user.'];
const MAX = 12;

export function complete(text: string, cursor: number, seen: { clients: string[]; topics: string[] }): Completion | null {
  const before = text.slice(0, cursor);
  const value = /([A-Za-z_][\w.\-]*)\s*(==|!=|matches|contains)\s*("?)([^"\s()]*)$/.exec(before);
  if (value) {
    const [, field, , quote, partial] = value;
    const from = cursor - partial.length - quote.length;
    const def = FIELDS.find((f) => f.name === field);
    let items: string[] = [];
    let quoted = false;
    if (def?.values) items = [...def.values];
    else if (field === 'client') { items = seen.clients; quoted = true; }
    else if (field === 'topic') { items = seen.topics; quoted = true; }
    const p = partial.toLowerCase();
    const hits = items.filter((v) => v.toLowerCase().startsWith(p) && v !== partial).slice(0, MAX);
    return hits.length ? { from, to: cursor, items: hits.map((v) => ({ label: v, insert: quoted ? JSON.stringify(v) : v })) } : null;
  }
  const word = /(^|[\s(!&|])([A-Za-z_][\w.\-]*)$/.exec(before);
  if (!word) return null;
  const partial = word[2];
  // After a complete comparison a word is an operator, not a field.
  if (/(==|!=|<=|>=|<|>|~|matches|contains)\s*\S+\s+[\w.\-]*$/.test(before) && !/(&&|\|\||\(|!|\band\b|\bor\b|\bnot\b)\s*[\w.\-]*$/.test(before)) return null;
  const hits = FIELD_NAMES.filter((n) => n.toLowerCase().startsWith(partial.toLowerCase()) && n !== partial).slice(0, MAX);
  return hits.length ? { from: cursor - partial.length, to: cursor, items: hits.map((n) => ({ label: n, insert: n.endsWith('.') ? n : `${n} ` })) } : null;
}
