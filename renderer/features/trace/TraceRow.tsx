// One row of the packet trace. Memoized: under a burst the rows in view that did not change (the list
// scrolled up, or a render for the status line only) are not rendered again.
import { memo } from 'react';
import type { ConnectionInfo, FrameSummary } from '../../../shared/contract/types';
import type { FrameFlowMark } from '../../../shared/flows/types';
import { FrameFlowCell } from '../flows/FrameFlowCell';
import { reasonText } from '../../../shared/mqtt/reason-codes';
import { clockUs, deltaText, wallUsOf } from '../../../shared/util/clock';
import { connLabel } from './use-connections';

export const DIR_WORDS = { c2s: 'client → broker', s2c: 'broker → client' } as const;

/** prev: the row above; prevConn: the nearest row above on the same connection (when in reach);
 * mark: the frame's flow (undefined: not known yet) for the Flow column, shown when flowColumn is set. */
export const TraceRow = memo(function TraceRow({ f, conn, prev, prevConn, onFollow, flowColumn, mark }: {
  f: FrameSummary; conn: ConnectionInfo | undefined; prev?: FrameSummary; prevConn?: FrameSummary; onFollow?(conn: number): void;
  flowColumn?: boolean; mark?: FrameFlowMark | null;
}) {
  const us = wallUsOf(f.wallMs);
  const type = f.kind === 'event' ? 'event' : f.kind === 'malformed' ? 'MALFORMED' : f.type ?? '?';
  const reason = f.reasonCode !== undefined && f.type && (f.reasonCode !== 0 || f.type === 'CONNACK' || f.type === 'SUBACK')
    ? `${reasonText(f.reasonCode, f.type, conn?.protocolVersion ?? 5)} (0x${f.reasonCode.toString(16).padStart(2, '0')})` : '';
  const pub = f.qos !== undefined && f.type === 'PUBLISH' ? `QoS ${f.qos}${f.retain ? ', retain' : ''}${f.dup ? ', dup' : ''}, ${f.payloadSize ?? 0} B payload` : '';
  const info = f.note ?? [reason, pub].filter(Boolean).join(' · ');
  return (
    <div className={`trace-row kind-${f.kind} type-${type}`} data-testid="trace-row" data-type={type} data-dir={f.dir} data-side={f.side} data-seq={f.seq}>
      {onFollow ? <button className="t-follow" title="Follow this connection: its whole conversation, both taps" data-testid="trace-follow-conn"
        onClick={(e) => { e.stopPropagation(); onFollow(f.conn); }}>⇄</button> : null}
      <span className="t-seq mono">{f.seq}</span>
      <span className="t-time mono" data-testid="trace-time">{clockUs(f.wallMs)}</span>
      <span className="t-delta mono" title="seconds since the previous frame shown">{prev ? deltaText(us - wallUsOf(prev.wallMs)) : ''}</span>
      <span className="t-delta mono" title="seconds since the previous frame of this connection">{prevConn ? deltaText(us - wallUsOf(prevConn.wallMs)) : ''}</span>
      <span className="t-conn mono" title={conn ? `${conn.transport} ${conn.remote} (${conn.side} side)` : undefined}>{connLabel(conn, f.conn)}</span>
      <span className="t-side">{f.side === 'broker' ? 'broker' : 'client'}</span>
      <span className={`t-dir dir-${f.dir}`}>{DIR_WORDS[f.dir]}</span>
      <span className="t-type">{type}</span>
      <span className="t-pid mono">{f.packetId ?? ''}</span>
      <span className="t-topic mono">{f.topic ?? ''}</span>
      <span className="t-size mono">{f.length}</span>
      <span className="t-info">{info.trim()}</span>
      {flowColumn ? <FrameFlowCell seq={f.seq} mark={mark} /> : null}
    </div>
  );
});

export function TraceHeader() {
  return (
    <div className="trace-row header">
      <span className="t-follow" />
      <span className="t-seq">#</span><span className="t-time">Time</span><span className="t-delta" title="since the previous frame shown">Δ prev</span><span className="t-delta" title="since the previous frame of the same connection">Δ conn</span><span className="t-conn">Connection</span><span className="t-side">Tap</span>
      <span className="t-dir">Direction</span><span className="t-type">Type</span><span className="t-pid">Pkt id</span><span className="t-topic">Topic</span>
      <span className="t-size">Bytes</span><span className="t-info">Info</span><span className="t-flow">Flow</span>
    </div>
  );
}
