// The conformance layer around aedes: what the aedes patch (patches/aedes+2.0.0-beta.1.patch) leaves to
// the embedding broker — shared-subscription groups, bounded session queues, $SYS statistics, the CONNACK
// for an unsupported protocol level — wired to one aedes instance.
import type { Aedes, Client } from 'aedes';
import type { BrokerConfig } from '../../../../shared/contract/types';
import type { TraceRecorder } from '../../trace/recorder';
import { brokerPacket } from '../broker-packet';
import { DEFAULT_MAX_QUEUED, DEFAULT_SYS_INTERVAL_S } from './options';
import { QueueLimit } from './queue-limit';
import { SharedSubscriptions } from './shared-subscriptions';
import { SysStats } from './sys-stats';

export { limitsToAedesOptions } from './options';
export { answerUnsupportedLevel } from './protocol-level';
export { isSysStat } from './sys-stats';

export interface Conformance {
  shared: SharedSubscriptions;
  queue: QueueLimit;
  sys: SysStats;
  /** Messages not sent to a client: too large for it [MQTT-3.1.2-25], or its queue was full. */
  droppedOutbound(): number;
  stop(): void;
}

export interface ConformanceHooks {
  recorder: TraceRecorder;
  /** Tells the trace of a client's connection why something was not sent. */
  note(client: Client, text: string): void;
  offlineCount(): Promise<number>;
  subscriptionCount(): Promise<number>;
  retainedCount(): Promise<number>;
}

export function attachConformance(aedes: Aedes, config: BrokerConfig, hooks: ConformanceHooks): Conformance {
  const a = aedes as any;
  const shared = new SharedSubscriptions(a);
  const queue = new QueueLimit(a.persistence, config.maxQueuedMessages ?? DEFAULT_MAX_QUEUED, () => {});
  let outbound = 0;
  a.on('outboundDropped', (client: Client, packet: any, why: { reason: string; size?: number; max?: number; limit?: number }) => {
    outbound++;
    hooks.note(client, why.reason === 'packetTooLarge'
      ? `broker did not send a ${why.size} B PUBLISH to '${packet.topic}': the client's Maximum Packet Size is ${why.max} B [MQTT-3.1.2-25]`
      : `broker dropped the oldest waiting message to '${packet.topic}': the session's queue is full (${why.limit})`);
  });
  let publishes = 0;
  const onPublish = (_p: unknown, client: unknown) => { if (client) publishes++; };
  a.on('publish', onPublish);
  const sys = new SysStats({
    conns: hooks.recorder.conns,
    clientsConnected: () => a.connectedClients ?? 0,
    clientsDisconnected: hooks.offlineCount,
    subscriptionCount: hooks.subscriptionCount,
    retainedCount: hooks.retainedCount,
    droppedCount: () => outbound + queue.total,
    publishReceived: () => publishes,
    publish: (topic, payload) => a.publish(brokerPacket({ topic, payload: Buffer.from(payload), qos: 0, retain: true }), () => {}),
  }, config.sysInterval ?? DEFAULT_SYS_INTERVAL_S, `mqscope (aedes ${a.version})`);
  return {
    shared, queue, sys,
    droppedOutbound: () => outbound,
    stop: () => { sys.stop(); a.off('publish', onPublish); },
  };
}
