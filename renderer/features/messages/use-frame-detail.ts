// Fetches one frame's bytes and decoded fields from core (traceFrame), on demand.
import { useEffect, useState } from 'react';
import type { FrameDetail } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';

export type DetailState = { status: 'idle' } | { status: 'loading' } | { status: 'gone' } | { status: 'error'; error: string } | { status: 'ready'; detail: FrameDetail };

export function useFrameDetail(seq: number | undefined | null, enabled = true): DetailState {
  const [state, setState] = useState<DetailState>({ status: 'idle' });
  useEffect(() => {
    if (seq === undefined || seq === null || !enabled) { setState({ status: 'idle' }); return; }
    let cancelled = false;
    setState({ status: 'loading' });
    core().traceFrame({ seq }).then(
      (d) => { if (!cancelled) setState(d ? { status: 'ready', detail: d } : { status: 'gone' }); },
      (e) => { if (!cancelled) setState({ status: 'error', error: errorText(e) }); },
    );
    return () => { cancelled = true; };
  }, [seq, enabled]);
  return state;
}
