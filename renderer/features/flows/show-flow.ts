// The ways into the sequence diagram (trace row, message row, flows table) and the way out (an arrow opens
// its frame in the Trace view, which selects frames by seq through the store's selectedFrame).
import { useApp } from '../../app/store';
import type { FlowTarget } from './flows-slice';

export function showFlow(target: FlowTarget): void {
  const s = useApp.getState();
  s.setFlowTarget(target);
  s.setView('flows');
}

export function openFrameInTrace(seq: number): void {
  const s = useApp.getState();
  s.setFollowTrace(false);
  s.selectFrame(seq);
  s.setView('trace');
}
