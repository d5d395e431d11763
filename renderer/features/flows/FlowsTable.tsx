// Every flow core holds, problems first (stalled, broken, refused), filtered by state, kind, client and
// topic in core; virtualized. Selecting a row draws it (or its journey) in the diagram below.
import { FLOW_KINDS, FLOW_STATES, type Flow, type FlowKind, type FlowState } from '../../../shared/flows/types';
import { useApp } from '../../app/store';
import { LIVE_DOC } from '../trace/trace-slice';
import { VirtualList } from '../../ui/VirtualList';
import { formatUs } from './diagram-layout';
import { KIND_WORDS, STATE_SYMBOL, StateBadge } from './flow-words';
import { FlowWindows } from './FlowWindows';
import { StallSetting } from './StallSetting';
import { useFlowsPage } from './use-flows-page';

function stepsText(f: Flow): string {
  const s = f.steps.map((x) => `${x.type}${x.dup ? '(DUP)' : ''}`).join(' → ');
  return f.stepCount > f.steps.length ? `${s} … +${f.stepCount - f.steps.length}` : s;
}

function FlowRow({ f, drawn }: { f: Flow | undefined; drawn: boolean }) {
  if (!f) return <div className="flow-row muted">…</div>;
  return (
    <div className={drawn ? 'flow-row in-diagram' : 'flow-row'} data-in-diagram={drawn || undefined} title={drawn ? 'Drawn in the diagram below' : undefined} data-testid="flow-row" data-id={f.id} data-kind={f.kind} data-state={f.state} data-client={f.clientId ?? ''}>
      <span className="fl-state"><StateBadge state={f.state} retransmitted={f.retransmitted} /></span>
      <span className="fl-kind">{KIND_WORDS[f.kind]}</span>
      <span className="fl-client mono" title={`connection #${f.conn}`}>{f.clientId ?? `#${f.conn}`}</span>
      <span className="fl-side">{f.side}</span>
      <span className="fl-pid mono">{f.packetId ?? ''}</span>
      <span className="fl-topic mono">{f.topic ?? ''}</span>
      <span className="fl-steps small">{stepsText(f)}</span>
      <span className="fl-dur mono">{formatUs(f.durationUs)}</span>
      <span className="fl-problem small">{f.problem ?? ''}</span>
    </div>
  );
}

export function FlowsTable() {
  const filter = useApp((s) => s.flowFilter);
  const target = useApp((s) => s.flowTarget);
  const doc = useApp((s) => s.traceDoc);
  const { setFlowFilter, setFlowTarget } = useApp.getState();
  const page = useFlowsPage(filter);
  const drawn = new Set(useApp((s) => s.diagramFlows));
  const selectedIndex = target?.kind === 'flow' ? page.indexOfId(target.id) : -1;
  const all = page.counts ? FLOW_STATES.reduce((n, s) => n + page.counts![s], 0) : 0;

  return (
    <div className="panel flows-top" data-testid="flows-table">
      <div className="toolbar">
        <select value={filter.state} onChange={(e) => setFlowFilter({ state: e.target.value as FlowState | '' })} data-testid="flows-state" aria-label="State">
          <option value="">All states</option>
          {FLOW_STATES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <select value={filter.kind} onChange={(e) => setFlowFilter({ kind: e.target.value as FlowKind | '' })} data-testid="flows-kind" aria-label="Kind">
          <option value="">All kinds</option>
          {FLOW_KINDS.map((k) => <option key={k} value={k}>{KIND_WORDS[k]}</option>)}
        </select>
        <input className="mono" placeholder="Client id" value={filter.clientId} onChange={(e) => setFlowFilter({ clientId: e.target.value })} data-testid="flows-client" style={{ width: 150 }} aria-label="Client id" />
        <input className="mono grow" placeholder="Topic filter (+ #)" value={filter.topicFilter} onChange={(e) => setFlowFilter({ topicFilter: e.target.value })} data-testid="flows-topic" aria-label="Topic filter" />
        <StallSetting />
      </div>
      <div className="flow-counts" data-testid="flow-counts">
        <span className="small muted" data-testid="flows-total" data-total={page.total}>{page.total.toLocaleString('en')} of {all.toLocaleString('en')} flows</span>
        {FLOW_STATES.map((s) => (
          <button key={s} className={`flow-chip small${filter.state === s ? ' active' : ''}`} onClick={() => setFlowFilter({ state: filter.state === s ? '' : s })}
            data-testid={`flow-count-${s}`} data-count={page.counts?.[s] ?? 0} aria-pressed={filter.state === s} title={`Show only ${s} flows`}>
            <span className={`st-${s}`} aria-hidden>{STATE_SYMBOL[s]}</span>{s}<span className="n">{(page.counts?.[s] ?? 0).toLocaleString('en')}</span>
          </button>
        ))}
        {page.error ? <span className="ferror">{page.error}</span> : null}
      </div>
      {/* In-flight windows are about live connections; an opened file has none. */}
      {doc === LIVE_DOC ? <FlowWindows /> : null}
      <div className="flow-row header">
        <span className="fl-state">State</span><span className="fl-kind">Kind</span><span className="fl-client">Client</span><span className="fl-side">Tap</span>
        <span className="fl-pid">Pkt id</span><span className="fl-topic">Topic</span><span className="fl-steps">Steps</span><span className="fl-dur">Duration</span><span className="fl-problem">Problem</span>
      </div>
      <VirtualList count={page.total} rowHeight={22} version={page.total} renderRow={(i) => { const f = page.get(i); return <FlowRow f={f} drawn={!!f && drawn.has(f.id)} />; }}
        selectedIndex={selectedIndex} onSelect={(i) => { const f = page.get(i); if (f) setFlowTarget({ kind: 'flow', id: f.id }); }}
        onRange={page.onRange} testId="flows-vlist"
        empty={page.counts && all ? 'No flows match.' : 'No flows yet. Every handshake (CONNECT, SUBSCRIBE, PUBLISH QoS 1/2, …) in the trace appears here.'} />
    </div>
  );
}
