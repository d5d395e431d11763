// Tabs for open connections, side by side; each tab shows its state as a coloured dot.
import { useApp } from '../../app/store';
import { connectSession, disconnectSession } from '../connections/session-actions';
import { connackWords, stateClass, stateWords } from '../connections/session-words';

export function SessionTabs() {
  const sessions = useApp((s) => s.sessions);
  const order = useApp((s) => s.sessionOrder);
  const activeId = useApp((s) => s.activeSessionId);
  const setActive = useApp((s) => s.setActiveSession);
  const active = activeId ? sessions[activeId] : undefined;
  const live = active && (active.state === 'connected' || active.state === 'connecting' || active.state === 'reconnecting');
  return (
    <div className="session-tabs" data-testid="session-tabs">
      <div className="tabs">
        {order.map((id) => {
          const s = sessions[id];
          return s ? (
            <button key={id} className={id === activeId ? 'tab active' : 'tab'} onClick={() => setActive(id)} data-testid="session-tab" data-name={s.options.name} data-state={s.state} title={stateWords(s)}>
              <span className={`dot ${stateClass(s)}`} /> {s.options.name}
            </button>
          ) : null;
        })}
      </div>
      {active ? (
        <div className="session-bar small">
          <span className="mono">{active.options.url}</span>
          <span>· {active.options.clientId}</span>
          <span>· MQTT {active.options.protocolVersion === 5 ? '5.0' : active.options.protocolVersion === 4 ? '3.1.1' : '3.1'}</span>
          <span data-testid="active-session-state">· {stateWords(active)}</span>
          {active.lastError ? <span className="ferror" data-testid="active-session-error">· {active.lastError}</span> : null}
          {connackWords(active) ? <span className="muted">· {connackWords(active)}</span> : null}
          {active.inflight ? <span>· {active.inflight} in flight</span> : null}
          <span className="grow" />
          {live ? <button className="small" onClick={() => void disconnectSession(active.id)} data-testid="active-disconnect">Disconnect</button>
            : <button className="small" onClick={() => void connectSession(active.id)} data-testid="active-connect">Connect</button>}
        </div>
      ) : null}
    </div>
  );
}
