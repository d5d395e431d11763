// Step mode state of one session: loaded once, then kept current by the sessionStep event.
import { useEffect, useState } from 'react';
import type { StepState } from '../../../shared/contract/types';
import { core, errorText, onCoreEvent } from '../../app/core';

export function useStepQueue(sessionId: string): { state: StepState; error: string } {
  const [state, setState] = useState<StepState>({ sessionId, on: false, items: [] });
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    const off = onCoreEvent('sessionStep', (s) => { if (s.sessionId === sessionId) setState(s); });
    core().sessionStepQueue({ id: sessionId }).then((s) => { if (live) setState(s); }, (e) => { if (live) setError(errorText(e)); });
    return () => { live = false; off(); };
  }, [sessionId]);
  return { state, error };
}
