// MQTT 5.0 properties, §2.2.2.2 Table 2-4. The dissector walks property lists with this table;
// the identifier decides the wire type, so an unknown identifier makes the rest unreadable.
import type { PacketType } from '../contract/types';

export type PropertyType = 'byte' | 'u16' | 'u32' | 'varint' | 'utf8' | 'binary' | 'pair';

/** Where a property may appear: a packet type, or 'WILL' for the Will Properties of a CONNECT. */
export type PropertyContext = PacketType | 'WILL';

export interface PropertyDef {
  id: number;
  name: string;
  type: PropertyType;
  /** Packets (and 'WILL') that may carry it, per Table 2-4. */
  allowedIn: readonly PropertyContext[];
  /** May appear more than once in the same packet (§3.3.2.3.7, §3.1.2.11.8). */
  repeatable?: boolean;
}

const ACKS: PropertyContext[] = ['PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP'];
const ALL: PropertyContext[] = [
  'CONNECT', 'CONNACK', 'PUBLISH', 'WILL', ...ACKS, 'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK',
  'DISCONNECT', 'AUTH',
];

const DEFS: PropertyDef[] = [
  { id: 0x01, name: 'Payload Format Indicator', type: 'byte', allowedIn: ['PUBLISH', 'WILL'] },
  { id: 0x02, name: 'Message Expiry Interval', type: 'u32', allowedIn: ['PUBLISH', 'WILL'] },
  { id: 0x03, name: 'Content Type', type: 'utf8', allowedIn: ['PUBLISH', 'WILL'] },
  { id: 0x08, name: 'Response Topic', type: 'utf8', allowedIn: ['PUBLISH', 'WILL'] },
  { id: 0x09, name: 'Correlation Data', type: 'binary', allowedIn: ['PUBLISH', 'WILL'] },
  // Repeatable in PUBLISH only (one per matching subscription); once in SUBSCRIBE [MQTT-3.8.2.1.2].
  { id: 0x0b, name: 'Subscription Identifier', type: 'varint', allowedIn: ['PUBLISH', 'SUBSCRIBE'], repeatable: true },
  { id: 0x11, name: 'Session Expiry Interval', type: 'u32', allowedIn: ['CONNECT', 'CONNACK', 'DISCONNECT'] },
  { id: 0x12, name: 'Assigned Client Identifier', type: 'utf8', allowedIn: ['CONNACK'] },
  { id: 0x13, name: 'Server Keep Alive', type: 'u16', allowedIn: ['CONNACK'] },
  { id: 0x15, name: 'Authentication Method', type: 'utf8', allowedIn: ['CONNECT', 'CONNACK', 'AUTH'] },
  { id: 0x16, name: 'Authentication Data', type: 'binary', allowedIn: ['CONNECT', 'CONNACK', 'AUTH'] },
  { id: 0x17, name: 'Request Problem Information', type: 'byte', allowedIn: ['CONNECT'] },
  { id: 0x18, name: 'Will Delay Interval', type: 'u32', allowedIn: ['WILL'] },
  { id: 0x19, name: 'Request Response Information', type: 'byte', allowedIn: ['CONNECT'] },
  { id: 0x1a, name: 'Response Information', type: 'utf8', allowedIn: ['CONNACK'] },
  { id: 0x1c, name: 'Server Reference', type: 'utf8', allowedIn: ['CONNACK', 'DISCONNECT'] },
  {
    id: 0x1f, name: 'Reason String', type: 'utf8',
    allowedIn: ['CONNACK', ...ACKS, 'SUBACK', 'UNSUBACK', 'DISCONNECT', 'AUTH'],
  },
  { id: 0x21, name: 'Receive Maximum', type: 'u16', allowedIn: ['CONNECT', 'CONNACK'] },
  { id: 0x22, name: 'Topic Alias Maximum', type: 'u16', allowedIn: ['CONNECT', 'CONNACK'] },
  { id: 0x23, name: 'Topic Alias', type: 'u16', allowedIn: ['PUBLISH'] },
  { id: 0x24, name: 'Maximum QoS', type: 'byte', allowedIn: ['CONNACK'] },
  { id: 0x25, name: 'Retain Available', type: 'byte', allowedIn: ['CONNACK'] },
  { id: 0x26, name: 'User Property', type: 'pair', allowedIn: ALL, repeatable: true },
  { id: 0x27, name: 'Maximum Packet Size', type: 'u32', allowedIn: ['CONNECT', 'CONNACK'] },
  { id: 0x28, name: 'Wildcard Subscription Available', type: 'byte', allowedIn: ['CONNACK'] },
  { id: 0x29, name: 'Subscription Identifier Available', type: 'byte', allowedIn: ['CONNACK'] },
  { id: 0x2a, name: 'Shared Subscription Available', type: 'byte', allowedIn: ['CONNACK'] },
];

/** Property identifier -> definition. */
export const PROPERTIES: ReadonlyMap<number, PropertyDef> = new Map(DEFS.map((d) => [d.id, d]));

/** Identifiers whose byte value is a boolean 0/1; any other value is a Protocol Error. */
export const BOOLEAN_PROPERTIES: ReadonlySet<number> = new Set([0x01, 0x17, 0x19, 0x25, 0x28, 0x29, 0x2a]);

export function propertyName(id: number): string {
  return PROPERTIES.get(id)?.name ?? `Unknown property 0x${id.toString(16).padStart(2, '0')}`;
}
