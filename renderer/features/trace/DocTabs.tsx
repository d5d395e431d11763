// One tab per trace document: the live capture and each opened file (read-only, closable).
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { LIVE_DOC } from './trace-slice';

export function DocTabs() {
  const docs = useApp((s) => s.traceDocs);
  const current = useApp((s) => s.traceDoc);
  const { showTraceDoc, setTraceDocs, showToast } = useApp.getState();
  if (docs.length <= 1) return null;
  const close = async (id: string) => {
    try {
      await core().traceCloseDoc({ doc: id });
      setTraceDocs(await core().traceDocs());
    } catch (e) { showToast(errorText(e), 'error'); }
  };
  return (
    <div className="doc-tabs" role="tablist" data-testid="trace-docs">
      {docs.map((d) => (
        <div key={d.id} role="tab" aria-selected={d.id === current} className={`doc-tab${d.id === current ? ' active' : ''}`}
          onClick={() => showTraceDoc(d.id)} data-testid="trace-doc-tab" data-doc={d.id}
          title={d.id === LIVE_DOC ? 'Frames captured by this app now' : `${d.name}: ${d.stats.frames.toLocaleString('en')} frames, read-only${d.warning ? ` — ${d.warning}` : ''}`}>
          <span>{d.id === LIVE_DOC ? '● Live capture' : d.name}</span>
          {d.id !== LIVE_DOC ? <button className="link small" onClick={(e) => { e.stopPropagation(); void close(d.id); }} aria-label={`Close ${d.name}`} data-testid="trace-doc-close">✕</button> : null}
        </div>
      ))}
    </div>
  );
}
