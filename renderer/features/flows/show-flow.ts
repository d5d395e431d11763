// The ways into the sequence diagram (trace row, message row, flows table) and the way out (an arrow opens
// its frame in the Trace view, which selects frames by seq through the store's selectedFrame).
import { core } from '../../app/core';
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

/** Opens a frame in the Trace view; a display filter that would hide it is cleared, and the user told so. */
export async function openFrameInTrace(seq: number): Promise<void> {
  const s = useApp.getState();
  s.setFollowTrace(false);
  const filter = s.filterApplied;
  if (filter) {
    const doc = s.traceDoc === LIVE_DOC ? {} : { doc: s.traceDoc };
    const shown = await core().traceQuery({ filter, fromSeq: seq, toSeq: seq, limit: 1, ...doc }).then((r) => r.frames.length > 0, () => false);
    if (!shown) {
      s.applyFilter('');
      s.showToast(`Display filter cleared: frame #${seq} does not match "${filter}"`);
    }
  }
  s.selectFrame(seq);
  s.setView('trace');
}
