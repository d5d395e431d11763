// The MQTT 5 limits of BrokerConfig as aedes options (aedes is patched to advertise and enforce them:
// patches/aedes+2.0.0-beta.1.patch).
import type { BrokerConfig } from '../../../../shared/contract/types';

/** mosquitto's defaults: max_queued_messages 1000, sys_interval 10. */
export const DEFAULT_MAX_QUEUED = 1000;
export const DEFAULT_SYS_INTERVAL_S = 10;

export function limitsToAedesOptions(config: BrokerConfig): Record<string, unknown> {
  return {
    // Let v5 clients use topic aliases towards the broker [MQTT-3.2.2-17].
    topicAliasMaximum: 65535,
    sharedSubscriptions: true,
    maximumQoS: config.maxQos ?? 2,
    retainAvailable: config.retainAvailable ?? true,
    // The server's outbound window per client; also advertised as its Receive Maximum (like mosquitto).
    maxInflightMessages: config.maxInflightMessages ?? 0,
    receiveMaximum: config.maxInflightMessages ?? 0,
    maxQueuedMessages: config.maxQueuedMessages ?? DEFAULT_MAX_QUEUED,
    maximumPacketSize: config.maxPacketSize ?? 0,
    keepaliveLimit: config.maxKeepalive ?? 0,
  };
}
