// Reason codes in plain words. In MQTT 5.0 the same number means different things in different
// packets (0x00 is Success, Normal disconnection or Granted QoS 0), so every lookup takes the
// packet type. MQTT 3.1/3.1.1 only have CONNACK return codes and SUBACK return codes.
import type { PacketType, ProtocolVersion } from '../contract/types';

export const SUCCESS = 0x00;
export const NORMAL_DISCONNECTION = 0x00;
export const GRANTED_QOS_0 = 0x00;
export const GRANTED_QOS_1 = 0x01;
export const GRANTED_QOS_2 = 0x02;
/** SUBACK failure in 3.1.1 [MQTT-3.9.3-2]; "Unspecified error" in 5.0. */
export const SUBACK_FAILURE = 0x80;
export const UNSPECIFIED_ERROR = 0x80;
export const NOT_AUTHORIZED = 0x87;
/** 3.1/3.1.1 CONNACK return codes (§3.2.2.3). */
export const CONNACK_ACCEPTED = 0x00;
export const CONNACK_UNACCEPTABLE_PROTOCOL_VERSION = 0x01;
export const CONNACK_IDENTIFIER_REJECTED = 0x02;
export const CONNACK_SERVER_UNAVAILABLE = 0x03;
export const CONNACK_BAD_USERNAME_OR_PASSWORD = 0x04;
export const CONNACK_NOT_AUTHORIZED = 0x05;

type P = PacketType;
const ACK: P[] = ['PUBACK', 'PUBREC'];
const ERR_COMMON: P[] = ['CONNACK', ...ACK, 'SUBACK', 'UNSUBACK', 'DISCONNECT'];

interface V5Entry { text: string; packets: P[]; hint: string }

/** MQTT 5.0 §2.4 Table 2-6, plus the per-packet names for 0x00..0x02. */
const V5: Record<number, V5Entry[]> = {
  0x00: [
    { text: 'Success', packets: ['CONNACK', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'UNSUBACK', 'AUTH'], hint: '' },
    { text: 'Normal disconnection', packets: ['DISCONNECT'], hint: '' },
    { text: 'Granted QoS 0', packets: ['SUBACK'], hint: '' },
  ],
  0x01: [{ text: 'Granted QoS 1', packets: ['SUBACK'], hint: '' }],
  0x02: [{ text: 'Granted QoS 2', packets: ['SUBACK'], hint: '' }],
  0x04: [{ text: 'Disconnect with Will Message', packets: ['DISCONNECT'], hint: 'The client asked the server to publish its Will Message.' }],
  0x10: [{ text: 'No matching subscribers', packets: ACK, hint: 'Nobody is subscribed to this topic yet; subscribe first if you expected a receiver.' }],
  0x11: [{ text: 'No subscription existed', packets: ['UNSUBACK'], hint: 'Check the exact filter string: unsubscribe must repeat the filter as it was subscribed.' }],
  0x18: [{ text: 'Continue authentication', packets: ['AUTH'], hint: 'Send the next AUTH step for the authentication method in use.' }],
  0x19: [{ text: 'Re-authenticate', packets: ['AUTH'], hint: 'The client started re-authentication; the server answers with AUTH.' }],
  0x80: [{ text: 'Unspecified error', packets: ERR_COMMON, hint: "Look at the Reason String property and the broker's log for the cause." }],
  0x81: [{ text: 'Malformed Packet', packets: ['CONNACK', 'DISCONNECT'], hint: 'The peer could not parse a packet; look for a problem flagged in the trace just before this one.' }],
  0x82: [{ text: 'Protocol Error', packets: ['CONNACK', 'DISCONNECT'], hint: 'A packet broke a protocol rule; look for a problem flagged in the trace just before this one.' }],
  0x83: [{ text: 'Implementation specific error', packets: ERR_COMMON, hint: "The broker rejected it for its own reasons; check the Reason String and the broker's log." }],
  0x84: [{ text: 'Unsupported Protocol Version', packets: ['CONNACK'], hint: 'Connect with a protocol version the broker supports (try MQTT 3.1.1).' }],
  0x85: [{ text: 'Client Identifier not valid', packets: ['CONNACK'], hint: 'Use a client id of letters and digits, 1 to 23 characters, or one the broker accepts.' }],
  0x86: [{ text: 'Bad User Name or Password', packets: ['CONNACK'], hint: 'Check the username and password configured for this connection.' }],
  0x87: [{ text: 'Not authorized', packets: ERR_COMMON, hint: "Check the username/password and the broker's ACL for this client id." }],
  0x88: [{ text: 'Server unavailable', packets: ['CONNACK'], hint: 'The broker cannot serve this connection now; retry later or use another broker.' }],
  0x89: [{ text: 'Server busy', packets: ['CONNACK', 'DISCONNECT'], hint: 'The broker is overloaded; retry later with a back-off.' }],
  0x8a: [{ text: 'Banned', packets: ['CONNACK'], hint: 'This client is banned by the broker; ask the broker administrator.' }],
  0x8b: [{ text: 'Server shutting down', packets: ['DISCONNECT'], hint: 'The broker is shutting down; reconnect later or to another broker.' }],
  0x8c: [{ text: 'Bad authentication method', packets: ['CONNACK', 'DISCONNECT'], hint: 'Use an Authentication Method the broker supports, or none.' }],
  0x8d: [{ text: 'Keep Alive timeout', packets: ['DISCONNECT'], hint: 'The client sent nothing within 1.5 x keep alive; lower the keep alive or check the network.' }],
  0x8e: [{ text: 'Session taken over', packets: ['DISCONNECT'], hint: 'Another connection used the same client id; give each client a unique id.' }],
  0x8f: [{ text: 'Topic Filter invalid', packets: ['SUBACK', 'UNSUBACK', 'DISCONNECT'], hint: "Fix the topic filter: '#' only last and alone in its level, '+' alone in its level." }],
  0x90: [{ text: 'Topic Name invalid', packets: ['CONNACK', ...ACK, 'DISCONNECT'], hint: "Fix the topic name: no '+' or '#', not empty, and allowed by the broker." }],
  0x91: [{ text: 'Packet Identifier in use', packets: [...ACK, 'SUBACK', 'UNSUBACK'], hint: 'The client reused a packet id still in flight; this is a client bug.' }],
  0x92: [{ text: 'Packet Identifier not found', packets: ['PUBREL', 'PUBCOMP'], hint: 'The QoS 2 flow lost its state (e.g. a clean session); the message may be lost or duplicated.' }],
  0x93: [{ text: 'Receive Maximum exceeded', packets: ['DISCONNECT'], hint: 'Too many unacknowledged QoS 1/2 publishes; respect the Receive Maximum from CONNACK.' }],
  0x94: [{ text: 'Topic Alias invalid', packets: ['DISCONNECT'], hint: 'A Topic Alias was 0, above Topic Alias Maximum, or used before it was set.' }],
  0x95: [{ text: 'Packet too large', packets: ['CONNACK', 'DISCONNECT'], hint: 'Send smaller packets, or raise the Maximum Packet Size on the broker.' }],
  0x96: [{ text: 'Message rate too high', packets: ['DISCONNECT'], hint: 'Publish more slowly.' }],
  0x97: [{ text: 'Quota exceeded', packets: ['CONNACK', ...ACK, 'SUBACK', 'DISCONNECT'], hint: "An administrative quota was hit; wait or ask the broker administrator." }],
  0x98: [{ text: 'Administrative action', packets: ['DISCONNECT'], hint: 'An administrator disconnected this client.' }],
  0x99: [{ text: 'Payload format invalid', packets: ['CONNACK', ...ACK, 'DISCONNECT'], hint: 'Payload Format Indicator says UTF-8 but the payload is not valid UTF-8; fix the payload or the indicator.' }],
  0x9a: [{ text: 'Retain not supported', packets: ['CONNACK', 'DISCONNECT'], hint: 'The broker does not support retained messages; publish with retain off.' }],
  0x9b: [{ text: 'QoS not supported', packets: ['CONNACK', 'DISCONNECT'], hint: 'Use a QoS no higher than the Maximum QoS from CONNACK.' }],
  0x9c: [{ text: 'Use another server', packets: ['CONNACK', 'DISCONNECT'], hint: 'Connect to the server named in the Server Reference property.' }],
  0x9d: [{ text: 'Server moved', packets: ['CONNACK', 'DISCONNECT'], hint: 'The server moved for good; update the URL to the Server Reference property.' }],
  0x9e: [{ text: 'Shared Subscriptions not supported', packets: ['SUBACK', 'DISCONNECT'], hint: 'The broker does not support $share/ filters; subscribe without $share.' }],
  0x9f: [{ text: 'Connection rate exceeded', packets: ['CONNACK', 'DISCONNECT'], hint: 'Reconnecting too fast; increase the reconnect delay.' }],
  0xa0: [{ text: 'Maximum connect time', packets: ['DISCONNECT'], hint: 'The broker limits how long a connection may stay open; reconnect.' }],
  0xa1: [{ text: 'Subscription Identifiers not supported', packets: ['SUBACK', 'DISCONNECT'], hint: 'Subscribe without a Subscription Identifier.' }],
  0xa2: [{ text: 'Wildcard Subscriptions not supported', packets: ['SUBACK', 'DISCONNECT'], hint: "The broker does not allow '+' or '#'; subscribe to exact topics." }],
};

/** MQTT 3.1 / 3.1.1 CONNACK return codes, §3.2.2.3 Table 3.1. */
const V3_CONNACK: Record<number, { text: string; hint: string }> = {
  0x00: { text: 'Connection accepted', hint: '' },
  0x01: { text: 'Connection refused: unacceptable protocol version', hint: 'Connect with a protocol version the broker supports (try MQTT 3.1.1 or 3.1).' },
  0x02: { text: 'Connection refused: identifier rejected', hint: 'Use a client id of letters and digits, 1 to 23 characters (or a non-empty one with clean session off).' },
  0x03: { text: 'Connection refused: server unavailable', hint: 'The broker cannot serve connections now; retry later.' },
  0x04: { text: 'Connection refused: bad user name or password', hint: 'Check the username and password configured for this connection.' },
  0x05: { text: 'Connection refused: not authorized', hint: "Check the username/password and the broker's ACL for this client id." },
};

/** MQTT 3.1 / 3.1.1 SUBACK return codes, §3.9.3. */
const V3_SUBACK: Record<number, { text: string; hint: string }> = {
  0x00: { text: 'Granted QoS 0', hint: '' },
  0x01: { text: 'Granted QoS 1', hint: '' },
  0x02: { text: 'Granted QoS 2', hint: '' },
  0x80: { text: 'Failure', hint: "The broker refused this filter: check the filter syntax and the broker's ACL for this client id." },
};

function hex(code: number): string {
  return '0x' + code.toString(16).padStart(2, '0');
}

function v5Entry(code: number, packetType: PacketType): V5Entry | undefined {
  return V5[code]?.find((e) => e.packets.includes(packetType));
}

function v3Table(packetType: PacketType): Record<number, { text: string; hint: string }> | undefined {
  if (packetType === 'CONNACK') return V3_CONNACK;
  if (packetType === 'SUBACK') return V3_SUBACK;
  return undefined;
}

/** True when `code` is defined for `packetType` in `protocolVersion`. */
export function isValidReasonCode(code: number, packetType: PacketType, protocolVersion: ProtocolVersion): boolean {
  if (protocolVersion === 5) return v5Entry(code, packetType) !== undefined;
  return v3Table(packetType)?.[code] !== undefined;
}

/**
 * Plain words for a reason code (5.0) or return code (3.1/3.1.1) as it appears in `packetType`.
 * Never empty: an unknown code reads "Unknown reason code 0x.."; a code that exists but not in
 * this packet also says so, since that is what a confused peer usually did.
 */
export function reasonText(code: number, packetType: PacketType, protocolVersion: ProtocolVersion): string {
  if (protocolVersion === 5) {
    const e = v5Entry(code, packetType);
    if (e) return e.text;
    const other = V5[code]?.[0];
    if (other) return `${other.text} (not defined for ${packetType})`;
    return `Unknown reason code ${hex(code)}`;
  }
  const table = v3Table(packetType);
  const e = table?.[code];
  if (e) return e.text;
  if (!table) return `Unknown code ${hex(code)} (${packetType} has no return code before MQTT 5)`;
  return `Reserved return code ${hex(code)}`;
}

/** One sentence on what the user can do about `code`; '' for success codes. */
export function reasonHint(code: number, packetType: PacketType, protocolVersion: ProtocolVersion): string {
  if (protocolVersion === 5) {
    const e = v5Entry(code, packetType) ?? V5[code]?.[0];
    if (e) return e.hint;
    return code >= 0x80 ? 'Unknown error code; check the Reason String property and the broker documentation.' : '';
  }
  const e = v3Table(packetType)?.[code];
  if (e) return e.hint;
  return 'Reserved code: the broker is not following the MQTT 3.1.1 specification.';
}

/** Reason codes of 0x80 and above are errors in 5.0 (§2.4); the same holds for 3.x SUBACK's 0x80. */
export function isErrorCode(code: number, packetType: PacketType, protocolVersion: ProtocolVersion): boolean {
  if (protocolVersion !== 5 && packetType === 'CONNACK') return code !== 0;
  return code >= 0x80;
}
