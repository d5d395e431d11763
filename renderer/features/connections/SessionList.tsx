// Open connections side by side: state, last error and the broker's answer in plain words.
import { useApp } from '../../app/store';
import { closeSession, connectSession, disconnectSession } from './session-actions';
import { connackWords, stateClass, stateWords } from './session-words';

export function SessionList() {
  const sessions = useApp((s) => s.sessions);
  const order = useApp((s) => s.sessionOrder);
  const activeId = useApp((s) => s.activeSessionId);
  const setActive = useApp((s) => s.setActiveSession);
  const setView = useApp((s) => s.setView);
  return (
    <div className="panel session-list" data-testid="session-list">
      <div className="panel-head"><span className="grow">Open connections ({order.length})</span></div>
      {order.length === 0 ? <p className="muted pad">None yet. Pick a profile and press Connect.</p> : null}
      <ul className="list">
        {order.map((id) => {
          const s = sessions[id];
          if (!s) return null;
          const live = s.state === 'connected' || s.state === 'connecting' || s.state === 'reconnecting';
          const connack = connackWords(s);
          return (
            <li key={id} className={id === activeId ? 'selected' : ''} data-testid="session-item" data-name={s.options.name} data-state={s.state}
              onClick={() => setActive(id)}>
              <span className="item-title"><span className={`dot ${stateClass(s)}`} /> {s.options.name}
                <span className="muted"> · <span data-testid="session-state">{stateWords(s)}</span></span></span>
              <span className="item-sub mono">{s.options.url} · {s.options.clientId}</span>
              {s.lastError ? <span className="item-error" data-testid="session-last-error">{s.lastError}</span> : null}
              {connack ? <span className="item-sub" data-testid="session-connack">{connack}</span> : null}
              <span className="item-actions">
                <button className="small" onClick={(e) => { e.stopPropagation(); setActive(id); setView('messages'); }} data-testid="session-open-messages">Messages</button>
                {live ? <button className="small" onClick={(e) => { e.stopPropagation(); void disconnectSession(id); }} data-testid="session-disconnect">Disconnect</button>
                  : <button className="small" onClick={(e) => { e.stopPropagation(); void connectSession(id); }} data-testid="session-connect">Connect</button>}
                <button className="small" onClick={(e) => { e.stopPropagation(); void closeSession(id); }} data-testid="session-close">Close</button>
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
