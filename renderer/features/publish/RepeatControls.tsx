// "Every N ms, M times" next to Publish, with a Stop button that is visible for as long as a run goes.
import { usePeriodic } from './periodic';
import { VARIABLES } from './template-vars';

export function RepeatControls({ sessionId, disabled }: { sessionId: string; disabled: boolean }) {
  const p = usePeriodic();
  if (p.running) {
    return (
      <span className="repeat running" data-testid="pub-repeat-running">
        <span className="mono" data-testid="pub-repeat-sent" data-sent={p.sent}>sent {p.sent}{p.count ? ` / ${p.count}` : ''}</span>
        <button className="danger small" onClick={p.stop} disabled={p.stopping} data-testid="pub-repeat-stop">{p.stopping ? 'Stopping…' : 'Stop'}</button>
      </span>
    );
  }
  return (
    <span className="repeat" title={`Publish the draft repeatedly. Variables in topic or payload: ${VARIABLES.join(' ')}`}>
      every
      <input type="number" min={0} step={100} value={p.intervalMs} onChange={(e) => p.set({ intervalMs: Math.max(0, Number(e.target.value) || 0) })} data-testid="pub-repeat-ms" style={{ width: 64 }} /> ms ×
      <input type="number" min={0} value={p.count} onChange={(e) => p.set({ count: Math.max(0, Math.floor(Number(e.target.value) || 0)) })} data-testid="pub-repeat-count" style={{ width: 52 }} title="0 = until stopped" />
      <button className="small" disabled={disabled} onClick={() => p.start(sessionId)} data-testid="pub-repeat-start">Repeat</button>
      {p.sent || p.failed ? <span className="muted small" data-testid="pub-repeat-done" data-sent={p.sent}>last run: {p.sent} sent{p.failed ? `, stopped: ${p.last}` : ''}</span> : null}
    </span>
  );
}
