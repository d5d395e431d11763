// Pulls the payload bytes and MQTT 5 properties out of a decoded PUBLISH frame (traceFrame).
import type { FieldNode, FrameDetail } from '../../../shared/contract/types';
import { base64ToBytes } from '../../app/bytes';
import { findField } from '../../ui/FieldTree';

export interface DecodedMessage {
  payload: Uint8Array;
  /** The PUBLISH's Properties node (MQTT 5), if any. */
  properties: FieldNode | null;
  frameBytes: Uint8Array;
}

export function decodeMessage(d: FrameDetail): DecodedMessage {
  const bytes = base64ToBytes(d.bytesB64);
  const node = findField(d.fields, (f) => /^payload$/i.test(f.name));
  let payload: Uint8Array;
  if (node) payload = bytes.subarray(node.offset, node.offset + node.length);
  else {
    // Fallback: the payload is the tail of a PUBLISH.
    const size = d.summary.payloadSize ?? 0;
    payload = bytes.subarray(bytes.length - size);
  }
  const properties = findField(d.fields, (f) => /^properties$/i.test(f.name) && !!f.children?.length) ?? null;
  return { payload, properties, frameBytes: bytes };
}

/** Flattens a properties node into display rows: name → value (user properties as key = value). */
export function propertyRows(node: FieldNode | null): { name: string; value: string }[] {
  if (!node?.children) return [];
  return node.children
    .filter((c) => !/^(length|property length)$/i.test(c.name))
    .map((c) => {
      let value = c.value ?? '';
      const kids = (c.children ?? []).filter((k) => !/identifier|^id$|length/i.test(k.name));
      if (kids.length) {
        const byName = (re: RegExp) => kids.find((k) => re.test(k.name))?.value;
        const key = byName(/key|name/i);
        const val = byName(/value/i);
        value = key !== undefined && val !== undefined ? `${key} = ${val}` : kids.map((k) => k.value ?? k.name).join(' ');
      }
      return { name: c.name, value };
    });
}
