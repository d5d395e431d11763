// Fetches one frame's bytes and decoded fields from core (traceFrame), on demand, from a trace document.
import { useEffect, useState } from 'react';
import type { FrameDetail, TraceStats } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';

export type DetailState = { status: 'idle' } | { status: 'loading' } | { status: 'gone' } | { status: 'error'; error: string } | { status: 'ready'; detail: FrameDetail };

export function useFrameDetail(seq: number | undefined | null, enabled = true, doc?: string): DetailState {
  const [state, setState] = useState<DetailState>({ status: 'idle' });
  useEffect(() => {
    if (seq === undefined || seq === null || !enabled) { setState({ status: 'idle' }); return; }
    let cancelled = false;
    setState({ status: 'loading' });
    core().traceFrame(doc ? { seq, doc } : { seq }).then(
      (d) => { if (!cancelled) setState(d ? { status: 'ready', detail: d } : { status: 'gone' }); },
      (e) => { if (!cancelled) setState({ status: 'error', error: errorText(e) }); },
    );
    return () => { cancelled = true; };
  }, [seq, enabled, doc]);
  return state;
}

/** Why a frame's bytes are no longer there, truthfully: removed by a Clear, or evicted by the budget. */
export function goneReason(seq: number, stats: TraceStats | null): string {
  const c = stats?.cleared;
  if (c && seq >= c.fromSeq && seq < c.toSeq) return `Frame #${seq} was removed when the trace was cleared.`;
  return `Frame #${seq} was evicted from the trace to stay within its byte budget.`;
}
