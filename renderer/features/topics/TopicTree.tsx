// Every topic the trace has seen, as a tree: messages, rate (msg/s and B/s over the last 10 s) with a
// sparkline, QoS mix, retained marker and the newest value decoded by the topic's codec. Virtualized;
// core flattens and pages it, so 100,000 topics cost what the visible rows cost.
import type { TopicRow } from '../../../shared/contract/topics';
import { VirtualList } from '../../ui/VirtualList';
import { bytesPerSecond, count, perSecond } from './format-rate';
import { Sparkline } from './Sparkline';
import { useTopics } from './topics-store';
import { useTopicTree } from './use-topic-tree';

const ROW = 24;

export function TopicTree({ onChart }: { onChart(topic: string): void }) {
  const { expanded, sort, search, selected, toggle, setSort, setSearch, select } = useTopics();
  const tree = useTopicTree(expanded, sort, search);
  const r = tree.result;
  const selectedIndex = r ? r.rows.findIndex((x) => x.path === selected) : -1;

  const renderRow = (i: number) => {
    const row = tree.rowAt(i);
    if (!row) return <div className="topic-row" />;
    return <Row row={row} onToggle={() => toggle(row.path)} onChart={() => onChart(row.path)} />;
  };

  return (
    <div className="panel topic-tree" data-testid="topic-tree">
      <div className="toolbar">
        <input className="grow" placeholder="Search topics" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="topic-search" />
        <label className="muted small">Sort
          <select value={sort} onChange={(e) => setSort(e.target.value as typeof sort)} data-testid="topic-sort" style={{ marginLeft: 4 }}>
            <option value="name">name</option>
            <option value="rate">rate (what floods)</option>
            <option value="count">messages</option>
          </select>
        </label>
      </div>
      <div className="list-status small" data-testid="topic-status">
        {r ? (
          <>
            <span data-testid="topic-total" data-topics={r.topics} data-messages={r.messages}>{count(r.topics)} topics · {count(r.messages)} messages</span>
            <span className="muted" data-testid="topic-memory" title="The topic tree's memory is part of the trace budget"> · tree {size(r.treeBytes)} of {size(r.treeBudgetBytes)}</span>
            {r.untracked ? <span className="warn" data-testid="topic-untracked"> · {count(r.untracked)} messages on new topics beyond the tree's share of the trace budget (counted, not listed)</span> : null}
            <span className="muted"> · since the trace was cleared or opened; rates over the last 10 s</span>
          </>
        ) : tree.error ? <span className="ferror">{tree.error}</span> : 'Loading…'}
      </div>
      <div className="topic-row header">
        <span className="t-name">Topic</span><span className="t-num">Messages</span><span className="t-num" title="Messages per second, last 10 s">msg/s</span>
        <span className="t-num" title="Payload bytes per second, last 10 s">bytes/s</span><span className="t-spark">10 s</span><span className="t-qos">QoS 0·1·2</span><span className="t-preview">Last value</span>
      </div>
      <VirtualList count={r?.total ?? 0} rowHeight={ROW} version={r ? r.nowUs : 0} renderRow={renderRow} testId="topic-vlist"
        selectedIndex={selectedIndex} onRange={tree.setRange}
        onSelect={(i) => { const row = tree.rowAt(i); if (row) select(row.path === selected ? null : row.path, row.hasChildren); }}
        empty="No topics yet: publish to the built-in broker, or receive messages in a session." />
    </div>
  );
}

function Row({ row, onToggle, onChart }: { row: TopicRow; onToggle(): void; onChart(): void }) {
  return (
    <div className="topic-row" data-testid="topic-row" data-path={row.path} data-count={row.count} data-own={row.own}>
      <span className="t-name" style={{ paddingLeft: 4 + row.depth * 14 }}>
        {row.hasChildren ? (
          <button className="twisty" onMouseDown={(e) => e.stopPropagation()} onClick={onToggle} data-testid="topic-toggle" aria-label={row.expanded ? 'Collapse' : 'Expand'}>
            {row.expanded ? '▾' : '▸'}
          </button>
        ) : <span className="twisty" />}
        <span className="mono t-label" title={row.path}>{row.name === '' ? <i className="muted">(empty level)</i> : row.name}</span>
        {row.hasChildren ? <span className="muted small"> {count(row.topics)}</span> : null}
        {row.retained ? <span className="badge" title="A retained message is set on this topic" data-testid="topic-retained">R</span> : null}
        {row.own > 0 ? (
          <button className="icon chart-btn" title="Chart a numeric field of this topic" onMouseDown={(e) => e.stopPropagation()} onClick={onChart} data-testid="topic-chart">📈</button>
        ) : null}
      </span>
      <span className="t-num mono" data-testid="topic-count">{count(row.count)}</span>
      <span className="t-num mono" title={`${row.msgRate.toFixed(2)} messages/s over the last 10 s`}>{perSecond(row.msgRate)}</span>
      <span className="t-num mono">{bytesPerSecond(row.byteRate)}</span>
      <span className="t-spark"><Sparkline values={row.spark} /></span>
      <span className="t-qos mono" title="Messages at QoS 0, 1 and 2">{row.qos.join('·')}</span>
      <span className="t-preview mono" title={row.preview}>{row.preview ?? ''}</span>
    </div>
  );
}

function size(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'no limit';
  if (bytes < 2 ** 20) return `${Math.max(1, Math.round(bytes / 1024))} KiB`;
  return `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`;
}
