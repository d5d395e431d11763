// Checks a profile before it is saved or connected, in plain words, keyed by field ("port", "tls.caPath").
// Local rules first (the ones a person trips over), then the contract's own zod schema as the final word.
import type { SessionSchema } from './profile-schema';
import { topicNameProblem } from '../../app/mqtt-topic';
import { isTls, toSessionOptions, type Profile } from './profile';

export type ProfileErrors = Record<string, string>;

const U16 = 0xffff;
const U32 = 0xffffffff;

function intIn(errors: ProfileErrors, key: string, v: number | undefined, min: number, max: number, what: string, optional = false) {
  if (v === undefined) { if (!optional) errors[key] = `${what} is required`; return; }
  if (Number.isNaN(v) || !Number.isInteger(v)) { errors[key] = `${what} must be a whole number`; return; }
  if (v < min || v > max) errors[key] = `${what} must be ${min.toLocaleString('en')}–${max.toLocaleString('en')}`;
}

/** Zod paths of SessionOptions → the form field that shows the message. */
function fieldForPath(path: (string | number | symbol)[]): string {
  const p = path.map(String);
  if (p[0] === 'url') return 'host';
  if (p[0] === 'properties') return `props.${p[1] ?? ''}`.replace(/B64$/, '');
  if (p[0] === 'will') return p[1] === 'properties' ? `will.${p[2]}` : `will.${p[1] ?? 'topic'}`;
  return p.join('.');
}

/** `schema`: the contract's session schema (profile-schema.ts); without it only the local rules are checked. */
export function validateProfile(p: Profile, schema: SessionSchema | null): ProfileErrors {
  const e: ProfileErrors = {};
  if (!p.name.trim()) e.name = 'Give the connection a name';
  if (!p.localBroker) {
    if (!p.host.trim()) e.host = 'Host is required';
    else if (/[\s/:]/.test(p.host.trim())) e.host = 'Host is a name or an address only (no spaces, "/" or ":")';
    intIn(e, 'port', p.port, 1, 65535, 'Port');
    if (e.port === 'Port must be 1–65,535') e.port = 'Port must be 1–65535';
  }
  if ((p.scheme === 'ws' || p.scheme === 'wss') && !p.wsPath.startsWith('/')) e.wsPath = 'WebSocket path must start with /';
  if (p.clientId.length > 23 && p.protocolVersion !== 5) e.clientId = 'MQTT 3.1.1 brokers may refuse client ids longer than 23 characters';
  if (p.password && !p.username && p.protocolVersion !== 5) e.password = 'MQTT 3.1.1 needs a username when a password is set';
  intIn(e, 'keepalive', p.keepalive, 0, U16, 'Keep alive');
  intIn(e, 'connectTimeoutMs', p.connectTimeoutMs, 100, 600000, 'Connect timeout');
  if (isTls(p)) {
    if (p.tls.useCa && !p.tls.caPath.trim()) e['tls.caPath'] = 'CA file path is required when "Verify with a CA file" is on';
    if (p.tls.certPath.trim() && !p.tls.keyPath.trim()) e['tls.keyPath'] = 'A client certificate needs its key file';
    if (p.tls.keyPath.trim() && !p.tls.certPath.trim()) e['tls.certPath'] = 'A client key needs its certificate file';
  }
  if (p.protocolVersion === 5) {
    intIn(e, 'props.sessionExpiryInterval', p.props.sessionExpiryInterval, 0, U32, 'Session expiry', true);
    intIn(e, 'props.receiveMaximum', p.props.receiveMaximum, 1, U16, 'Receive maximum', true);
    intIn(e, 'props.maximumPacketSize', p.props.maximumPacketSize, 1, U32, 'Maximum packet size', true);
    intIn(e, 'props.topicAliasMaximum', p.props.topicAliasMaximum, 0, U16, 'Topic alias maximum', true);
    if (p.props.userProperties.some((u) => !u.key)) e['props.userProperties'] = 'Every user property needs a key';
    if (p.props.authenticationData && !p.props.authenticationMethod.trim()) e['props.authenticationMethod'] = 'Authentication data needs an authentication method';
  }
  if (p.will.enabled) {
    const t = topicNameProblem(p.will.topic);
    if (t) e['will.topic'] = t.replace('A topic to publish to', 'A will topic');
    if (p.protocolVersion === 5) {
      intIn(e, 'will.willDelayInterval', p.will.delayInterval, 0, U32, 'Will delay', true);
      intIn(e, 'will.messageExpiryInterval', p.will.messageExpiryInterval, 0, U32, 'Message expiry', true);
    }
  }
  if (p.reconnect.enabled) {
    intIn(e, 'reconnect.initialDelayMs', p.reconnect.initialDelayMs, 0, 3600000, 'First retry delay');
    intIn(e, 'reconnect.maxDelayMs', p.reconnect.maxDelayMs, 0, 3600000, 'Longest retry delay');
    intIn(e, 'reconnect.maxTries', p.reconnect.maxTries, 0, 1000000, 'Retries');
  }
  if (Object.keys(e).length) return e;

  // The contract's schema has the final word (it is what core will check too).
  const r = schema?.safeParse(toSessionOptions(p, p.localBroker ? 1883 : undefined));
  if (r && !r.success) {
    for (const issue of r.error.issues) {
      const key = fieldForPath(issue.path);
      if (!e[key]) e[key] = issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
    }
  }
  return e;
}
