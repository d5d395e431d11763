// Full-window "lost core" message, the shortcuts help and the transient toast.
import { useEffect } from 'react';
import { SHORTCUTS } from './shortcuts';
import { useApp } from './store';

export function CoreLost({ reason }: { reason: string | null }) {
  const electron = !!window.mqscope;
  return (
    <div className="core-lost" data-testid="core-lost" role="alert">
      <h1>Lost connection to MQScope core</h1>
      <p>{reason ? `Reason: ${reason}.` : null}</p>
      <p>{electron ? 'Restart MQScope.' : <>Restart <code>npm run web</code> and open the link it prints.</>}</p>
      <button onClick={() => location.reload()} data-testid="core-lost-reload">Reload</button>
    </div>
  );
}

export function HelpOverlay() {
  const open = useApp((s) => s.helpOpen);
  const setHelpOpen = useApp((s) => s.setHelpOpen);
  if (!open) return null;
  return (
    <div className="modal-backdrop" onMouseDown={() => setHelpOpen(false)}>
      <div className="modal" data-testid="help" onMouseDown={(e) => e.stopPropagation()}>
        <h3>Keyboard shortcuts</h3>
        <table className="data"><tbody>{SHORTCUTS.map((s) => <tr key={s.keys}><th className="mono">{s.keys}</th><td>{s.what}</td></tr>)}</tbody></table>
        <div className="modal-actions"><button onClick={() => setHelpOpen(false)}>Close</button></div>
      </div>
    </div>
  );
}

export function Toast() {
  const toast = useApp((s) => s.toast);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => useApp.setState({ toast: null }), toast.kind === 'error' ? 8000 : 3000);
    return () => clearTimeout(t);
  }, [toast]);
  if (!toast) return null;
  return <div className={`toast ${toast.kind}`} data-testid="toast" onClick={() => useApp.setState({ toast: null })}>{toast.text}</div>;
}
