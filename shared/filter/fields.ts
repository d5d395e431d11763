// The fields a display filter can name: what each compares as, which operators it takes, which values
// it offers for completion, and how costly it is to read (cheap columns first, decoding last).
import { PACKET_TYPES } from '../contract/types';
import { PROPERTIES } from '../mqtt/properties';
import type { CmpOp } from './ast';

export type FieldType = 'number' | 'string' | 'topic' | 'bool' | 'enum' | 'bytes' | 'time' | 'prop';

export interface FieldDef {
  name: string;
  type: FieldType;
  doc: string;
  /** Relative cost of reading it: 1 a column, 2 a lookup, 5 a string, 20 the payload, 100 a full decode. */
  cost: number;
  values?: readonly string[];
}

const EQ: CmpOp[] = ['==', '!='];
const ORDER: CmpOp[] = ['==', '!=', '<', '<=', '>', '>='];
export const OPS_OF: Record<FieldType, CmpOp[]> = {
  number: ORDER,
  time: ORDER,
  bool: EQ,
  enum: EQ,
  string: ['==', '!=', 'contains', '~'],
  topic: ['==', '!=', 'contains', 'matches', '~'],
  bytes: ['==', '!=', 'contains', '~'],
  prop: [...ORDER, 'contains', '~'],
};

export const DIR_VALUES = ['in', 'out', 'c2s', 's2c'] as const;

export const FIELDS: readonly FieldDef[] = [
  { name: 'type', type: 'enum', cost: 1, values: PACKET_TYPES.slice(1), doc: 'packet type: PUBLISH, CONNECT, … (or its number)' },
  { name: 'dir', type: 'enum', cost: 1, values: DIR_VALUES, doc: 'in/out as seen by the tap that captured it; c2s/s2c' },
  { name: 'side', type: 'enum', cost: 1, values: ['broker', 'client'], doc: 'which tap captured it' },
  { name: 'conn', type: 'number', cost: 1, doc: 'connection id' },
  { name: 'client', type: 'string', cost: 2, doc: 'MQTT client id of the connection' },
  { name: 'qos', type: 'number', cost: 1, doc: 'PUBLISH QoS' },
  { name: 'dup', type: 'bool', cost: 1, doc: 'PUBLISH DUP flag' },
  { name: 'retain', type: 'bool', cost: 1, doc: 'PUBLISH RETAIN flag' },
  { name: 'id', type: 'number', cost: 1, doc: 'packet identifier' },
  { name: 'topic', type: 'topic', cost: 5, doc: 'PUBLISH topic or first SUBSCRIBE/UNSUBSCRIBE filter; matches "a/+/#"' },
  { name: 'size', type: 'number', cost: 1, doc: 'bytes on the wire' },
  { name: 'reason', type: 'number', cost: 1, doc: 'reason / return code' },
  { name: 'payload', type: 'bytes', cost: 20, doc: 'PUBLISH payload: payload contains "text"' },
  { name: 'malformed', type: 'bool', cost: 1, doc: 'bytes that broke a rule' },
  { name: 'event', type: 'bool', cost: 1, doc: 'a connection event (opened, closed), no bytes' },
  { name: 'time', type: 'time', cost: 1, doc: 'seconds since the trace began, or "HH:MM:SS.ffffff" / an ISO date' },
  { name: 'frame', type: 'number', cost: 1, doc: 'frame number' },
];
const BY_NAME = new Map(FIELDS.map((f) => [f.name, f]));

export const PROP_PREFIX = 'prop.';
export const USER_PREFIX = 'prop.user.';

/** "Content Type" → "contentType": how property names are written in filters. */
export function propertyKey(name: string): string {
  const words = name.split(/\s+/);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
}
const norm = (s: string) => s.replace(/[-_]/g, '').toLowerCase();
/** Filter spelling (any case, - and _ ignored) → the property's full name. */
const PROP_NAMES = new Map<string, string>();
for (const def of PROPERTIES.values()) if (def.id !== 0x26) PROP_NAMES.set(norm(propertyKey(def.name)), def.name);
export const PROPERTY_KEYS: readonly string[] = [...PROPERTIES.values()].filter((d) => d.id !== 0x26).map((d) => propertyKey(d.name));

export type ResolvedField =
  | { kind: 'plain'; def: FieldDef }
  | { kind: 'prop'; property: string; def: FieldDef }
  | { kind: 'user'; key: string; def: FieldDef };

const PROP_DEF: FieldDef = { name: 'prop', type: 'prop', cost: 100, doc: 'an MQTT 5 property' };

/** The field a name refers to, or a plain-words reason it is none. */
export function resolveField(name: string): ResolvedField | string {
  const plain = BY_NAME.get(name);
  if (plain) return { kind: 'plain', def: plain };
  if (name.startsWith(USER_PREFIX)) {
    const key = name.slice(USER_PREFIX.length);
    return key ? { kind: 'user', key, def: PROP_DEF } : 'prop.user needs a key: prop.user.<key>';
  }
  if (name.startsWith(PROP_PREFIX)) {
    const property = PROP_NAMES.get(norm(name.slice(PROP_PREFIX.length)));
    return property ? { kind: 'prop', property, def: PROP_DEF } : `unknown property '${name.slice(PROP_PREFIX.length)}' (try ${PROPERTY_KEYS.slice(0, 3).map((k) => PROP_PREFIX + k).join(', ')}, prop.user.<key>)`;
  }
  return `unknown field '${name}'`;
}
