// Contract shapes -> mqtt-packet packets and back. Every option the user set goes on the wire as given;
// v5-only fields are left out for 3.1/3.1.1, where the packet format has no place for them.
import mqttPacket from 'mqtt-packet';
import type {
  IConnectPacket, IPublishPacket, ISubscribePacket, ISubscription, IUnsubscribePacket, Packet, UserProperties,
} from 'mqtt-packet';
import type {
  ProtocolVersion, PublishProperties, PublishRequest, SessionOptions, SubscriptionRequest, UserProperty,
} from '../../../shared/contract/types';
import { SessionError } from './errors';

/** mqtt-packet keeps user properties as a map; repeated keys become arrays so none is lost. */
export function toUserProperties(list?: UserProperty[]): UserProperties | undefined {
  if (!list?.length) return undefined;
  const map: UserProperties = {};
  for (const { key, value } of list) {
    const prev = map[key];
    map[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return map;
}

export function fromUserProperties(map?: UserProperties): UserProperty[] {
  if (!map) return [];
  return Object.entries(map).flatMap(([key, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ key, value })));
}

const b64 = (s: string | undefined): Buffer | undefined => (s === undefined ? undefined : Buffer.from(s, 'base64'));

/** Drop undefined entries so the encoder writes only the properties the user set. */
function compact<T extends object>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return Object.keys(out).length ? out : undefined;
}

export function publishProperties(p?: PublishProperties): IPublishPacket['properties'] {
  if (!p) return undefined;
  const ids = p.subscriptionIdentifiers;
  return compact({
    payloadFormatIndicator: p.payloadFormatIndicator,
    messageExpiryInterval: p.messageExpiryInterval,
    topicAlias: p.topicAlias,
    responseTopic: p.responseTopic,
    correlationData: b64(p.correlationDataB64),
    userProperties: toUserProperties(p.userProperties),
    // Only meaningful server -> client, but a debugger may want to send it anyway and see the broker's answer.
    subscriptionIdentifier: ids?.length ? (ids.length === 1 ? ids[0] : ids) : undefined,
    contentType: p.contentType,
  });
}

/** clean: overrides the user's setting, e.g. false when reconnecting to resume a v5 session. */
export function buildConnect(o: SessionOptions, clientId: string, clean = o.clean): IConnectPacket {
  const v5 = o.protocolVersion === 5;
  const packet: IConnectPacket = {
    cmd: 'connect',
    protocolId: o.protocolVersion === 3 ? 'MQIsdp' : 'MQTT',
    protocolVersion: o.protocolVersion,
    clientId,
    clean,
    keepalive: o.keepalive,
  };
  if (o.username !== undefined) packet.username = o.username;
  if (o.password !== undefined) packet.password = Buffer.from(o.password, 'utf8');
  if (o.will) {
    const wp = o.will.properties;
    packet.will = {
      topic: o.will.topic,
      payload: Buffer.from(o.will.payloadB64, 'base64'),
      qos: o.will.qos,
      retain: o.will.retain,
      properties: v5 && wp ? compact({
        willDelayInterval: wp.willDelayInterval,
        payloadFormatIndicator: wp.payloadFormatIndicator,
        messageExpiryInterval: wp.messageExpiryInterval,
        contentType: wp.contentType,
        responseTopic: wp.responseTopic,
        correlationData: b64(wp.correlationDataB64),
        userProperties: toUserProperties(wp.userProperties),
      }) : undefined,
    };
  }
  const p = o.properties;
  if (v5 && p) {
    packet.properties = compact({
      sessionExpiryInterval: p.sessionExpiryInterval,
      receiveMaximum: p.receiveMaximum,
      maximumPacketSize: p.maximumPacketSize,
      topicAliasMaximum: p.topicAliasMaximum,
      requestResponseInformation: p.requestResponseInformation,
      requestProblemInformation: p.requestProblemInformation,
      userProperties: toUserProperties(p.userProperties),
      authenticationMethod: p.authenticationMethod,
      authenticationData: b64(p.authenticationDataB64),
    });
  }
  return packet;
}

export function buildPublish(req: PublishRequest, version: ProtocolVersion): IPublishPacket {
  return {
    cmd: 'publish',
    topic: req.topic,
    payload: Buffer.from(req.payloadB64, 'base64'),
    qos: req.qos,
    retain: req.retain,
    dup: false,
    properties: version === 5 ? publishProperties(req.properties) : undefined,
  };
}

/**
 * A SUBSCRIBE carries at most one Subscription Identifier [MQTT-3.8.2.1.2], so requests with different
 * identifiers are split into one packet per identifier, in order of first appearance.
 */
export function buildSubscribes(
  subs: SubscriptionRequest[], userProperties: UserProperty[] | undefined, version: ProtocolVersion,
): { packet: ISubscribePacket; subs: SubscriptionRequest[] }[] {
  const groups = new Map<number, SubscriptionRequest[]>();
  for (const s of subs) {
    const key = version === 5 ? s.subscriptionIdentifier ?? 0 : 0;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.entries()].map(([subId, group]) => {
    const subscriptions: ISubscription[] = group.map((s) => version === 5
      ? { topic: s.topic, qos: s.qos, nl: s.noLocal ?? false, rap: s.retainAsPublished ?? false, rh: s.retainHandling ?? 0 }
      : { topic: s.topic, qos: s.qos });
    const userProps = [...(userProperties ?? []), ...group.flatMap((s) => s.userProperties ?? [])];
    const packet: ISubscribePacket = { cmd: 'subscribe', subscriptions };
    if (version === 5) packet.properties = compact({ subscriptionIdentifier: subId || undefined, userProperties: toUserProperties(userProps) });
    return { packet, subs: group };
  });
}

export function buildUnsubscribe(topics: string[]): IUnsubscribePacket {
  return { cmd: 'unsubscribe', unsubscriptions: topics };
}

/** Encode, turning mqtt-packet's terse errors ("Invalid topic") into a SessionError that says which packet. */
export function encode(packet: Packet, version: ProtocolVersion): Buffer {
  try {
    return mqttPacket.generate(packet, { protocolVersion: version });
  } catch (err) {
    throw new SessionError(`cannot encode ${packet.cmd.toUpperCase()}: ${(err as Error).message}`);
  }
}

/** Properties as plain JSON (Buffers as base64, user properties as a list) for SessionInfo. */
export function jsonProperties(props: object | undefined): Record<string, unknown> | undefined {
  if (!props) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    if (k === 'userProperties') out[k] = fromUserProperties(v as UserProperties);
    else out[k] = Buffer.isBuffer(v) ? v.toString('base64') : v;
  }
  return out;
}
