// Fault injection for one client of the embedded broker: delay what the broker sends it, drop the next
// acknowledgements or PUBLISH, or close its socket without DISCONNECT (its will fires).
import { useState } from 'react';
import type { BrokerFault, ClientFaults } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { faultWords } from './fault-words';

interface Props {
  clientId: string;
  faults: ClientFaults | undefined;
  onClose(): void;
}

/** A whole number in [min, max], or an error in plain words. */
function whole(text: string, what: string, min: number, max: number): number | string {
  if (!/^\d+$/.test(text.trim())) return `${what} must be a whole number`;
  const n = Number(text);
  return n < min || n > max ? `${what} must be between ${min} and ${max}` : n;
}

export function FaultsDialog({ clientId, faults, onClose }: Props) {
  const showToast = useApp((s) => s.showToast);
  const [delay, setDelay] = useState(String(faults?.delayMs || 500));
  const [acks, setAcks] = useState('1');
  const [error, setError] = useState('');
  const active = faultWords(faults);

  const apply = async (fault: BrokerFault, done: string) => {
    try {
      await core().brokerFaultSet({ clientId, fault });
      showToast(done, 'info');
      onClose();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const withNumber = (text: string, what: string, min: number, max: number, then: (n: number) => void) => {
    const n = whole(text, what, min, max);
    if (typeof n === 'string') setError(n);
    else then(n);
  };
  const clear = async () => {
    try {
      await core().brokerFaultClear({ clientId });
      onClose();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="modal" role="dialog" aria-label={`Faults for ${clientId}`} data-testid="faults-dialog" onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
        <h3>Faults for <span className="mono">{clientId}</span></h3>
        <div className="modal-body provoke-form">
          <p className="muted small">Injected between the broker and this client. Dropped packets never reach the wire; the trace records each as an event.</p>
          <p data-testid="faults-active">Active: {active.length ? active.join(' · ') : <span className="muted">none</span>}</p>
          <label className="provoke-line">
            <span>Delay every packet to it by</span>
            <input data-testid="fault-delay-ms" value={delay} onChange={(e) => { setDelay(e.target.value); setError(''); }} size={6} /> ms
            <button className="small" data-testid="fault-delay-set"
              onClick={() => withNumber(delay, 'the delay', 0, 600000, (ms) => void apply({ kind: 'delay', ms }, ms ? `Delaying packets to ${clientId} by ${ms} ms` : 'Delay off'))}>Set</button>
          </label>
          <label className="provoke-line">
            <span>Drop the next</span>
            <input data-testid="fault-acks-count" value={acks} onChange={(e) => { setAcks(e.target.value); setError(''); }} size={4} />
            <span>acknowledgement(s) (PUBACK/PUBREC/PUBREL/PUBCOMP)</span>
            <button className="small" data-testid="fault-acks-set"
              onClick={() => withNumber(acks, 'the count', 1, 65535, (count) => void apply({ kind: 'drop-acks', count }, `Dropping the next ${count} ack(s) to ${clientId}`))}>Set</button>
          </label>
          <div className="provoke-line">
            <span>Drop the next outbound PUBLISH</span>
            <button className="small" data-testid="fault-publish-set" onClick={() => void apply({ kind: 'drop-publish', count: 1 }, `Dropping the next PUBLISH to ${clientId}`)}>Set</button>
          </div>
          <div className="provoke-line">
            <span>Close its socket without DISCONNECT (the will fires)</span>
            <button className="small danger" data-testid="fault-close" onClick={() => void apply({ kind: 'close' }, `Closed ${clientId}'s socket`)}>Close socket</button>
          </div>
          {error ? <div className="ferror" data-testid="faults-error">{error}</div> : null}
        </div>
        <div className="modal-actions">
          <button onClick={() => void clear()} disabled={!active.length} data-testid="faults-clear">Clear faults</button>
          <button onClick={onClose} data-testid="faults-done">Done</button>
        </div>
      </div>
    </div>
  );
}
