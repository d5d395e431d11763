// Bottom status bar: core link, broker and its ports, connections, trace size; theme switch.
import { formatSize, groupDigits } from './bytes';
import { useApp } from './store';
import { nextThemePref } from './theme';

export function StatusBar() {
  const broker = useApp((s) => s.broker);
  const stats = useApp((s) => s.traceStats);
  const sessions = useApp((s) => s.sessions);
  const host = useApp((s) => s.hostInfo);
  const themePref = useApp((s) => s.themePref);
  const { setThemePref, setView, setHelpOpen } = useApp.getState();
  const all = Object.values(sessions);
  const connected = all.filter((s) => s.state === 'connected').length;
  const ports = broker?.listeners.map((l) => `${l.kind.toUpperCase()} ${l.port}`).join(' · ');
  return (
    <footer className="statusbar" data-testid="statusbar">
      <button className="sb-item" onClick={() => setView('broker')} data-testid="sb-broker">
        <span className={`dot state-${broker?.state ?? 'stopped'}`} /> Broker {broker?.state ?? '…'}{ports ? ` · ${ports}` : ''}
      </button>
      <button className="sb-item" onClick={() => setView('connections')} data-testid="sb-sessions">{connected}/{all.length} connected</button>
      <button className="sb-item" onClick={() => setView('trace')} data-testid="sb-trace">
        {stats ? `Trace ${groupDigits(stats.frames)} frames · ${formatSize(stats.bytes)} / ${formatSize(stats.budgetBytes)}${stats.evictedFrames ? ` · ${groupDigits(stats.evictedFrames)} evicted` : ''}` : 'Trace …'}
      </button>
      <span className="grow" />
      {host ? <span className="sb-item muted">{host.host} · v{host.version}</span> : null}
      <button className="sb-item" onClick={() => setHelpOpen(true)} title="Keyboard shortcuts (F1)" data-testid="sb-help">Shortcuts</button>
      <button className="sb-item" onClick={() => setThemePref(nextThemePref(themePref))} data-testid="theme-toggle" title="Theme (Ctrl+Shift+L)">
        Theme: {themePref === 'system' ? 'follow OS' : themePref}
      </button>
    </footer>
  );
}
