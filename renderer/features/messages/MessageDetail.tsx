// The selected message: header facts, then payload (text/JSON/hex/base64, never truncated; large ones load
// on request), MQTT 5 properties, a diff against the previous message on the topic, and the raw frame.
import { useMemo, useState } from 'react';
import { formatSize } from '../../app/bytes';
import { useApp } from '../../app/store';
import { PayloadView } from '../../ui/PayloadView';
import { showFlow } from '../flows/show-flow';
import { traceModel } from '../trace/trace-model';
import { FrameInspector } from '../trace/FrameInspector';
import { clockMs } from './format-time';
import { decodeMessage, propertyRows } from './frame-payload';
import { MessageDiff } from './MessageDiff';
import { goneReason, useFrameDetail } from './use-frame-detail';
import { LargePayloadView } from './LargePayloadView';
import { useLargePayload } from './use-large-payload';

const LAZY_ABOVE = 1024 * 1024;
type Tab = 'payload' | 'properties' | 'diff' | 'frame';
const EMPTY: number[] = [];

export function MessageDetail({ sessionId }: { sessionId: string }) {
  const seq = useApp((s) => s.selectedMessage[sessionId]);
  const traceStats = useApp((s) => s.traceStats);
  const conns = useApp((s) => s.sessions[sessionId]?.conns ?? EMPTY);
  const [tab, setTab] = useState<Tab>('payload');
  const [loadBig, setLoadBig] = useState<number | null>(null);
  const view = traceModel.messagesFor(conns);
  const summary = seq === undefined ? undefined : view.get(view.indexOfSeq(seq));
  const big = (summary?.payloadSize ?? 0) > LAZY_ABOVE;
  // A large payload comes in slices to a worker-backed view; its whole frame (properties, frame, diff tabs)
  // is fetched only when one of those tabs is open.
  const large = useLargePayload(seq, big && loadBig === seq);
  const detail = useFrameDetail(seq, !big || (loadBig === seq && tab !== 'payload'));
  const decoded = useMemo(() => (detail.status === 'ready' ? decodeMessage(detail.detail) : null), [detail]);
  const props = useMemo(() => propertyRows(decoded?.properties ?? null), [decoded]);
  const s = summary ?? (detail.status === 'ready' ? detail.detail.summary : undefined);
  const previous = useMemo(() => (s && s.topic !== undefined ? traceModel.previousOnTopic(conns, s.seq, s.topic) : undefined), [s?.seq, conns]);

  if (seq === undefined) return <div className="panel pad muted" data-testid="msg-detail-empty">Select a message to see its payload and properties.</div>;

  return (
    <div className="panel message-detail" data-testid="msg-detail" data-seq={seq}>
      {s ? (
        <div className="detail-head">
          <div className="mono detail-topic" data-testid="msg-detail-topic">{s.topic}</div>
          <div className="facts small">
            <span data-testid="msg-detail-qos">QoS {s.qos ?? 0}</span>
            <span data-testid="msg-detail-retain">{s.retain ? 'Retained' : 'Not retained'}</span>
            {s.dup ? <span>Duplicate</span> : null}
            {s.packetId !== undefined ? <span>Packet id {s.packetId}</span> : null}
            <span>{clockMs(s.wallMs)}</span>
            <span data-testid="msg-detail-size">{formatSize(s.payloadSize ?? 0)} payload</span>
            <span className="muted">frame #{s.seq} · conn {s.conn}</span>
            <button className="link small" onClick={() => showFlow({ kind: 'frame', seq: s.seq })} data-testid="msg-show-journey"
              title="Draw this message's way: publisher, broker, every subscriber, each QoS handshake">Show journey</button>
          </div>
        </div>
      ) : null}
      <div className="tabs small">
        {(['payload', 'properties', 'diff', 'frame'] as Tab[]).map((t) => (
          <button key={t} className={tab === t ? 'tab active' : 'tab'} onClick={() => setTab(t)} data-testid={`msg-tab-${t}`}>
            {t === 'payload' ? 'Payload' : t === 'properties' ? (detail.status === 'ready' ? `Properties (${props.length})` : 'Properties') : t === 'diff' ? 'Diff with previous' : 'Frame'}
          </button>
        ))}
      </div>
      <div className="detail-body">
        {big && loadBig !== seq ? (
          <div className="pad" data-testid="msg-lazy">
            <p>This payload is {formatSize(s?.payloadSize ?? 0)}. It is loaded only when you ask, and then shown in full.</p>
            <button className="primary" onClick={() => setLoadBig(seq)} data-testid="msg-load-payload">Load payload</button>
          </div>
        ) : big && tab === 'payload' ? (
          large.status === 'ready' ? <LargePayloadView key={seq} bytes={large.bytes} testId="msg-payload" />
            : large.status === 'gone' ? <p className="pad muted" data-testid="msg-gone">{goneReason(seq!, traceStats)}{summary ? ' Only its summary is left.' : ''}</p>
            : large.status === 'error' ? <p className="pad ferror">{large.error}</p>
            : <p className="pad muted" data-testid="msg-payload-loading">Loading… {large.status === 'loading' && large.size ? `${formatSize(large.loaded)} of ${formatSize(large.size)}` : ''}</p>
        ) : detail.status === 'loading' || detail.status === 'idle' ? <p className="pad muted">Loading…</p>
          : detail.status === 'gone' ? <p className="pad muted" data-testid="msg-gone">{goneReason(seq!, traceStats)}{summary ? ' Only its summary is left.' : ''}</p>
          : detail.status === 'error' ? <p className="pad ferror">{detail.error}</p>
          : decoded ? (
            <>
              {tab === 'payload' ? <PayloadView key={seq} bytes={decoded.payload} testId="msg-payload" /> : null}
              {tab === 'properties' ? (
                props.length ? (
                  <table className="data props" data-testid="msg-props">
                    <tbody>{props.map((p, i) => <tr key={i} data-testid="msg-prop"><th>{p.name}</th><td className="mono">{p.value}</td></tr>)}</tbody>
                  </table>
                ) : <p className="pad muted" data-testid="msg-props-none">No properties{detail.status === 'ready' && detail.detail.protocolVersion !== 5 ? ' (MQTT 3.1.1 has none)' : ''}.</p>
              ) : null}
              {tab === 'diff' ? <MessageDiff current={decoded.payload} previous={previous} /> : null}
              {tab === 'frame' && detail.status === 'ready' ? <FrameInspector detail={detail.detail} /> : null}
            </>
          ) : null}
      </div>
    </div>
  );
}
