// The ways into the sequence diagram (trace row, message row, flows table) and the way out (an arrow opens
// its frame in the Trace view, which selects frames by seq through the store's selectedFrame).
import { useApp } from '../../app/store';
import { LIVE_DOC } from '../trace/trace-slice';
import type { FlowTarget } from './flows-slice';

/** doc: the trace document the target lives in (the Flows view follows the Trace view's document). */
export function showFlow(target: FlowTarget, doc: string = LIVE_DOC): void {
  const s = useApp.getState();
  if (s.traceDoc !== doc) s.showTraceDoc(doc);
  s.setFlowTarget(target);
  s.setView('flows');
}

export function openFrameInTrace(seq: number): void {
  const s = useApp.getState();
  s.setFollowTrace(false);
  s.selectFrame(seq);
  s.setView('trace');
}
