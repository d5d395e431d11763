// The session's received messages: virtualized, updated once per animation frame, with pause/resume and
// a search that runs in core. The count includes everything received; nothing is hidden silently.
import { useMemo, useState } from 'react';
import type { FrameSummary } from '../../../shared/contract/types';
import { formatSize } from '../../app/bytes';
import { topicMatches } from '../../app/mqtt-topic';
import { useApp } from '../../app/store';
import { VirtualList } from '../../ui/VirtualList';
import { showFlow } from '../flows/show-flow';
import { traceModel } from '../trace/trace-model';
import { useTraceVersion } from '../trace/use-trace-version';
import { clockMs } from './format-time';
import { useMessageSearch, SEARCH_LIMIT } from './use-message-search';
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
  const searching = text.trim() !== '' || topicFilter.trim() !== '';
  const search = useMessageSearch(conns, text.trim(), topicFilter.trim(), searching);

  const v5 = useApp((s) => s.sessions[sessionId]?.options.protocolVersion === 5);
  const rowProps = useRowProperties(v5);
  const view = traceModel.messagesFor(conns);
  const total = view.count + view.dropped;
  const liveCount = pausedAt !== undefined ? Math.min(pausedAt, view.count) : view.count;
  const count = searching ? search.frames.length : liveCount;
  const get = (i: number): FrameSummary | undefined => (searching ? search.frames[i] : view.get(i));
  const selectedIndex = selectedSeq === undefined ? -1 : searching ? search.frames.findIndex((f) => f.seq === selectedSeq) : view.indexOfSeq(selectedSeq);

  const colourOf = useMemo(() => {
    const cache = new Map<string, string>();
    return (topic: string) => {
      let c = cache.get(topic);
      if (c === undefined) {
        const sub = subs?.find((s) => topicMatches(s.topic, topic));
        c = sub ? colourFor(sessionId, sub.topic) : 'transparent';
        cache.set(topic, c);
      }
      return c;
    };
  }, [subs, subColours, sessionId]);

  const renderRow = (i: number) => {
    const f = get(i);
    if (!f) return null;
    return (
      <div className="msg-row" data-testid="msg-row" data-seq={f.seq} data-topic={f.topic}>
        <span className="colour-bar" style={{ background: colourOf(f.topic ?? '') }} />
        <span className="c-time mono">{clockMs(f.wallMs)}</span>
        <span className="c-qos" data-testid="msg-qos">Q{f.qos ?? 0}</span>
        <span className="c-flag">{f.retain ? <span className="badge" data-testid="msg-retain" title="Retained">R</span> : null}{f.dup ? <span className="badge" title="Duplicate">D</span> : null}</span>
        <span className="c-topic mono">{f.topic}</span>
        <span className="c-size mono">{formatSize(f.payloadSize ?? 0)}</span>
        {v5 ? <span className="c-props" data-testid="msg-row-props">{rowProps.text(f)}</span> : null}
        <button className="link small c-journey" onClick={() => showFlow({ kind: 'frame', seq: f.seq })} data-testid="msg-row-journey"
          title="Show journey: publisher, broker, every subscriber, each QoS handshake">journey</button>
      </div>
    );
  };

  return (
    <div className="panel message-list" data-testid="message-list">
      <div className="toolbar">
        <input className="grow" placeholder="Search topic and payload" value={text} onChange={(e) => setSearch(sessionId, e.target.value)} data-testid="msg-search" />
        <input className="mono" placeholder="Topic filter (+ #)" value={topicFilter} onChange={(e) => setTopicFilter(e.target.value)} data-testid="msg-topic-filter" style={{ width: 150 }} />
        <button className={pausedAt !== undefined ? 'small active' : 'small'} data-testid="msg-pause"
          onClick={() => setPaused(sessionId, pausedAt !== undefined ? undefined : view.count)} title="Pause/resume the list (Ctrl+P)">
          {pausedAt !== undefined ? 'Resume' : 'Pause'}
        </button>
      </div>
      <div className="list-status small" data-testid="msg-status">
        <span data-testid="msg-count" data-count={total}>{total.toLocaleString('en')} received</span>
        {view.dropped ? <span className="warn"> · oldest {view.dropped.toLocaleString('en')} no longer held here (search still finds them while the trace keeps them)</span> : null}
        {pausedAt !== undefined ? <span className="warn" data-testid="msg-paused"> · paused, {(view.count - liveCount).toLocaleString('en')} new waiting</span> : null}
        {searching ? <span data-testid="msg-search-count"> · {search.matching.toLocaleString('en')} match{search.matching > SEARCH_LIMIT ? ` (showing newest ${SEARCH_LIMIT.toLocaleString('en')})` : ''}{search.pending ? ' …' : ''}</span> : null}
        {search.error ? <span className="ferror"> · {search.error}</span> : null}
      </div>
      <div className="msg-row header"><span className="colour-bar" /><span className="c-time">Time</span><span className="c-qos">QoS</span><span className="c-flag" /><span className="c-topic">Topic</span><span className="c-size">Size</span>{v5 ? <span className="c-props">Properties</span> : null}<span className="c-journey" /></div>
      <VirtualList count={count} rowHeight={22} version={version + (searching ? search.frames.length : 0)} renderRow={renderRow}
        selectedIndex={selectedIndex} onSelect={(i) => selectMessage(sessionId, get(i)?.seq)} follow={pausedAt === undefined}
        onRange={(a, b) => rowProps.onRange(a, b, get)}
        testId="msg-vlist" empty={searching ? 'No messages match.' : 'No messages yet. Subscribe to a topic filter on the left.'} />
    </div>
  );
}
