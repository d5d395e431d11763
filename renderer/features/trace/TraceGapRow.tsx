// A run of frames the trace list stands for but has not loaded (a burst the window was not pushed, or the
// older part of the store when the window opened). It loads, newest page first, while it is in view.
import type { TraceGap } from './trace-model';

export function TraceGapRow({ gap }: { gap: TraceGap }) {
  const n = gap.toSeq - gap.seq + 1;
  return (
    <div className="trace-row trace-gap muted" data-testid="trace-gap" data-seq={gap.seq} data-to-seq={gap.toSeq}>
      <span className="mono">#{gap.seq.toLocaleString('en')}–#{gap.toSeq.toLocaleString('en')}</span>
      <span> · {n.toLocaleString('en')} frame{n === 1 ? '' : 's'} not loaded yet, loading…</span>
    </div>
  );
}

/** A row of a filtered list whose page is on its way (never an older row standing in for it). */
export function TraceLoadingRow() {
  return <div className="trace-row trace-gap muted" data-testid="trace-row-loading">loading…</div>;
}
