// The provoke methods of the contract (fault injection on the embedded broker; step mode and raw packets
// on sessions), kept out of core.ts so that file stays a list of one-liners.
import type { CoreApi } from '../../shared/contract/api';
import type { EmbeddedBroker } from './broker/broker';
import type { SessionManager } from './sessions/session-manager';

type ProvokeMethods = Pick<CoreApi, 'brokerFaultSet' | 'brokerFaultClear'>;

export function provokeApi(broker: EmbeddedBroker, _sessions: SessionManager): ProvokeMethods {
  const target = (clientId: string) => {
    const t = broker.faultTarget(clientId);
    if (!t) throw new Error(`no client "${clientId}" is connected to the embedded broker`);
    return t;
  };
  return {
    brokerFaultSet: async ({ clientId, fault }) => broker.faults.set(target(clientId), fault),
    brokerFaultClear: async ({ clientId }) => ({ cleared: broker.faults.clear(target(clientId)) }),
  };
}
