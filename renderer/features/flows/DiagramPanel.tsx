// The lower half of the Flows view: what is drawn in one line of facts, then the sequence diagram.
import { useEffect } from 'react';
import type { ConnectionInfo } from '../../../shared/contract/types';
import type { Flow, Journey } from '../../../shared/flows/types';
import { formatSize } from '../../app/bytes';
import { useApp } from '../../app/store';
import { formatUs } from './diagram-layout';
import { SequenceDiagram } from './SequenceDiagram';
import { openFrameInTrace } from './show-flow';
import { KIND_WORDS, StateBadge } from './flow-words';
import { useFlowDiagram } from './use-flow-diagram';

function who(conns: Map<number, ConnectionInfo>, conn: number, clientId?: string): string {
  return conns.get(conn)?.clientId ?? clientId ?? `#${conn}`;
}

function JourneyFacts({ j, flows, conns }: { j: Journey; flows: Flow[]; conns: Map<number, ConnectionInfo> }) {
  const inbound = flows.find((f) => f.id === j.inboundFlow);
  return (
    <>
      <span className="title">Journey</span>
      <span className="mono" data-testid="diagram-topic">{j.topic}</span>
      <span className="muted">QoS {j.qos}{j.retain ? ' · retained' : ''} · {formatSize(j.payloadSize)}</span>
      <span>from {j.publisher ? who(conns, j.publisher.conn, j.publisher.clientId) : 'a publisher not in the trace'}</span>
      {inbound ? <StateBadge state={inbound.state} /> : null}
      {inbound ? <span className="muted">inbound {formatUs(inbound.durationUs)}</span> : null}
      <span data-testid="diagram-deliveries" data-count={j.deliveries.length}>
        {j.deliveries.length ? `→ ${j.deliveries.length} deliver${j.deliveries.length === 1 ? 'y' : 'ies'}: ${j.deliveries.map((d) => `${who(conns, d.conn, d.clientId)} (QoS ${d.qos}${d.cause !== 'publish' ? `, ${d.cause}` : ''}${d.state !== 'complete' ? `, ${d.state}` : ''})`).join(', ')}` : '→ delivered to nobody (no matching subscription)'}
      </span>
    </>
  );
}

function FlowFacts({ f, conns }: { f: Flow; conns: Map<number, ConnectionInfo> }) {
  return (
    <>
      <span className="title">Flow #{f.id}</span>
      <span>{KIND_WORDS[f.kind]}</span>
      <span>{who(conns, f.conn, f.clientId)}</span>
      {f.topic ? <span className="mono">{f.topic}</span> : null}
      <StateBadge state={f.state} retransmitted={f.retransmitted} />
      <span className="muted">{formatUs(f.durationUs)}</span>
      {f.problem ? <span className="warn">{f.problem}</span> : null}
    </>
  );
}

export function DiagramPanel() {
  const target = useApp((s) => s.flowTarget);
  const selected = useApp((s) => s.selectedFrame);
  const data = useFlowDiagram(target);
  useEffect(() => { useApp.getState().setDiagramFlows(data.status === 'ready' ? data.flows.map((f) => f.id) : []); }, [data]);
  return (
    <div className="panel" data-testid="flow-diagram" data-status={data.status}>
      <div className="diagram-head" data-testid="diagram-head">
        {data.status === 'ready' ? (data.journey ? <JourneyFacts j={data.journey} flows={data.flows} conns={data.conns} /> : <FlowFacts f={data.flows[0]} conns={data.conns} />)
          : <span className="title">Sequence diagram</span>}
      </div>
      {data.status === 'idle' ? <p className="pad muted">Pick a flow above, or use “Show flow” on a trace row or “Show journey” on a message, to draw its packets here.</p>
        : data.status === 'loading' ? <p className="pad muted">Loading…</p>
        : data.status === 'gone' ? <p className="pad muted" data-testid="diagram-gone">{data.why}</p>
        : data.status === 'error' ? <p className="pad ferror">{data.error}</p>
        : <SequenceDiagram layout={data.layout} selectedSeq={selected} onOpenFrame={(seq) => void openFrameInTrace(seq)} resetKey={JSON.stringify(target)} />}
    </div>
  );
}
