// Plain data types that cross the contract. No behaviour here: core produces them, the renderer reads them.

export type Side = 'broker' | 'client';
/** c2s: client → server, s2c: server → client, whichever side's tap saw it. */
export type Dir = 'c2s' | 's2c';
export type ProtocolVersion = 3 | 4 | 5;

export const PACKET_TYPES = [
  'RESERVED', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP',
  'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH',
] as const;
export type PacketType = (typeof PACKET_TYPES)[number];

/** packet: a well-formed control packet; malformed: bytes that broke a rule (kept, with the reason);
 *  event: something that happened to the connection (opened, closed, error) with no bytes. */
export type FrameKind = 'packet' | 'malformed' | 'event';

export interface FrameSummary {
  seq: number;
  /** Monotonic microseconds since the core started. */
  timeUs: number;
  /** Wall clock, ms since epoch. */
  wallMs: number;
  conn: number;
  side: Side;
  dir: Dir;
  kind: FrameKind;
  type: PacketType | null;
  /** Low nibble of the first byte. */
  flags: number;
  /** Bytes on the wire. */
  length: number;
  packetId?: number;
  topic?: string;
  qos?: 0 | 1 | 2;
  retain?: boolean;
  dup?: boolean;
  reasonCode?: number;
  payloadSize?: number;
  /** Malformed reason or event text. */
  note?: string;
}

export interface ConnectionInfo {
  id: number;
  side: Side;
  transport: 'tcp' | 'tls' | 'ws' | 'wss';
  /** Peer address "host:port" as seen by this side. */
  remote: string;
  local: string;
  /** MQTT client id once known. */
  clientId?: string;
  /** For client side: the session that owns the connection. */
  sessionId?: string;
  protocolVersion?: ProtocolVersion;
  openedAtMs: number;
  closedAtMs?: number;
  closeReason?: string;
}

export interface TraceStats {
  frames: number;
  /** Bytes held (wire bytes + per-frame index + interned strings), the figure the budget bounds. */
  bytes: number;
  budgetBytes: number;
  evictedFrames: number;
  evictedBytes: number;
  firstSeq: number;
  /** Sequence number the next frame will get. */
  nextSeq: number;
  malformed: number;
}

export interface TraceQuery {
  /** Inclusive bounds. */
  fromSeq?: number;
  toSeq?: number;
  /** Newest first when 'backward'. Default forward. */
  order?: 'forward' | 'backward';
  limit?: number;
  conns?: number[];
  sessionId?: string;
  side?: Side;
  dir?: Dir;
  kinds?: FrameKind[];
  types?: PacketType[];
  /** MQTT topic filter (+, #) applied to PUBLISH/SUBSCRIBE topics. */
  topicFilter?: string;
  /** Case-insensitive substring of topic, note or (UTF-8) payload. */
  text?: string;
}

export interface TraceQueryResult {
  frames: FrameSummary[];
  /** Frames in the store matching the query's filters (ignoring limit and seq bounds). */
  matching: number;
  stats: TraceStats;
}

/** One decoded field with its byte range in the frame, for hex highlighting. */
export interface FieldNode {
  name: string;
  /** Display value, already formatted. */
  value?: string;
  /** Raw numeric value when the field is numeric. */
  num?: number;
  offset: number;
  length: number;
  children?: FieldNode[];
  /** A rule this field breaks, e.g. "[MQTT-3.3.1-4] QoS 3 is reserved". */
  problem?: string;
}

export interface FrameDetail {
  summary: FrameSummary;
  bytesB64: string;
  fields: FieldNode[];
  protocolVersion: ProtocolVersion;
}

export interface TraceBatch {
  /** Newest summaries, oldest first, at most `TRACE_BATCH_MAX`. */
  frames: FrameSummary[];
  /** Range appended since the last batch. If it spans more than `frames`, query the gap. */
  fromSeq: number;
  toSeq: number;
  stats: TraceStats;
}

// ---- broker ----

export interface BrokerConfig {
  host: string;
  /** 0 picks a free port. */
  tcpPort: number;
  /** null: no WebSocket listener. */
  wsPort: number | null;
  wsPath: string;
  tls: { port: number; certPath: string; keyPath: string; caPath?: string } | null;
  auth: { username: string; password: string } | null;
  /** Close connections with no CONNECT, or with a packet left unfinished, for this long (default 90 s like mosquitto; 0: never). */
  inactivityTimeoutSec?: number;
  /** Browser origins (e.g. "https://app.example:8443") allowed on the WebSocket listener besides its own address. */
  wsAllowedOrigins?: string[];
}

export interface ListenerInfo {
  kind: 'tcp' | 'ws' | 'tls';
  host: string;
  port: number;
  url: string;
}

export interface BrokerStatus {
  state: 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';
  config: BrokerConfig;
  listeners: ListenerInfo[];
  error?: string;
  startedAtMs?: number;
}

export interface BrokerClientInfo {
  clientId: string;
  conn: number;
  protocolVersion: ProtocolVersion;
  remote: string;
  transport: 'tcp' | 'tls' | 'ws';
  keepalive: number;
  cleanStart: boolean;
  sessionExpiry?: number;
  will?: { topic: string; qos: number; retain: boolean; size: number };
  username?: string;
  connectedAtMs: number;
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
  /** QoS 0 messages dropped because this client did not read its output queue fast enough. */
  droppedQoS0?: number;
}

export interface BrokerSubscriptionInfo {
  clientId: string;
  topic: string;
  qos: number;
  noLocal?: boolean;
  retainAsPublished?: boolean;
  retainHandling?: number;
  online: boolean;
}

export interface RetainedInfo {
  topic: string;
  size: number;
  qos: number;
  properties?: Record<string, unknown>;
}

export interface OfflineSessionInfo {
  clientId: string;
  subscriptions: { topic: string; qos: number }[];
  queued: number;
}

// ---- client sessions ----

export interface UserProperty { key: string; value: string }

export interface PublishProperties {
  messageExpiryInterval?: number;
  contentType?: string;
  payloadFormatIndicator?: boolean;
  responseTopic?: string;
  correlationDataB64?: string;
  topicAlias?: number;
  userProperties?: UserProperty[];
  subscriptionIdentifiers?: number[];
}

export interface SessionOptions {
  name: string;
  url: string; // mqtt:// mqtts:// ws:// wss://
  protocolVersion: ProtocolVersion;
  clientId: string;
  username?: string;
  password?: string;
  keepalive: number;
  clean: boolean;
  connectTimeoutMs: number;
  tls?: {
    caPath?: string;
    certPath?: string;
    keyPath?: string;
    rejectUnauthorized: boolean;
    servername?: string;
    alpn?: string[];
  };
  properties?: {
    sessionExpiryInterval?: number;
    receiveMaximum?: number;
    maximumPacketSize?: number;
    topicAliasMaximum?: number;
    requestResponseInformation?: boolean;
    requestProblemInformation?: boolean;
    userProperties?: UserProperty[];
    authenticationMethod?: string;
    authenticationDataB64?: string;
  };
  will?: {
    topic: string;
    payloadB64: string;
    qos: 0 | 1 | 2;
    retain: boolean;
    properties?: PublishProperties & { willDelayInterval?: number };
  };
  reconnect: { enabled: boolean; initialDelayMs: number; maxDelayMs: number; maxTries: number };
}

export type SessionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'failed';

export interface SessionInfo {
  id: string;
  options: SessionOptions;
  state: SessionState;
  /** Connection ids this session has used, newest last. */
  conns: number[];
  lastError?: string;
  /** From the last CONNACK. */
  connack?: { sessionPresent: boolean; reasonCode: number; reason: string; properties?: Record<string, unknown> };
  subscriptions: SubscriptionRequest[];
  inflight: number;
  reconnectTries: number;
}

export interface SubscriptionRequest {
  topic: string;
  qos: 0 | 1 | 2;
  noLocal?: boolean;
  retainAsPublished?: boolean;
  retainHandling?: 0 | 1 | 2;
  subscriptionIdentifier?: number;
  userProperties?: UserProperty[];
}

export interface PublishRequest {
  topic: string;
  payloadB64: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  properties?: PublishProperties;
}

export interface AckResult {
  packetId?: number;
  reasonCodes: number[];
  reasons: string[];
}

export interface HostInfo {
  version: string;
  host: 'electron' | 'web' | 'cli' | 'test';
  platform: string;
  startedAtMs: number;
  dataDir: string;
  /** How saved passwords are kept: 'safeStorage' (OS keychain) or 'plain' (said so in the UI). */
  secretStorage: 'safeStorage' | 'plain';
}

export interface SavedDoc {
  key: string;
  value: unknown;
}
