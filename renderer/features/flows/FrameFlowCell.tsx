// The Trace view's "Flow" column: which flow a frame belongs to and its state; a click draws it.
import type { FrameFlowMark } from '../../../shared/flows/types';
import { KIND_WORDS, STATE_SYMBOL } from './flow-words';
import { useApp } from '../../app/store';
import { showFlow } from './show-flow';

export function FrameFlowCell({ seq, mark }: { seq: number; mark: FrameFlowMark | null | undefined }) {
  if (!mark) return <span className="t-flow" />;
  return (
    <span className="t-flow" data-testid="trace-flow" data-flow-id={mark.flowId} data-state={mark.state}>
      <button className={`link st-${mark.state}`} onClick={() => showFlow({ kind: 'frame', seq }, useApp.getState().traceDoc)}
        title={`Flow #${mark.flowId}: ${KIND_WORDS[mark.kind]}, ${mark.state} — click to show the flow`} data-testid="trace-show-flow-cell">
        {STATE_SYMBOL[mark.state]} {mark.state}
      </button>
    </span>
  );
}
