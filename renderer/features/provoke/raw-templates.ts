// Starting fields for each packet type in the raw sender's fields form (mqtt-packet field names; binary
// values as base64 under "<name>B64"). The user edits them freely; the core encodes them with mqtt-packet.
import type { RawPacketFields } from '../../../shared/contract/types';

export const RAW_TEMPLATES: Record<RawPacketFields['cmd'], Record<string, unknown>> = {
  publish: { topic: 'test/raw', payloadB64: 'aGVsbG8=', qos: 1, messageId: 1000, dup: false, retain: false },
  puback: { messageId: 1000 },
  pubrec: { messageId: 1000 },
  pubrel: { messageId: 1000 },
  pubcomp: { messageId: 1000 },
  subscribe: { messageId: 1001, subscriptions: [{ topic: 'test/#', qos: 1 }] },
  unsubscribe: { messageId: 1002, unsubscriptions: ['test/#'] },
  pingreq: {},
  disconnect: {},
  connect: { clientId: 'raw-client', clean: true, keepalive: 60 },
  connack: { returnCode: 0, sessionPresent: false },
  suback: { messageId: 1, granted: [0] },
  unsuback: { messageId: 1 },
  pingresp: {},
  auth: { reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM-SHA-1' } },
};
