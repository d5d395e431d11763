// The provoke methods of the contract (fault injection on the embedded broker; step mode and raw packets
// on sessions), kept out of core.ts so that file stays a list of one-liners.
import type { CoreApi } from '../../shared/contract/api';
import type { EmbeddedBroker } from './broker/broker';
import type { SessionManager } from './sessions/session-manager';

type ProvokeMethods = Pick<CoreApi, 'brokerFaultSet' | 'brokerFaultClear' | 'sessionStepMode' | 'sessionStepQueue'
  | 'sessionStepAction' | 'sessionSendRaw'>;

export function provokeApi(broker: EmbeddedBroker, sessions: SessionManager): ProvokeMethods {
  const target = (clientId: string) => {
    const t = broker.faultTarget(clientId);
    if (!t) throw new Error(`no client "${clientId}" is connected to the embedded broker`);
    return t;
  };
  return {
    brokerFaultSet: async ({ clientId, fault }) => broker.faults.set(target(clientId), fault),
    brokerFaultClear: async ({ clientId }) => ({ cleared: broker.faults.clear(target(clientId)) }),
    sessionStepMode: async ({ id, on }) => sessions.stepMode(id, on),
    sessionStepQueue: async ({ id }) => sessions.stepQueue(id),
    sessionStepAction: async ({ id, item, action, delayMs }) => sessions.stepAction(id, item, action, delayMs),
    sessionSendRaw: async ({ id, bytesB64, packet }) => {
      const bytes = await sessions.sendRaw(id, bytesB64 !== undefined ? { bytes: Buffer.from(bytesB64, 'base64') } : { packet });
      return { bytesB64: bytes.toString('base64'), length: bytes.length };
    },
  };
}
