// Turn socket, TLS, DNS and MQTT failures into plain words a user can act on. The raw code stays at the
// end in brackets so a search engine still finds it.
import type { PacketType, ProtocolVersion } from '../../../shared/contract/types';
import { reasonHint, reasonText as sharedReasonText } from '../../../shared/mqtt/reason-codes';

export interface ErrorContext {
  host: string;
  port: number;
}

/** An Error whose message is already meant for people. */
export class SessionError extends Error {
  constructor(message: string, readonly fatal = false) {
    super(message);
    this.name = 'SessionError';
  }
}

const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "the broker's certificate is self-signed: add its CA file or turn off verification",
  SELF_SIGNED_CERT_IN_CHAIN: "the broker's certificate chain ends in a CA this computer does not trust: add that CA file or turn off verification",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the broker's certificate was signed by a CA this computer does not trust: add the CA file or turn off verification",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the broker's certificate was signed by a CA this computer does not trust: add the CA file or turn off verification",
  UNABLE_TO_GET_ISSUER_CERT: "the broker's certificate issuer is unknown: add the CA file or turn off verification",
  CERT_HAS_EXPIRED: "the broker's certificate has expired",
  CERT_NOT_YET_VALID: "the broker's certificate is not valid yet (check the clock)",
  ERR_TLS_CERT_ALTNAME_INVALID: "the broker's certificate is for a different host name: connect by the name on the certificate, set the SNI server name, or turn off verification",
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server did not answer with TLS: is this port plain MQTT (use mqtt://) rather than mqtts://?',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'the broker does not trust our client certificate (unknown CA)',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'the TLS handshake failed: the broker may require a client certificate or other TLS settings',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the broker requires a client certificate: set the certificate and key files',
  ERR_SSL_NO_APPLICATION_PROTOCOL: 'the broker accepts none of the ALPN protocols offered',
};

/** Explain a transport-level error (socket, DNS, TLS, WebSocket upgrade). */
export function explainError(err: unknown, ctx: ErrorContext): string {
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? '';
  const raw = e?.message ?? String(err);
  const where = `${ctx.host}:${ctx.port}`;
  const tag = code ? ` [${code}]` : '';
  switch (code) {
    case 'ECONNREFUSED': return `nothing is listening on ${where}${tag}`;
    case 'ENOTFOUND': return `the host name "${ctx.host}" could not be found (DNS)${tag}`;
    case 'EAI_AGAIN': return `the host name "${ctx.host}" could not be looked up right now (DNS is unreachable)${tag}`;
    case 'ETIMEDOUT': return `${where} did not answer in time (firewall, wrong address or host down)${tag}`;
    case 'EHOSTUNREACH': return `there is no route to ${ctx.host}${tag}`;
    case 'ENETUNREACH': return `the network to ${ctx.host} is unreachable${tag}`;
    case 'ECONNRESET': return `${where} closed the connection abruptly${tag}`;
    case 'EPIPE': return `${where} closed the connection while we were sending${tag}`;
    case 'EADDRNOTAVAIL': return `the address ${where} is not available on this machine${tag}`;
    default: break;
  }
  if (TLS_CODES[code]) return `${TLS_CODES[code]}${tag}`;
  if (/no start line|bad base64|PEM|ASN1|nested asn1/i.test(raw)) {
    return `a certificate or key file is not valid PEM: ${raw}`;
  }
  if (/KEY_VALUES_MISMATCH|key values mismatch/i.test(raw)) return 'the client key does not belong to the client certificate';
  const http = /Unexpected server response: (\d+)/.exec(raw);
  if (http) {
    return `the server answered HTTP ${http[1]} instead of upgrading to WebSocket: check the URL path (often /mqtt) and that this port speaks WebSocket`;
  }
  if (/Server sent no subprotocol|Server sent an invalid subprotocol/.test(raw)) {
    return `the WebSocket server did not accept the "mqtt" subprotocol: ${raw}`;
  }
  if (/Opening handshake has timed out/.test(raw)) return `the WebSocket handshake with ${where} timed out`;
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /SSL|TLS/.test(raw)) return `TLS error: ${raw}${tag}`;
  return `${raw}${tag}`;
}

/** Explain a failure to read one of the configured TLS files. */
export function explainFileError(err: unknown, kind: 'CA' | 'certificate' | 'key', filePath: string): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return `${kind} file not found: ${filePath}`;
  if (code === 'EACCES' || code === 'EPERM') return `${kind} file is not readable (permission denied): ${filePath}`;
  if (code === 'EISDIR') return `${kind} file path is a folder, not a file: ${filePath}`;
  return `cannot read ${kind} file ${filePath}: ${(err as Error)?.message ?? String(err)}`;
}

export type AckKind = 'connack' | 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' | 'suback' | 'unsuback' | 'disconnect' | 'auth';

/**
 * Plain words for a reason/return code (the shared table, one source of truth with the dissector).
 * Before 5.0 only CONNACK and SUBACK carry codes; their other acks simply mean success.
 */
export function reasonText(code: number, kind: AckKind, version: ProtocolVersion): string {
  if (version < 5 && kind !== 'connack' && kind !== 'suback') return 'Success';
  return sharedReasonText(code, kind.toUpperCase() as PacketType, version);
}

/** The code's text plus what the user can do about it, for error messages. */
export function reasonWithHint(code: number, kind: AckKind, version: ProtocolVersion): string {
  const hint = version < 5 && kind !== 'connack' && kind !== 'suback' ? '' : reasonHint(code, kind.toUpperCase() as PacketType, version);
  return hint ? `${reasonText(code, kind, version)}. ${hint}` : reasonText(code, kind, version);
}

/** True for CONNACK refusals worth retrying (the broker is just busy or unavailable now). */
export function isTransientConnack(code: number, version: ProtocolVersion): boolean {
  return version < 5 ? code === 3 : code === 0x88 || code === 0x89 || code === 0x9f || code === 0x8b;
}

/** A v5 DISCONNECT from the broker, with its Reason String and Server Reference when given. */
export function explainServerDisconnect(code: number, props?: { reasonString?: string; serverReference?: string }): string {
  const detail = props?.reasonString ? ` (${props.reasonString})` : '';
  const moved = props?.serverReference ? `; it suggests ${props.serverReference}` : '';
  return `the broker disconnected us: ${reasonWithHint(code, 'disconnect', 5)}${detail}${moved}`;
}
