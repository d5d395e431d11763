// What the evaluator may ask about one frame. Core implements it over its column store (a cursor moved
// with seek), the CLI over a file; properties are decoded only when a filter gets that far.
import type { FieldNode } from '../contract/types';

export interface FrameProperty {
  /** Full property name as in the MQTT 5 spec ("Content Type"); "User Property" for user pairs. */
  name: string;
  /** User Property key. */
  key?: string;
  value: string | number;
}

export interface FrameFacts {
  frame(): number;
  /** Microseconds since the trace's own origin. */
  timeUs(): number;
  /** Absolute wall clock, ms since the epoch (fractional: microseconds are kept). */
  wallMs(): number;
  /** 0 packet, 1 malformed, 2 event. */
  kind(): number;
  /** Packet type 0–15, or -1 when the frame has no bytes (events). */
  typeNum(): number;
  /** First byte of the frame (PUBLISH flags live here). */
  b0(): number;
  clientSide(): boolean;
  s2c(): boolean;
  conn(): number;
  clientId(): string | undefined;
  /** 0 when the packet has none. */
  packetId(): number;
  topic(): string | undefined;
  size(): number;
  /** -1 when the packet has none. */
  reason(): number;
  payload(): Uint8Array | null;
  properties(): readonly FrameProperty[];
}

/** The packet's own properties (not a CONNECT's Will properties) from a dissected field tree. */
export function propertiesFromFields(fields: readonly FieldNode[]): FrameProperty[] {
  const out: FrameProperty[] = [];
  const walk = (nodes: readonly FieldNode[]) => {
    for (const n of nodes) {
      if (n.name === 'Properties') {
        for (const p of n.children ?? []) {
          if (p.name === 'Property length' || p.name.startsWith('Unknown property')) continue;
          if (p.name === 'User Property') {
            const kids = p.children ?? [];
            const key = kids.find((k) => k.name === 'Key')?.value;
            const value = kids.find((k) => k.name === 'Value')?.value;
            if (key !== undefined) out.push({ name: p.name, key, value: value ?? '' });
          } else if (p.num !== undefined && p.name !== 'Correlation Data' && p.name !== 'Authentication Data') {
            out.push({ name: p.name, value: p.num });
          } else {
            out.push({ name: p.name, value: p.value ?? '' });
          }
        }
      } else if (n.children && n.name !== 'Will properties') {
        walk(n.children);
      }
    }
  };
  walk(fields);
  return out;
}
