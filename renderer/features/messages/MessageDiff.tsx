// Monaco diff of this message's payload against the previous message on the same topic.
import { useMemo } from 'react';
import type { FrameSummary } from '../../../shared/contract/types';
import { bytesToHex, looksLikeText, utf8Decode } from '../../app/bytes';
import { DiffEditor } from '../../ui/DiffEditor';
import { clockMs } from './format-time';
import { decodeMessage } from './frame-payload';
import { goneReason, useFrameDetail } from './use-frame-detail';
import { useApp } from '../../app/store';

function asText(bytes: Uint8Array): { text: string; language: string } {
  if (!looksLikeText(bytes)) return { text: bytesToHex(bytes).replace(/((?:\S\S ){16})/g, '$1\n'), language: 'plaintext' };
  const t = utf8Decode(bytes);
  try { return { text: JSON.stringify(JSON.parse(t), null, 2), language: 'json' }; } catch { return { text: t, language: 'plaintext' }; }
}

export function MessageDiff({ current, previous }: { current: Uint8Array; previous: FrameSummary | undefined }) {
  const prev = useFrameDetail(previous?.seq);
  const left = useMemo(() => (prev.status === 'ready' ? asText(decodeMessage(prev.detail).payload) : null), [prev]);
  const right = useMemo(() => asText(current), [current]);
  if (!previous) return <p className="pad muted" data-testid="msg-diff-none">No earlier message on this topic in this connection.</p>;
  if (prev.status === 'gone') return <p className="pad muted">The previous message is no longer held: {goneReason(previous.seq, useApp.getState().traceStats)}</p>;
  if (prev.status === 'error') return <p className="pad ferror">{prev.error}</p>;
  if (!left) return <p className="pad muted">Loading previous message…</p>;
  return (
    <div className="diff-wrap" data-testid="msg-diff">
      <div className="small muted pad-x">Previous: {clockMs(previous.wallMs)} (#{previous.seq}) ⟷ this message</div>
      <DiffEditor original={left.text} modified={right.text} language={left.language === 'json' && right.language === 'json' ? 'json' : 'plaintext'} />
    </div>
  );
}
