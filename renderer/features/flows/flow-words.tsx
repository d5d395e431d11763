// Flow kinds and states in plain words, with a symbol so state never relies on colour alone.
import type { FlowKind, FlowState } from '../../../shared/flows/types';

export const KIND_WORDS: Record<FlowKind, string> = {
  connect: 'CONNECT', subscribe: 'SUBSCRIBE', unsubscribe: 'UNSUBSCRIBE', ping: 'PING',
  'publish-qos0': 'PUBLISH QoS 0', 'publish-qos1': 'PUBLISH QoS 1', 'publish-qos2': 'PUBLISH QoS 2', auth: 'AUTH', disconnect: 'DISCONNECT',
};

export const STATE_SYMBOL: Record<FlowState, string> = {
  complete: '✓', 'in-flight': '…', stalled: '‖', retransmitted: '↻', refused: '✕', broken: '⚠',
};

export function StateBadge({ state, retransmitted }: { state: FlowState; retransmitted?: boolean }) {
  return (
    <span className={`flow-state st-${state}`} data-testid="flow-state" data-state={state}>
      <span aria-hidden>{STATE_SYMBOL[state]}</span>{state}{retransmitted && state !== 'retransmitted' ? <span className="muted" title="A DUP or resend happened on the way"> ↻</span> : null}
    </span>
  );
}
