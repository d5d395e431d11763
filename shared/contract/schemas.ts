// Run-time shapes of everything a caller may send. Every incoming call is parsed with these before it
// reaches core, whichever host (Electron IPC, WebSocket, CLI) carried it.
import { z } from 'zod';
import { PACKET_TYPES } from './types';
import type {
  BrokerConfig, PublishProperties, PublishRequest, SessionOptions, SubscriptionRequest, TraceQuery, UserProperty,
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
});

const none = z.object({}).strict().optional();
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
  connectionList: none,
  sessionList: none,
  sessionOpen: z.object({ options: sessionOptions }),
  sessionConnect: sessionRef,
  sessionDisconnect: sessionRef,
  sessionClose: sessionRef,
  sessionSubscribe: z.object({ id: z.string().min(1), subscriptions: z.array(subscriptionRequest).min(1), userProperties: z.array(userProperty).optional() }),
  sessionUnsubscribe: z.object({ id: z.string().min(1), topics: z.array(z.string().min(1)).min(1) }),
  sessionPublish: z.object({ id: z.string().min(1), message: publishRequest }),
  traceQuery: traceQuery,
  traceFrame: z.object({ seq: z.number().int().min(0) }),
  traceStats: none,
  traceSetBudget: z.object({ bytes: z.number().int().min(8 * 2 ** 20, 'budget must be at least 8 MiB').max(64 * 2 ** 30) }),
  traceClear: none,
  traceExport: none,
  traceExportPcap: none,
  traceImport: z.object({ fileB64: b64 }),
  docGet: z.object({ key: z.string().regex(/^[a-z][a-zA-Z0-9.-]{0,63}$/) }),
  docSet: z.object({ key: z.string().regex(/^[a-z][a-zA-Z0-9.-]{0,63}$/), value: z.unknown() }),
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

export class ContractError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ContractError';
  }
}
