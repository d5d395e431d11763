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
  /** Frames [fromSeq, toSeq) were removed by the last Clear (not evicted, not counted in evictedFrames). */
  cleared?: { fromSeq: number; toSeq: number };
}

export interface TraceQuery {
  /** Inclusive bounds. */
  fromSeq?: number;
  toSeq?: number;
  /** Also a lower bound: frames recorded at or after this wall clock time (ms since the epoch; "Go to 13:46:42"). */
  fromWallMs?: number;
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
  /** Display filter (shared/filter), e.g. `type == PUBLISH && qos == 2`. */
  filter?: string;
  /** Who asks (e.g. "trace-list"): a newer filtered query from the same caller cancels the older one. */
  caller?: string;
  /** Trace document (default 'live'). */
  doc?: string;
  /**
   * Refresh: the same caller's previous result's scannedTo, with the same conditions. Only frames from
   * here on are scanned and picked (the count still covers the store); the result says `continued`.
   */
  since?: number;
}

/** One trace document: the live capture ('live') or an opened file, read-only, with its own numbering. */
export interface TraceDocInfo {
  id: string;
  name: string;
  readOnly: boolean;
  /** Wall clock (ms since the epoch) of timeUs 0: for a file, the one in its header. */
  originMs: number;
  stats: TraceStats;
  /** Something about the file the user should know (a torn last record, renumbering). */
  warning?: string;
}

export interface TraceQueryResult {
  frames: FrameSummary[];
  /** Frames in the store matching the query's filters (ignoring limit and seq bounds). */
  matching: number;
  stats: TraceStats;
  /** Frames below this seq were looked at: pass it as the next refresh's `since`. */
  scannedTo?: number;
  /** True: `frames` are only matches at or after the query's `since` (add them); false: the whole answer. */
  continued?: boolean;
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

/** The most payloadChunk returns at once: 1 MiB, about 1.4 MB of base64 in one response. */
export const PAYLOAD_CHUNK_MAX = 1024 * 1024;

export interface PayloadChunk {
  seq: number;
  /** The whole payload's size in bytes. */
  size: number;
  offset: number;
  bytesB64: string;
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
  // ---- broker limits (MQTT 5 conformance; mosquitto.conf names in brackets); 0 = no limit ----
  /** Per-client outbound QoS 1/2 window; also the Receive Maximum advertised to v5 clients [max_inflight_messages]. */
  maxInflightMessages?: number;
  /** Messages held per session while offline or waiting for the window; 0 = unlimited, default 1000 [max_queued_messages]. */
  maxQueuedMessages?: number;
  /** Largest packet accepted from a client (bytes); advertised as Maximum Packet Size [max_packet_size]. */
  maxPacketSize?: number;
  /** Server Keep Alive imposed on v5 clients asking for more or for 0 [max_keepalive]. */
  maxKeepalive?: number;
  maxQos?: 0 | 1 | 2;
  retainAvailable?: boolean;
  /** $SYS statistics interval in seconds; 0 = off, default 10 [sys_interval]. */
  sysInterval?: number;
  // ---- broker config: mosquitto-style auth, ACL, persistence, more listeners ----
  /** Clients without a username may connect. Unset: only when neither auth nor passwordFile is set. */
  allowAnonymous?: boolean;
  /** mosquitto password_file ($6$ / $7$ hashes; plain user:password lines too). */
  passwordFile?: string;
  /** mosquitto acl_file (user / topic / pattern lines). */
  aclFile?: string;
  /** Sessions, subscriptions, retained and queued messages kept in this directory across restarts. */
  persistence?: { dir: string } | null;
  /** Listeners beyond the main tcp / ws / tls ones (e.g. a second port from mosquitto.conf). */
  extraListeners?: ExtraListener[];
}

export interface ExtraListener {
  kind: 'tcp' | 'ws' | 'tls';
  host: string;
  port: number;
  /** ws only; default /mqtt. */
  path?: string;
  certPath?: string;
  keyPath?: string;
  caPath?: string;
}

/** A mosquitto.conf read into a BrokerConfig; problems carry "name:line: ..." so people find them. */
export interface BrokerConfigParse {
  config: BrokerConfig;
  warnings: string[];
  errors: string[];
  /** What the password_file and acl_file hold, when they could be read. */
  summary?: { passwordUsers?: number; aclRules?: number; aclUsers?: number };
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
  /** Faults injected on this client's connection (provoke); absent when none is active. */
  faults?: ClientFaults;
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
  /** Queued messages dropped (oldest first) because the session's queue was full. */
  dropped: number;
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

// ---- provoke: fault injection on the embedded broker, step mode and raw packets on sessions ----

/** A fault to inject on one client of the embedded broker. */
export type BrokerFault =
  | { kind: 'delay'; ms: number }
  | { kind: 'drop-acks'; count: number }
  | { kind: 'drop-publish'; count?: number }
  | { kind: 'close' };

/** Active faults of one client connection. */
export interface ClientFaults {
  /** Every packet the broker sends it waits this long (0 = off). */
  delayMs: number;
  /** Acknowledgements (PUBACK/PUBREC/PUBREL/PUBCOMP) still to drop. */
  dropAcks: number;
  /** Outbound PUBLISH packets still to drop. */
  dropPublishes: number;
}

export type StepAction = 'send' | 'delay' | 'duplicate' | 'drop';

/** One step of a QoS flow held by step mode. */
export interface StepItem {
  /** Unique within the session. */
  id: number;
  conn: number;
  /** The packet that arrived. */
  received: 'PUBLISH' | 'PUBACK' | 'PUBREC' | 'PUBREL' | 'PUBCOMP';
  packetId: number;
  topic?: string;
  qos?: 0 | 1 | 2;
  /** The acknowledgement waiting to be sent; null when the held step is applying an incoming ack. */
  reply: 'PUBACK' | 'PUBREC' | 'PUBREL' | 'PUBCOMP' | null;
  heldAtMs: number;
  /** Set while a delayed action is pending. */
  dueAtMs?: number;
}

export interface StepState {
  sessionId: string;
  on: boolean;
  items: StepItem[];
}

/** A packet for the raw sender, in mqtt-packet's field names; binary fields as base64 under "<name>B64". */
export interface RawPacketFields {
  cmd: 'connect' | 'connack' | 'publish' | 'puback' | 'pubrec' | 'pubrel' | 'pubcomp' | 'subscribe' | 'suback'
    | 'unsubscribe' | 'unsuback' | 'pingreq' | 'pingresp' | 'disconnect' | 'auth';
  [field: string]: unknown;
}

/** Progress of a trace file read or written by path (traceFileOpen/traceFileSave): bytes read, or frames written. */
export interface TraceFileProgress {
  transfer: string;
  done: number;
  total: number;
  unit: 'bytes' | 'frames';
}
