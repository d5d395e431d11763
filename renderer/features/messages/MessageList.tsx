// The session's received messages: virtualized, updated once per animation frame, with pause/resume and
// a search that runs in core. The count includes everything received; nothing is hidden silently.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FrameSummary } from '../../../shared/contract/types';
import { topicMatches } from '../../app/mqtt-topic';
import { useApp } from '../../app/store';
import { VirtualList } from '../../ui/VirtualList';
import { traceModel } from '../trace/trace-model';
import { useTraceVersion } from '../trace/use-trace-version';
import { useTopics } from '../topics/topics-store';
import { COLUMNS, useColumns, type ColumnId } from './columns';
import { MessageRow, type RowSub } from './MessageRow';
import { ColumnHeader } from './ColumnHeader';
import { useMessageSearch } from './use-message-search';
import { useRowPreviews } from './use-row-previews';
import { useExport } from './use-export';
import type { ExportFormat } from './export-format';
import { useRowProperties } from './use-row-properties';

const EMPTY: number[] = [];

export function MessageList({ sessionId }: { sessionId: string }) {
  const version = useTraceVersion();
  const conns = useApp((s) => s.sessions[sessionId]?.conns ?? EMPTY);
  const subs = useApp((s) => s.sessions[sessionId]?.subscriptions);
  const subColours = useApp((s) => s.subColours);
  const pausedAt = useApp((s) => s.paused[sessionId]);
  const selectedSeq = useApp((s) => s.selectedMessage[sessionId]);
  const text = useApp((s) => s.search[sessionId] ?? '');
  const { selectMessage, setPaused, setSearch, colourFor } = useApp.getState();
  const [topicFilter, setTopicFilter] = useState('');
  // A subtree picked in the Topics tree scopes the list unless a filter is typed here.
  const scope = useTopics((s) => s.scope);
  const effectiveFilter = topicFilter.trim() || scope;
  const searching = text.trim() !== '' || effectiveFilter !== '';
  const search = useMessageSearch(conns, text.trim(), effectiveFilter, searching);
  const { shown, toggle, widths, setWidth } = useColumns();
  const previews = useRowPreviews();
  const exporter = useExport();

  const v5 = useApp((s) => s.sessions[sessionId]?.options.protocolVersion === 5);
  // Only while the column is shown: each summary is a traceFrame call to core.
  const rowProps = useRowProperties(v5 && shown.has('props'));
  const view = traceModel.messagesFor(conns);
  const total = view.count + view.dropped;
  const liveCount = pausedAt !== undefined ? Math.min(pausedAt, view.count) : view.count;
  const count = searching ? search.list.count : liveCount;
  const get = (i: number): FrameSummary | undefined => (searching ? search.list.get(i) : view.get(i));
  const selectedIndex = selectedSeq === undefined ? -1 : searching ? search.list.indexOfSeq(selectedSeq) : view.indexOfSeq(selectedSeq);

  // The subscription whose filter matched the topic (first in the list), with its colour.
  const subOf = useMemo(() => {
    const cache = new Map<string, RowSub | null>();
    return (topic: string) => {
      let c = cache.get(topic);
      if (c === undefined) {
        const sub = subs?.find((s) => topicMatches(s.topic, topic));
        c = sub ? { filter: sub.topic, colour: colourFor(sessionId, sub.topic) } : null;
        cache.set(topic, c);
      }
      return c;
    };
  }, [subs, subColours, sessionId]);

  const renderRow = (i: number) => {
    const f = get(i);
    if (!f) return searching ? <div className="msg-row muted" data-testid="msg-row-loading">loading…</div> : null; // a search's page on its way
    return <MessageRow f={f} sub={subOf(f.topic ?? '')} preview={shown.has('preview') ? previews.preview(f) : undefined}
      propsText={rowProps.text(f)} shown={shown} widths={widths} v5={v5} />;
  };

  return (
    <div className="panel message-list" data-testid="message-list">
      <div className="toolbar">
        <input className="grow" placeholder="Search topic and payload" value={text} onChange={(e) => setSearch(sessionId, e.target.value)} data-testid="msg-search" />
        <input className="mono" placeholder={scope || 'Topic filter (+ #)'} value={topicFilter} onChange={(e) => setTopicFilter(e.target.value)} data-testid="msg-topic-filter" style={{ width: 150 }} />
        {scope && !topicFilter.trim() ? (
          <span className="chip" data-testid="msg-scope" title="Picked in the Topics tree">
            <span className="mono">{scope}</span>
            <button className="icon" onClick={() => useTopics.getState().clearScope()} aria-label="Clear the topic scope" title="Show all topics again">×</button>
          </span>
        ) : null}
        <select value="" onChange={(e) => { if (e.target.value) void exporter.run(e.target.value as ExportFormat, count, get, searching ? () => search.list.all() : undefined); }} disabled={exporter.state.running || count === 0}
          data-testid="msg-export" title="Export the messages listed (with the search and filter applied)" style={{ width: 84 }}>
          <option value="">Export…</option>
          <option value="csv">CSV</option>
          <option value="excel">CSV for Excel (BOM, ;)</option>
          <option value="jsonl">JSON Lines</option>
        </select>
        <ColumnChooser shown={shown} toggle={toggle} />
        <button className={pausedAt !== undefined ? 'small active' : 'small'} data-testid="msg-pause"
          onClick={() => setPaused(sessionId, pausedAt !== undefined ? undefined : view.count)} title="Pause/resume the list (Ctrl+P)">
          {pausedAt !== undefined ? 'Resume' : 'Pause'}
        </button>
      </div>
      <div className="list-status small" data-testid="msg-status">
        <span data-testid="msg-count" data-count={total}>{total.toLocaleString('en')} received</span>
        {traceModel.listing ? <span data-testid="msg-listing" title="While a burst arrives, the list takes one page of messages a second, so the broker keeps its time; it lists the rest as soon as the burst calms down."> · more arriving, listed as the burst calms down</span> : null}
        {view.dropped ? <span className="warn"> · oldest {view.dropped.toLocaleString('en')} no longer held here (search still finds them while the trace keeps them)</span> : null}
        {pausedAt !== undefined ? <span className="warn" data-testid="msg-paused"> · paused, {(view.count - liveCount).toLocaleString('en')} new waiting</span> : null}
        {searching ? <span data-testid="msg-search-count"> · {search.matching.toLocaleString('en')} match{search.loading ? ' …' : ''}</span> : null}
        {search.error ? <span className="ferror"> · {search.error}</span> : null}
      </div>
      {exporter.state.running ? (
        <div className="export-progress" data-testid="msg-export-progress">
          <progress max={exporter.state.total} value={exporter.state.done} />
          <span className="small">exporting {exporter.state.done.toLocaleString('en')} / {exporter.state.total.toLocaleString('en')}</span>
          <button className="small" onClick={exporter.cancel} data-testid="msg-export-cancel">Cancel</button>
        </div>
      ) : exporter.state.error ? <div className="notice error">Export failed: {exporter.state.error}</div> : null}
      <div className="msg-row header">
        <span className="colour-bar" />
        {shown.has('time') ? <ColumnHeader id="time" className="c-time" width={widths.time} onWidth={(px) => setWidth('time', px)}>Time</ColumnHeader> : null}
        {shown.has('qos') ? <span className="c-qos">QoS</span> : null}
        {shown.has('flags') ? <span className="c-flag" /> : null}
        <ColumnHeader id="topic" className="c-topic" width={widths.topic} onWidth={(px) => setWidth('topic', px)}>Topic</ColumnHeader>
        {shown.has('sub') ? <ColumnHeader id="sub" className="c-sub" width={widths.sub} onWidth={(px) => setWidth('sub', px)}>Subscription</ColumnHeader> : null}
        {shown.has('size') ? <span className="c-size">Size</span> : null}
        {shown.has('preview') ? <ColumnHeader id="preview" className="c-preview" width={widths.preview} onWidth={(px) => setWidth('preview', px)}>Payload</ColumnHeader> : null}
        {v5 && shown.has('props') ? <span className="c-props">Properties</span> : null}
        <span className="c-journey" />
      </div>
      <VirtualList count={count} rowHeight={22} version={version + (searching ? search.list.version : 0)} renderRow={renderRow}
        selectedIndex={selectedIndex} onSelect={(i) => selectMessage(sessionId, get(i)?.seq)} follow={pausedAt === undefined}
        onRange={(a, b) => { if (searching) search.list.want(a, b); rowProps.onRange(a, b, get); }}
        testId="msg-vlist" containRows empty={searching ? 'No messages match.' : 'No messages yet. Subscribe to a topic filter on the left.'} />
    </div>
  );
}

/**
 * The Columns button and its menu. Opening or closing the menu renders only this, not the list: during a
 * burst a render of the list is the page's costliest work.
 */
function ColumnChooser({ shown, toggle }: { shown: ReadonlySet<ColumnId>; toggle(id: ColumnId): void }) {
  const [choosing, setChoosing] = useState(false);
  const box = useRef<HTMLSpanElement>(null);
  // Open, it closes on a press outside it or on Escape, as menus do.
  useEffect(() => {
    if (!choosing) return;
    const outside = (e: PointerEvent) => { if (!box.current?.contains(e.target as Node)) setChoosing(false); };
    const escape = (e: KeyboardEvent) => { if (e.key === 'Escape') setChoosing(false); };
    document.addEventListener('pointerdown', outside, true);
    document.addEventListener('keydown', escape);
    return () => { document.removeEventListener('pointerdown', outside, true); document.removeEventListener('keydown', escape); };
  }, [choosing]);
  return (
    <span className="col-chooser" ref={box}>
      <button className={choosing ? 'small active' : 'small'} onClick={() => setChoosing(!choosing)} data-testid="msg-columns" title="Choose columns">Columns</button>
      {choosing ? (
        <div className="col-menu" data-testid="msg-columns-menu">
          {COLUMNS.map((c) => (
            <label key={c.id}><input type="checkbox" checked={shown.has(c.id)} onChange={() => toggle(c.id)} data-testid={`msg-col-${c.id}`} /> {c.label}</label>
          ))}
        </div>
      ) : null}
    </span>
  );
}
