// Run-time shapes of everything a caller may send. Every incoming call is parsed with these before it
// reaches core, whichever host (Electron IPC, WebSocket, CLI) carried it.
import { z } from 'zod';
import { PACKET_TYPES } from './types';
import { FLOW_KINDS, FLOW_STATES } from '../flows/types';
import { topicMethodParams } from './topics-schemas';
import { traceListPageParams } from './list-pages';
import { ContractError } from './errors';
import { PAYLOAD_CHUNK_MAX } from './types';
import type {
  BrokerConfig, BrokerFault, PublishProperties, RawPacketFields, PublishRequest, SessionOptions, SubscriptionRequest, TraceQuery, UserProperty,
} from './types';

const port = z.number().int().min(0, 'port must be 0–65535').max(65535, 'port must be 0–65535');
const qos = z.union([z.literal(0), z.literal(1), z.literal(2)]);
const u16 = z.number().int().min(0).max(0xffff);
const u32 = z.number().int().min(0).max(0xffffffff);
const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const userProperty: z.ZodType<UserProperty> = z.object({ key: z.string(), value: z.string() });

export const publishProperties: z.ZodType<PublishProperties> = z.object({
  messageExpiryInterval: u32.optional(),
  contentType: z.string().optional(),
  payloadFormatIndicator: z.boolean().optional(),
  responseTopic: z.string().optional(),
  correlationDataB64: b64.optional(),
  topicAlias: u16.min(1).optional(),
  userProperties: z.array(userProperty).optional(),
  subscriptionIdentifiers: z.array(z.number().int().min(1).max(268435455)).optional(),
});

export const brokerConfig: z.ZodType<BrokerConfig> = z.object({
  host: z.string().min(1),
  tcpPort: port,
  wsPort: port.nullable(),
  wsPath: z.string().startsWith('/'),
  tls: z.object({ port, certPath: z.string().min(1), keyPath: z.string().min(1), caPath: z.string().optional() }).nullable(),
  auth: z.object({ username: z.string().min(1), password: z.string() }).nullable(),
  // ---- broker limits (MQTT 5 conformance); 0 = no limit where mosquitto says so ----
  maxInflightMessages: z.number().int().min(0).max(65535).optional(),
  maxQueuedMessages: z.number().int().min(0).optional(),
  maxPacketSize: z.number().int().min(0).max(268435460).refine((n) => n === 0 || n >= 20, 'maxPacketSize must be 0 (no limit) or at least 20 bytes').optional(),
  maxKeepalive: u16.optional(),
  maxQos: qos.optional(),
  retainAvailable: z.boolean().optional(),
  sysInterval: z.number().int().min(0).optional(),
  // ---- broker config: auth, ACL, persistence, more listeners ----
  allowAnonymous: z.boolean().optional(),
  passwordFile: z.string().min(1).optional(),
  aclFile: z.string().min(1).optional(),
  persistence: z.object({ dir: z.string().min(1) }).nullable().optional(),
  extraListeners: z.array(z.object({
    kind: z.enum(['tcp', 'ws', 'tls']),
    host: z.string().min(1),
    port,
    path: z.string().startsWith('/').optional(),
    certPath: z.string().min(1).optional(),
    keyPath: z.string().min(1).optional(),
    caPath: z.string().min(1).optional(),
  })).optional(),
  inactivityTimeoutSec: z.number().min(0).max(86400).optional(),
  wsAllowedOrigins: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin looks like https://host or http://host:port, with no path')).max(100).optional(),
});

export const sessionOptions: z.ZodType<SessionOptions> = z.object({
  name: z.string(),
  url: z.string().regex(/^(mqtt|mqtts|tcp|ssl|tls|ws|wss):\/\/[^/:]+(:\d+)?(\/.*)?$/, 'URL must look like mqtt://host:1883, mqtts://, ws:// or wss://'),
  protocolVersion: z.union([z.literal(3), z.literal(4), z.literal(5)]),
  clientId: z.string().max(65535),
  username: z.string().optional(),
  password: z.string().optional(),
  keepalive: u16,
  clean: z.boolean(),
  connectTimeoutMs: z.number().int().min(100).max(600000),
  tls: z.object({
    caPath: z.string().optional(),
    certPath: z.string().optional(),
    keyPath: z.string().optional(),
    rejectUnauthorized: z.boolean(),
    servername: z.string().optional(),
    alpn: z.array(z.string()).optional(),
  }).optional(),
  properties: z.object({
    sessionExpiryInterval: u32.optional(),
    receiveMaximum: u16.min(1).optional(),
    maximumPacketSize: u32.min(1).optional(),
    topicAliasMaximum: u16.optional(),
    requestResponseInformation: z.boolean().optional(),
    requestProblemInformation: z.boolean().optional(),
    userProperties: z.array(userProperty).optional(),
    authenticationMethod: z.string().optional(),
    authenticationDataB64: b64.optional(),
  }).optional(),
  will: z.object({
    topic: z.string().min(1),
    payloadB64: b64,
    qos,
    retain: z.boolean(),
    properties: z.intersection(publishProperties, z.object({ willDelayInterval: u32.optional() })).optional(),
  }).optional(),
  reconnect: z.object({
    enabled: z.boolean(),
    initialDelayMs: z.number().int().min(0),
    maxDelayMs: z.number().int().min(0),
    maxTries: z.number().int().min(0),
  }),
});

export const subscriptionRequest: z.ZodType<SubscriptionRequest> = z.object({
  topic: z.string().min(1),
  qos,
  noLocal: z.boolean().optional(),
  retainAsPublished: z.boolean().optional(),
  retainHandling: qos.optional(),
  subscriptionIdentifier: z.number().int().min(1).max(268435455).optional(),
  userProperties: z.array(userProperty).optional(),
});

export const publishRequest: z.ZodType<PublishRequest> = z.object({
  topic: z.string(),
  payloadB64: b64,
  qos,
  retain: z.boolean(),
  properties: publishProperties.optional(),
});

export const traceQuery: z.ZodType<TraceQuery> = z.object({
  fromSeq: z.number().int().min(0).optional(),
  toSeq: z.number().int().min(0).optional(),
  fromWallMs: z.number().finite().optional(),
  order: z.enum(['forward', 'backward']).optional(),
  limit: z.number().int().min(0).max(100000).optional(),
  conns: z.array(z.number().int()).optional(),
  sessionId: z.string().optional(),
  side: z.enum(['broker', 'client']).optional(),
  dir: z.enum(['c2s', 's2c']).optional(),
  kinds: z.array(z.enum(['packet', 'malformed', 'event'])).optional(),
  types: z.array(z.enum(PACKET_TYPES)).optional(),
  topicFilter: z.string().optional(),
  text: z.string().optional(),
  filter: z.string().max(10000).optional(),
  since: z.number().int().min(0).optional(),
  doc: z.string().min(1).max(64).optional(),
  caller: z.string().min(1).max(64).optional(),
});

// ---- provoke ----
const brokerFault: z.ZodType<BrokerFault> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('delay'), ms: z.number().int().min(0, 'delay must be 0 ms or more').max(600_000, 'delay must be at most 600000 ms') }),
  z.object({ kind: z.literal('drop-acks'), count: z.number().int().min(1, 'drop at least 1 acknowledgement').max(65535) }),
  z.object({ kind: z.literal('drop-publish'), count: z.number().int().min(1).max(65535).optional() }),
  z.object({ kind: z.literal('close') }),
]);
const RAW_CMDS = ['connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'suback',
  'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect', 'auth'] as const;
const rawPacket: z.ZodType<RawPacketFields> = z.object({ cmd: z.enum(RAW_CMDS) }).passthrough();
const sendRaw = z.object({
  id: z.string().min(1),
  bytesB64: b64.max(22_369_624, 'at most 16 MiB of bytes').optional(),
  packet: rawPacket.optional(),
}).refine((p) => (p.bytesB64 === undefined) !== (p.packet === undefined), 'give either bytesB64 or packet, not both');
// ---- end provoke ----
// ---- flows ----
const seqNo = z.number().int().min(0);
export const flowsQuery = z.object({
  states: z.array(z.enum(FLOW_STATES)).optional(),
  kinds: z.array(z.enum(FLOW_KINDS)).optional(),
  clientId: z.string().optional(),
  topicFilter: z.string().min(1).optional(),
  conns: z.array(z.number().int()).optional(),
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(0).max(5000).optional(),
  /** The trace document (default: the live capture). */
  doc: z.string().min(1).max(64).optional(),
});
const flowDoc = z.string().min(1).max(64).optional();
const journeyRef = z.union([
  z.object({ id: z.number().int().min(1), doc: flowDoc }).strict(),
  z.object({ seq: seqNo, doc: flowDoc }).strict(),
  z.object({ flowId: z.number().int().min(1), doc: flowDoc }).strict(),
]);
// ---- end flows ----

const none = z.object({}).strict().optional();
const transferId = z.string().min(1).max(64);
/** Methods that read a trace name its document; none means the live capture. */
const inDoc = z.object({ doc: z.string().min(1).max(64).optional() }).strict().optional();
const sessionRef = z.object({ id: z.string().min(1) });

/** Parameters of every method. The keys of this object ARE the method names of the contract. */
export const methodParams = {
  hostInfo: none,
  brokerStatus: none,
  brokerStart: z.object({ config: brokerConfig.optional() }),
  brokerStop: none,
  brokerClients: none,
  brokerSubscriptions: none,
  brokerRetained: z.object({ filter: z.string().min(1) }),
  brokerRetainedPayload: z.object({ topic: z.string() }),
  brokerRetainedDelete: z.object({ topic: z.string() }),
  brokerRetainedClear: z.object({ filter: z.string().min(1), dryRun: z.boolean().optional() }),
  brokerOfflineSessions: none,
  brokerDisconnectClient: z.object({ clientId: z.string() }),
  // ---- broker config ----
  brokerConfigParse: z.object({ text: z.string().max(1024 * 1024, 'a config file of at most 1 MiB'), name: z.string().min(1).max(255) }),
  connectionList: inDoc,
  sessionList: none,
  sessionOpen: z.object({ options: sessionOptions }),
  sessionConnect: sessionRef,
  sessionDisconnect: sessionRef,
  sessionClose: sessionRef,
  sessionSubscribe: z.object({ id: z.string().min(1), subscriptions: z.array(subscriptionRequest).min(1), userProperties: z.array(userProperty).optional() }),
  sessionUnsubscribe: z.object({ id: z.string().min(1), topics: z.array(z.string().min(1)).min(1) }),
  sessionPublish: z.object({ id: z.string().min(1), message: publishRequest }),
  traceQuery: traceQuery,
  traceFrame: z.object({ seq: z.number().int().min(0), doc: z.string().min(1).max(64).optional() }),
  traceStats: inDoc,
  traceSetBudget: z.object({ bytes: z.number().int().min(8 * 2 ** 20, 'budget must be at least 8 MiB').max(64 * 2 ** 30) }),
  traceClear: none,
  // ---- display filters and trace documents (issue 8) ----
  traceQueryCancel: z.object({ caller: z.string().min(1).max(64) }),
  traceDocs: none,
  traceCloseDoc: z.object({ doc: z.string().min(1).max(64) }),
  // ---- trace files by path (issue 9: the desktop app's in-page Open…/Save…, streamed in core) ----
  // The path keys are in shared/contract/sensitive.ts: the desktop shell replaces them with the file the user
  // chose in a native dialog before the call reaches core. `transfer` names the run for progress and cancel.
  traceFileOpen: z.object({ openFile: z.string().min(1).max(4096), transfer: transferId }).strict(),
  traceFileSave: z.object({
    saveFile: z.string().min(1).max(4096), transfer: transferId,
    format: z.enum(['mqtrace', 'pcap']).optional(), doc: z.string().min(1).max(64).optional(),
  }).strict(),
  traceFileCancel: z.object({ transfer: transferId }).strict(),
  // ---- messages of a trace document (issue 8: the Messages view follows the document) ----
  traceDocMessages: z.object({
    doc: z.string().min(1).max(64),
    offset: z.number().int().min(0),
    limit: z.number().int().min(0).max(1000, 'at most 1000 messages a page'),
    side: z.enum(['client', 'broker']).optional(),
  }),
  // ---- provoke ----
  brokerFaultSet: z.object({ clientId: z.string().min(1), fault: brokerFault }),
  brokerFaultClear: z.object({ clientId: z.string().min(1) }),
  sessionStepMode: z.object({ id: z.string().min(1), on: z.boolean() }),
  sessionStepQueue: z.object({ id: z.string().min(1) }),
  sessionStepAction: z.object({
    id: z.string().min(1),
    item: z.number().int().min(1),
    action: z.enum(['send', 'delay', 'duplicate', 'drop']),
    delayMs: z.number().int().min(0, 'delay must be 0 ms or more').max(600_000, 'delay must be at most 600000 ms').optional(),
  }),
  sessionSendRaw: sendRaw,
  // ---- end provoke ----
  docGet: z.object({ key: z.string().regex(/^[a-z][a-zA-Z0-9.-]{0,63}$/) }),
  docSet: z.object({ key: z.string().regex(/^[a-z][a-zA-Z0-9.-]{0,63}$/), value: z.unknown() }),
  // ---- flows ----
  flowsQuery: flowsQuery,
  flowGet: z.object({ id: z.number().int().min(1), doc: flowDoc }),
  flowsOfFrames: z.object({ fromSeq: seqNo, toSeq: seqNo, doc: flowDoc }).refine((p) => p.toSeq >= p.fromSeq, 'toSeq must not be below fromSeq')
    .refine((p) => p.toSeq - p.fromSeq < 100_000, 'at most 100000 frames at once'),
  journeyGet: journeyRef,
  flowWindows: none,
  flowSettings: z.object({ stalledMs: z.number().int().min(100, 'stalledMs must be at least 100').max(3_600_000, 'stalledMs must be at most one hour').optional() }).strict().optional(),
  // ---- topics ---- (topic tree, payload codecs, charts: issue 10)
  ...topicMethodParams,
  // ---- burst: the window pages what it was not pushed (issue 11) ----
  traceMessagePage: z.object({ fromSeq: seqNo, toSeq: seqNo, limit: z.number().int().min(1).max(20_000) })
    .refine((p) => p.toSeq >= p.fromSeq, 'toSeq must not be below fromSeq'),
  // ---- filtered lists page like the live list (issue 11): counts and the newest screen, then pages by rank ----
  traceList: traceQuery.refine((q) => !!q.caller, 'caller is required: a list\'s pages are kept per caller'),
  traceListPage: traceListPageParams,
  // ---- end filtered list pages ----
  // ---- large payloads ---- (a PUBLISH payload in slices, so a 5 MB one never arrives as one message)
  payloadChunk: z.object({
    seq: z.number().int().min(0), doc: z.string().min(1).max(64).optional(), offset: z.number().int().min(0),
    length: z.number().int().min(1).max(PAYLOAD_CHUNK_MAX, `length must be at most ${PAYLOAD_CHUNK_MAX} bytes`),
  }),
} as const;

export type MethodName = keyof typeof methodParams;
export const METHOD_NAMES = Object.keys(methodParams) as MethodName[];
export type ParamsOf<M extends MethodName> = z.output<(typeof methodParams)[M]>;

/** Parse params of a call; throws a ContractError with the first problem in plain words. */
export function parseParams<M extends MethodName>(method: M, params: unknown): ParamsOf<M> {
  const schema = methodParams[method];
  const r = schema.safeParse(params ?? undefined);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') + ': ' : '';
    throw new ContractError('bad-params', `${method}: ${where}${issue.message}`);
  }
  return r.data as ParamsOf<M>;
}

export { ContractError };
