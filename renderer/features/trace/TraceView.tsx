// The packet trace: every frame on every tapped connection (broker side and client side), virtualized;
// click one to see its decoded fields and bytes.
import { useState } from 'react';
import { PACKET_TYPES, type FrameSummary, type PacketType } from '../../../shared/contract/types';
import { formatSize } from '../../app/bytes';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { SplitPane } from '../../ui/SplitPane';
import { VirtualList } from '../../ui/VirtualList';
import { FrameFlowCell } from '../flows/FrameFlowCell';
import { showFlow } from '../flows/show-flow';
import { useFrameFlows } from '../flows/use-frame-flows';
import { useFrameDetail } from '../messages/use-frame-detail';
import { FrameInspector } from './FrameInspector';
import { TraceFileButtons } from './TraceFileButtons';
import { traceModel } from './trace-model';
import { TraceHeader, TraceRow } from './TraceRow';
import { useConnections } from './use-connections';
import { FILTER_LIMIT, useTraceFilter } from './use-trace-filter';
import { useTraceVersion } from './use-trace-version';

export function TraceView() {
  const version = useTraceVersion();
  const conns = useConnections();
  const stats = useApp((s) => s.traceStats);
  const selected = useApp((s) => s.selectedFrame);
  const follow = useApp((s) => s.followTrace);
  const { selectFrame, setFollowTrace, showToast } = useApp.getState();
  const [type, setType] = useState<PacketType | ''>('');
  const [text, setText] = useState('');
  const [topicFilter, setTopicFilter] = useState('');
  const filtered = useTraceFilter({ type, text, topicFilter });
  const detail = useFrameDetail(selected);
  const flows = useFrameFlows();
  const selectedFlow = selected === null ? undefined : flows.mark(selected);

  const frames = traceModel.frames;
  const count = filtered.active ? filtered.frames.length : frames.length;
  const get = (i: number): FrameSummary | undefined => (filtered.active ? filtered.frames[i] : frames.get(i));
  const selectedIndex = selected === null ? -1 : filtered.active ? filtered.frames.findIndex((f) => f.seq === selected)
    : (() => { const i = frames.lowerBound((f) => f.seq, selected); return frames.get(i)?.seq === selected ? i : -1; })();

  const clear = async () => {
    try { await core().traceClear(); /* traceReset reloads the views */ } catch (e) { showToast(errorText(e), 'error'); }
  };

  const list = (
    <div className="panel" data-testid="trace-list">
      <div className="toolbar">
        <select value={type} onChange={(e) => setType(e.target.value as PacketType | '')} data-testid="trace-type">
          <option value="">All packet types</option>
          {PACKET_TYPES.filter((t) => t !== 'RESERVED').map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
        <input className="mono" placeholder="Topic filter" value={topicFilter} onChange={(e) => setTopicFilter(e.target.value)} data-testid="trace-topic-filter" style={{ width: 160 }} />
        <input className="grow" placeholder="Search topic, note or payload" value={text} onChange={(e) => setText(e.target.value)} data-testid="trace-search" />
        <label className="inline"><input type="checkbox" checked={follow} onChange={(e) => setFollowTrace(e.target.checked)} data-testid="trace-follow" /> Follow</label>
        <button className="small" disabled={!selectedFlow} onClick={() => selected !== null && showFlow({ kind: 'frame', seq: selected })} data-testid="trace-show-flow"
          title={selectedFlow ? `Draw flow #${selectedFlow.flowId} (and its journey) as a sequence diagram` : 'Select a frame that belongs to a flow'}>Show flow</button>
        <TraceFileButtons />
        <button className="small" onClick={() => void clear()} data-testid="trace-clear">Clear</button>
      </div>
      <div className="list-status small" data-testid="trace-status">
        {filtered.active ? <span data-testid="trace-matching">{filtered.matching.toLocaleString('en')} matching{filtered.matching > FILTER_LIMIT ? ` (newest ${FILTER_LIMIT.toLocaleString('en')} shown)` : ''} · </span> : null}
        <span data-testid="trace-count" data-count={frames.length}>{frames.length.toLocaleString('en')} frames here</span>
        {stats ? <span> · core holds {stats.frames.toLocaleString('en')} frames, {formatSize(stats.bytes)} of {formatSize(stats.budgetBytes)}{stats.evictedFrames ? `, ${stats.evictedFrames.toLocaleString('en')} evicted` : ''}{stats.malformed ? `, ${stats.malformed} malformed` : ''}</span> : null}
        {filtered.error ? <span className="ferror"> · {filtered.error}</span> : null}
      </div>
      <TraceHeader />
      <VirtualList count={count} rowHeight={20} version={version + count} follow={follow && selected === null}
        renderRow={(i) => { const f = get(i); return f ? <TraceRow f={f} conn={conns.get(f.conn)} flow={<FrameFlowCell seq={f.seq} mark={flows.mark(f.seq)} />} /> : null; }}
        onRange={(a, b) => flows.onRange(a, b, get)}
        selectedIndex={selectedIndex} onSelect={(i) => selectFrame(get(i)?.seq ?? null)} testId="trace-vlist"
        empty={filtered.active ? 'No frames match.' : 'No frames yet. Start the broker or connect somewhere.'} />
    </div>
  );

  return (
    <div className="view" data-testid="view-trace">
      <SplitPane id="trace.detail" direction="column" initial={300} sizeSecond>
        {list}
        <div className="panel" data-testid="trace-detail">
          {selected === null ? <p className="pad muted">Click a frame to see its fields and bytes.</p>
            : detail.status === 'ready' ? <FrameInspector key={selected} detail={detail.detail} />
            : detail.status === 'gone' ? <p className="pad muted">Frame #{selected} was evicted from the trace (byte budget).</p>
            : detail.status === 'error' ? <p className="pad ferror">{detail.error}</p>
            : <p className="pad muted">Loading frame #{selected}…</p>}
        </div>
      </SplitPane>
    </div>
  );
}
