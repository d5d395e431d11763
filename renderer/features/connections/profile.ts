// A saved connection profile: what a person fills in, in the shape they think of it (host, port, TLS on),
// and its translation to the core's SessionOptions.
import type { ProtocolVersion, SessionOptions, UserProperty } from '../../../shared/contract/types';
import { bytesToBase64, utf8Encode } from '../../app/bytes';

export type Scheme = 'mqtt' | 'mqtts' | 'ws' | 'wss';

export interface Profile {
  id: string;
  name: string;
  /** The built-in profile that follows the embedded broker's TCP port. */
  localBroker?: boolean;
  scheme: Scheme;
  host: string;
  port: number;
  wsPath: string;
  protocolVersion: ProtocolVersion;
  clientId: string;
  username: string;
  password: string;
  keepalive: number;
  clean: boolean;
  connectTimeoutMs: number;
  tls: { useCa: boolean; caPath: string; certPath: string; keyPath: string; rejectUnauthorized: boolean; servername: string; alpn: string };
  props: {
    sessionExpiryInterval?: number;
    receiveMaximum?: number;
    maximumPacketSize?: number;
    topicAliasMaximum?: number;
    requestResponseInformation: boolean;
    requestProblemInformation: boolean;
    userProperties: UserProperty[];
    authenticationMethod: string;
    authenticationData: string;
  };
  will: {
    enabled: boolean;
    topic: string;
    payload: string;
    qos: 0 | 1 | 2;
    retain: boolean;
    delayInterval?: number;
    messageExpiryInterval?: number;
    contentType: string;
  };
  reconnect: { enabled: boolean; initialDelayMs: number; maxDelayMs: number; maxTries: number };
}

export const LOCAL_PROFILE_ID = 'local-broker';

export function randomId(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

export function newProfile(patch: Partial<Profile> = {}): Profile {
  return {
    id: randomId('p'),
    name: 'New connection',
    scheme: 'mqtt',
    host: '127.0.0.1',
    port: 1883,
    wsPath: '/mqtt',
    protocolVersion: 5,
    clientId: '',
    username: '',
    password: '',
    keepalive: 60,
    clean: true,
    connectTimeoutMs: 10000,
    tls: { useCa: false, caPath: '', certPath: '', keyPath: '', rejectUnauthorized: true, servername: '', alpn: '' },
    props: { requestResponseInformation: false, requestProblemInformation: true, userProperties: [], authenticationMethod: '', authenticationData: '' },
    will: { enabled: false, topic: '', payload: '', qos: 0, retain: false, contentType: '' },
    reconnect: { enabled: true, initialDelayMs: 1000, maxDelayMs: 30000, maxTries: 10 },
    ...patch,
  };
}

export function localBrokerProfile(): Profile {
  return newProfile({ id: LOCAL_PROFILE_ID, name: 'Local broker', localBroker: true, reconnect: { enabled: false, initialDelayMs: 1000, maxDelayMs: 30000, maxTries: 0 } });
}

export const isTls = (p: Profile) => p.scheme === 'mqtts' || p.scheme === 'wss';
export const isWs = (p: Profile) => p.scheme === 'ws' || p.scheme === 'wss';

export function profileUrl(p: Profile, portOverride?: number): string {
  const port = portOverride ?? p.port;
  return `${p.scheme}://${p.host}:${port}${isWs(p) ? p.wsPath : ''}`;
}

const nonEmpty = (s: string) => (s.trim() === '' ? undefined : s.trim());
const noUndef = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Translate to what core accepts. `portOverride` is used by the local-broker profile. */
export function toSessionOptions(p: Profile, portOverride?: number): SessionOptions {
  const v5 = p.protocolVersion === 5;
  const opts: SessionOptions = {
    name: p.name,
    url: profileUrl(p, portOverride),
    protocolVersion: p.protocolVersion,
    clientId: p.clientId || `mqscope-${Math.random().toString(16).slice(2, 10)}`,
    username: nonEmpty(p.username),
    password: p.password === '' ? undefined : p.password,
    keepalive: p.keepalive,
    clean: p.clean,
    connectTimeoutMs: p.connectTimeoutMs,
    reconnect: { ...p.reconnect },
  };
  if (isTls(p)) {
    opts.tls = noUndef({
      caPath: p.tls.useCa ? p.tls.caPath.trim() : undefined,
      certPath: nonEmpty(p.tls.certPath),
      keyPath: nonEmpty(p.tls.keyPath),
      rejectUnauthorized: p.tls.rejectUnauthorized,
      servername: nonEmpty(p.tls.servername),
      alpn: p.tls.alpn.trim() ? p.tls.alpn.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    });
  }
  if (v5) {
    const pr = p.props;
    const props = noUndef({
      sessionExpiryInterval: pr.sessionExpiryInterval,
      receiveMaximum: pr.receiveMaximum,
      maximumPacketSize: pr.maximumPacketSize,
      topicAliasMaximum: pr.topicAliasMaximum,
      requestResponseInformation: pr.requestResponseInformation || undefined,
      requestProblemInformation: pr.requestProblemInformation ? undefined : false,
      userProperties: pr.userProperties.length ? pr.userProperties : undefined,
      authenticationMethod: nonEmpty(pr.authenticationMethod),
      authenticationDataB64: pr.authenticationData ? bytesToBase64(utf8Encode(pr.authenticationData)) : undefined,
    });
    if (Object.keys(props).length) opts.properties = props;
  }
  if (p.will.enabled) {
    const w = p.will;
    const wp = v5 ? noUndef({ willDelayInterval: w.delayInterval, messageExpiryInterval: w.messageExpiryInterval, contentType: nonEmpty(w.contentType) }) : {};
    opts.will = {
      topic: w.topic,
      payloadB64: bytesToBase64(utf8Encode(w.payload)),
      qos: w.qos,
      retain: w.retain,
      ...(Object.keys(wp).length ? { properties: wp } : {}),
    };
  }
  return noUndef(opts);
}
