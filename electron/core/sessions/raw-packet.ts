// The raw sender's "fields" form: a packet described as JSON (mqtt-packet's field names; binary values as
// base64 in a field whose name ends in B64) encoded with mqtt-packet for the session's protocol version.
// Nothing is checked beyond what the encoder needs: a debugger may want to send what a client should not.
import type { Packet } from 'mqtt-packet';
import type { ProtocolVersion, RawPacketFields } from '../../../shared/contract/types';
import { SessionError } from './errors';
import { encode } from './packets';

/** { payloadB64: 'aGk=' } → { payload: <Buffer 68 69> }, recursively (properties, will). */
function decodeBinary(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeBinary);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.endsWith('B64') && typeof v === 'string') out[k.slice(0, -3)] = Buffer.from(v, 'base64');
    else out[k] = decodeBinary(v);
  }
  return out;
}

export function buildRawPacket(fields: RawPacketFields, version: ProtocolVersion): Buffer {
  const packet = decodeBinary(fields) as Packet & Record<string, unknown>;
  // mqtt-packet wants these present on some packet types; a missing one would be an opaque TypeError.
  if (packet.cmd === 'publish') {
    packet.payload ??= Buffer.alloc(0);
    packet.qos ??= 0;
    packet.dup ??= false;
    packet.retain ??= false;
    if ((packet.qos as number) > 0 && packet.messageId === undefined) {
      throw new SessionError('a QoS 1/2 PUBLISH needs a messageId (packet identifier 1–65535)');
    }
  }
  if (packet.cmd === 'connect') {
    packet.protocolId ??= version === 3 ? 'MQIsdp' : 'MQTT';
    packet.protocolVersion ??= version;
  }
  try {
    return encode(packet, version);
  } catch (err) {
    throw err instanceof SessionError ? err : new SessionError(`cannot encode ${String(packet.cmd).toUpperCase()}: ${(err as Error).message}`);
  }
}
