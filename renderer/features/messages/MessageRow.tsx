// One row of a session's message list. Memoized: while a burst goes on and the list is scrolled up, the
// rows in view keep their props (the same summary objects, cached previews) and are not rendered again.
import { memo } from 'react';
import type { FrameSummary } from '../../../shared/contract/types';
import type { PayloadPreview } from '../../../shared/contract/topics';
import { formatSize } from '../../app/bytes';
import { showFlow } from '../flows/show-flow';
import type { ColumnId } from './columns';
import { clockUs } from './format-time';

export interface RowSub { filter: string; colour: string }

interface Props {
  f: FrameSummary;
  /** The subscription whose filter matched the topic (first in the list), with its colour. */
  sub: RowSub | null;
  /** undefined: not asked yet / on its way. */
  preview: PayloadPreview | null | undefined;
  propsText: string;
  shown: ReadonlySet<ColumnId>;
  widths: Record<string, number>;
  v5: boolean;
}

export const MessageRow = memo(function MessageRow({ f, sub, preview: pv, propsText, shown, widths, v5 }: Props) {
  const w = (id: string) => (widths[id] ? { flex: `0 0 ${widths[id]}px` } : undefined);
  return (
    <div className="msg-row" data-testid="msg-row" data-seq={f.seq} data-topic={f.topic}>
      <span className="colour-bar" style={{ background: sub?.colour ?? 'transparent' }} />
      {shown.has('time') ? <span className="c-time mono" style={w('time')} data-testid="msg-time" title="When it crossed the wire (trace clock)">{clockUs(f.wallMs)}</span> : null}
      {shown.has('qos') ? <span className="c-qos" data-testid="msg-qos">Q{f.qos ?? 0}</span> : null}
      {shown.has('flags') ? <span className="c-flag">{f.retain ? <span className="badge" data-testid="msg-retain" title="Retained">R</span> : null}{f.dup ? <span className="badge" data-testid="msg-dup" title="Duplicate (DUP flag: a resend)">D</span> : null}</span> : null}
      <span className="c-topic mono" style={w('topic')}>{f.topic}</span>
      {shown.has('sub') ? <span className="c-sub mono" style={w('sub')} data-testid="msg-sub" title={sub ? `Matched subscription ${sub.filter}` : 'No subscription of this session matches'}>{sub ? <><span className="dot" style={{ background: sub.colour }} /> {sub.filter}</> : null}</span> : null}
      {shown.has('size') ? <span className="c-size mono">{formatSize(f.payloadSize ?? 0)}</span> : null}
      {shown.has('preview') ? (
        <span className={pv?.error ? 'c-preview mono ferror-soft' : 'c-preview mono'} style={w('preview')} data-testid="msg-preview" data-codec={pv?.codec}
          title={pv?.error ? `${pv.error} — shown as hex` : pv ? `${pv.codec}` : undefined}>{pv?.gone ? '(no longer in the trace)' : pv?.text ?? ''}</span>
      ) : null}
      {v5 && shown.has('props') ? <span className="c-props" data-testid="msg-row-props">{propsText}</span> : null}
      <button className="link small c-journey" onClick={() => showFlow({ kind: 'frame', seq: f.seq })} data-testid="msg-row-journey"
        title="Show journey: publisher, broker, every subscriber, each QoS handshake">journey</button>
    </div>
  );
});
