// The packet trace of the shown document (the live capture or an opened file): every frame on every
// tapped connection, virtualized, narrowed by a display filter; click one to see its fields and bytes.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FrameSummary } from '../../../shared/contract/types';
import { formatSize } from '../../app/bytes';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { Confirm } from '../../ui/Confirm';
import { SplitPane } from '../../ui/SplitPane';
import { VirtualList } from '../../ui/VirtualList';
import { showFlow } from '../flows/show-flow';
import { useFrameFlows } from '../flows/use-frame-flows';
import { goneReason, useFrameDetail } from '../messages/use-frame-detail';
import { DocTabs } from './DocTabs';
import { FilterBar } from './FilterBar';
import { FollowConnection } from './FollowConnection';
import { FrameInspector } from './FrameInspector';
import { TraceFileButtons } from './TraceFileButtons';
import { isGap, traceModel } from './trace-model';
import { TraceGapRow, TraceLoadingRow } from './TraceGapRow';
import { LIVE_DOC } from './trace-slice';
import { TraceHeader, TraceRow } from './TraceRow';
import { useConnections } from './use-connections';
import { useTraceFilter } from './use-trace-filter';
import { useTraceVersion } from './use-trace-version';
import { timeOfDayUs, wallMsOnDayOf } from './go-to-time';

/** How far up the list a row looks for the previous frame of its connection. */
const CONN_LOOKBACK = 2000;
const GOTO_HELP = 'Go to: a frame number (#123) or a time of day (13:46:42.123456)';

export function TraceView() {
  const version = useTraceVersion();
  const doc = useApp((s) => s.traceDoc);
  const docInfo = useApp((s) => s.traceDocs.find((d) => d.id === s.traceDoc));
  const conns = useConnections(doc);
  const liveStats = useApp((s) => s.traceStats);
  const stats = doc === LIVE_DOC ? liveStats : docInfo?.stats ?? null;
  const selected = useApp((s) => s.selectedFrame);
  const follow = useApp((s) => s.followTrace);
  const filter = useApp((s) => s.filterApplied);
  const { selectFrame, setFollowTrace, showToast } = useApp.getState();
  useEffect(() => setFollowing(null), [doc]);
  const [text, setText] = useState('');
  const [following, setFollowing] = useState<number | null>(null);
  /** Bumped by "Go to": scrolls to the frame even when it was already the selected one. */
  const [reveal, setReveal] = useState(0);
  const [confirmClear, setConfirmClear] = useState<{ frames: number; messages: number } | null>(null);
  const filtered = useTraceFilter({ doc, filter, text });
  const detail = useFrameDetail(selected, true, doc === LIVE_DOC ? undefined : doc);
  const flows = useFrameFlows(doc);
  const selectedFlow = selected === null ? undefined : flows.mark(selected);

  const frames = traceModel.frames;
  const paged = filtered.list;
  const count = filtered.active ? paged.count : frames.length;
  const get = (i: number): FrameSummary | undefined => (filtered.active ? paged.get(i) : frames.frame(i));
  // Loops over many rows read the live list's columns, not whole rows (each would be made into an object).
  const connOf = (i: number): number | undefined => (filtered.active ? paged.get(i)?.conn : frames.isGapAt(i) ? undefined : frames.connAt(i));
  const topicOf = (i: number): string | undefined => (filtered.active ? paged.get(i)?.topic : frames.topicAt(i));
  const selectedIndex = selected === null ? -1 : filtered.active ? paged.indexOfSeq(selected) : frames.indexOfSeq(selected);
  const prevOfConn = (i: number, conn: number): FrameSummary | undefined => {
    for (let k = i - 1; k >= Math.max(0, i - CONN_LOOKBACK); k--) if (connOf(k) === conn) return get(k);
    return undefined;
  };
  const seen = useMemo(() => {
    const topics = new Set<string>();
    for (let i = Math.max(0, count - 5000); i < count; i++) { const t = topicOf(i); if (t !== undefined) topics.add(t); }
    const clients = [...new Set([...conns.values()].map((c) => c.clientId).filter((c): c is string => !!c))];
    return { clients: clients.sort(), topics: [...topics].sort() };
  }, [conns, doc, Math.floor(version / 30), filtered.active && paged.version]);
  // A frame selected from elsewhere (Flows, Go to) that the filtered list has not loaded: core finds its place.
  useEffect(() => {
    if (filtered.active && selected !== null && paged.count > 0 && paged.indexOfSeq(selected) < 0) void paged.indexAt({ seq: selected }).catch(() => {});
  }, [selected, filtered.active && paged.count > 0]);
  // Rows of a filtered list arrive after the range was told: the flow marks of the rows now loaded follow.
  const range = useRef<[number, number] | null>(null);
  useEffect(() => { if (filtered.active && range.current) flows.onRange(range.current[0], range.current[1], get); }, [paged.version]);

  /**
   * "#123" / "123": that frame number; "13:46:42.5": the first frame at or after that time of day, on the day
   * of the list's newest row. Core finds rows the list has not loaded (a filtered list's pages, the live
   * list's gap rows) and they load.
   */
  const goTo = (target: string) => {
    const t = target.trim().replace(/^#/, '');
    const isSeq = /^\d+$/.test(t);
    const us = isSeq ? null : timeOfDayUs(t);
    if (!isSeq && us === null) { showToast(GOTO_HELP, 'error'); return; }
    let at: { seq: number } | { wallMs: number } = { seq: Number(t) };
    if (!isSeq) {
      let newest: FrameSummary | undefined;
      if (filtered.active) newest = paged.get(paged.count - 1) ?? paged.loaded().at(-1);
      else for (let i = frames.length - 1; i >= 0 && !newest; i--) newest = get(i);
      if (!newest) { showToast(`No frame at or after ${target} in this list`, 'error'); return; }
      at = { wallMs: wallMsOnDayOf(newest.wallMs, us!) };
    }
    const found = filtered.active
      ? paged.indexAt(at).then((i) => (i >= 0 ? paged.get(i)?.seq ?? null : null))
      : traceModel.goTo(at);
    void found.then((seq) => {
      if (seq !== null) { selectFrame(seq); setReveal((n) => n + 1); } else showToast(`No frame at or after ${target} in this list`, 'error');
    }, (e) => showToast(errorText(e), 'error'));
  };

  const askClear = () => setConfirmClear({ frames: liveStats?.frames ?? traceModel.frameCount, messages: traceModel.messageCount() });
  const clear = async () => {
    setConfirmClear(null);
    try { await core().traceClear(); /* traceReset reloads the views */ } catch (e) { showToast(errorText(e), 'error'); }
  };

  const list = (
    <div className="panel" data-testid="trace-list">
      <DocTabs />
      <FilterBar seen={seen} busy={filtered.loading} />
      <div className="toolbar">
        <input className="grow" placeholder="Search topic, note or payload" value={text} onChange={(e) => setText(e.target.value)} data-testid="trace-search" />
        {doc === LIVE_DOC ? <label className="inline"><input type="checkbox" checked={follow} onChange={(e) => setFollowTrace(e.target.checked)} data-testid="trace-follow" /> Follow</label> : null}
        <input className="mono" style={{ width: 120 }} placeholder="Go to # or time" data-testid="trace-goto"
          onKeyDown={(e) => { if (e.key === 'Enter') goTo(e.currentTarget.value); }} />
        <button className="small" disabled={!selectedFlow} onClick={() => selected !== null && showFlow({ kind: 'frame', seq: selected }, doc)} data-testid="trace-show-flow"
          title={selectedFlow ? `Draw flow #${selectedFlow.flowId} (and its journey) as a sequence diagram` : 'Select a frame that belongs to a flow'}>Show flow</button>
        <TraceFileButtons />
        {doc === LIVE_DOC ? <button className="small" onClick={askClear} data-testid="trace-clear">Clear…</button>
          : <span className="muted small" data-testid="trace-readonly">read-only file</span>}
      </div>
      <div className="list-status small" data-testid="trace-status">
        {filtered.active ? <span data-testid="trace-matching" data-count={filtered.matching}>{filtered.matching.toLocaleString('en')} {filter || text.trim() ? 'matching' : 'frames'} · </span> : null}
        {doc === LIVE_DOC ? <span data-testid="trace-count" data-count={traceModel.frameCount}>{traceModel.frameCount.toLocaleString('en')} frames here{traceModel.notLoaded ? ` (${traceModel.notLoaded.toLocaleString('en')} load as you scroll to them)` : ''}</span> : null}
        {stats ? <span> · {doc === LIVE_DOC ? 'core holds' : `${docInfo?.name ?? 'file'} holds`} {stats.frames.toLocaleString('en')} frames, {formatSize(stats.bytes)}{doc === LIVE_DOC ? ` of ${formatSize(stats.budgetBytes)}` : ''}{stats.evictedFrames ? `, ${stats.evictedFrames.toLocaleString('en')} evicted` : ''}{stats.malformed ? `, ${stats.malformed} malformed` : ''}</span> : null}
        {docInfo?.warning ? <span className="ferror"> · {docInfo.warning}</span> : null}
        {filtered.error ? <span className="ferror" data-testid="trace-query-error"> · {filtered.error}</span> : null}
      </div>
      <TraceHeader />
      <VirtualList count={count} rowHeight={20} version={version + count + (filtered.active ? paged.version : 0)} follow={doc === LIVE_DOC && follow}
        renderRow={(i) => { const g = filtered.active ? undefined : frames.get(i); if (isGap(g)) return <TraceGapRow gap={g} />; const f = get(i); if (!f && filtered.active) return <TraceLoadingRow />; return f ? <TraceRow f={f} conn={conns.get(f.conn)} prev={i > 0 ? get(i - 1) : undefined} prevConn={prevOfConn(i, f.conn)} onFollow={setFollowing} flowColumn mark={flows.mark(f.seq)} /> : null; }}
        onRange={(a, b) => { range.current = [a, b]; flows.onRange(a, b, get); if (filtered.active) paged.want(a, b); else if (doc === LIVE_DOC) traceModel.wantRows(a, b); }}
        selectedIndex={selectedIndex} reveal={reveal} onSelect={(i) => selectFrame(get(i)?.seq ?? null)} testId="trace-vlist" containRows
        empty={filtered.loading ? 'Filtering…' : filtered.active ? 'No frames match.' : 'No frames yet. Start the broker or connect somewhere.'} />
      {confirmClear ? (
        <Confirm title="Clear the live capture?" confirmLabel="Clear" onConfirm={() => void clear()} onCancel={() => setConfirmClear(null)} testId="trace-clear-confirm">
          This removes {confirmClear.frames.toLocaleString('en')} frames from the live capture and {confirmClear.messages.toLocaleString('en')} messages from the message lists.
          Opened files, sessions, subscriptions and the broker are not touched.
        </Confirm>
      ) : null}
    </div>
  );

  return (
    <div className="view" data-testid="view-trace">
      <SplitPane id="trace.detail" direction="column" initial={300} sizeSecond>
        {list}
        <div className="panel" data-testid="trace-detail">
          {following !== null ? <FollowConnection key={`${doc}:${following}`} conn={following} conns={conns} doc={doc} onClose={() => setFollowing(null)}
            onPick={(seq) => { setFollowing(null); selectFrame(seq); }} />
            : selected === null ? <p className="pad muted">Click a frame to see its fields and bytes. ⇄ on a row follows its connection.</p>
            : detail.status === 'ready' ? <FrameInspector key={`${doc}:${selected}`} detail={detail.detail} />
            : detail.status === 'gone' ? <p className="pad muted">{goneReason(selected, stats)}</p>
            : detail.status === 'error' ? <p className="pad ferror">{detail.error}</p>
            : <p className="pad muted">Loading frame #{selected}…</p>}
        </div>
      </SplitPane>
    </div>
  );
}
