// The window: activity bar (views) on the left, the current view, the status bar at the bottom.
import { Suspense, useEffect } from 'react';
import { ConnectionsView } from '../features/connections/ConnectionsView';
import { BrokerView, FlowsView, MessagesView, prefetchChunks, TopicsView, TraceView } from './lazy-views';
import { CoreLost, HelpOverlay, Toast } from './Overlays';
import { useShortcuts } from './shortcuts';
import { StatusBar } from './StatusBar';
import { useApp } from './store';
import { useResolvedTheme } from './theme';
import type { ViewId } from './ui-slice';

const VIEWS: { id: ViewId; label: string; icon: string; key: string }[] = [
  { id: 'connections', label: 'Connections', icon: '⇄', key: 'Ctrl+1' },
  { id: 'messages', label: 'Messages', icon: '✉', key: 'Ctrl+2' },
  { id: 'broker', label: 'Broker', icon: '◉', key: 'Ctrl+3' },
  { id: 'trace', label: 'Trace', icon: '≋', key: 'Ctrl+4' },
  { id: 'flows', label: 'Flows', icon: '⇅', key: 'Ctrl+5' },
  { id: 'topics', label: 'Topics', icon: '⌥', key: 'Ctrl+6' },
];

export function App() {
  useResolvedTheme();
  useShortcuts();
  const view = useApp((s) => s.view);
  const coreState = useApp((s) => s.coreState);
  const coreError = useApp((s) => s.coreError);
  const setView = useApp((s) => s.setView);
  const ready = coreState === 'ready';
  useEffect(() => {
    if (!ready) return;
    // Not in the first idle moment: that is the wait for the first view's data, which it should get first.
    let idle = 0;
    const later = setTimeout(() => { idle = requestIdleCallback(prefetchChunks, { timeout: 2000 }); }, 1500);
    return () => { clearTimeout(later); cancelIdleCallback(idle); };
  }, [ready]);
  if (coreState === 'lost') return <CoreLost reason={coreError} />;
  if (coreState === 'connecting') return <div className="booting" data-testid="booting">Connecting to MQScope core…</div>;
  return (
    <div className="app" data-testid="app">
      <nav className="activitybar">
        <div className="brand" title="MQScope">MQ</div>
        {VIEWS.map((v) => (
          <button key={v.id} className={view === v.id ? 'act active' : 'act'} onClick={() => setView(v.id)} data-testid={`nav-${v.id}`} title={`${v.label} (${v.key})`}>
            <span className="act-icon">{v.icon}</span>
            <span className="act-label">{v.label}</span>
          </button>
        ))}
      </nav>
      <main className="main">
        <Suspense fallback={<p className="muted pad">Loading…</p>}>
        {view === 'connections' ? <ConnectionsView /> : null}
        {view === 'messages' ? <MessagesView /> : null}
        {view === 'broker' ? <BrokerView /> : null}
        {view === 'trace' ? <TraceView /> : null}
        {view === 'flows' ? <FlowsView /> : null}
        {view === 'topics' ? <TopicsView /> : null}
        </Suspense>
      </main>
      <StatusBar />
      <HelpOverlay />
      <Toast />
    </div>
  );
}
