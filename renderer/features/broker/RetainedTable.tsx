// Retained messages under a filter: view a payload, delete one, or clear all under the filter after a
// confirmation that says how many will go.
import { useState } from 'react';
import type { RetainedInfo } from '../../../shared/contract/types';
import { base64ToBytes, formatSize } from '../../app/bytes';
import { core, errorText } from '../../app/core';
import { topicFilterProblem } from '../../app/mqtt-topic';
import { useApp } from '../../app/store';
import { Confirm } from '../../ui/Confirm';
import { DataTable, type Column } from '../../ui/DataTable';
import { PayloadView } from '../../ui/PayloadView';
import { SplitPane } from '../../ui/SplitPane';
import { useBrokerTable } from './use-broker-table';

export function RetainedTable() {
  const [filter, setFilter] = useState('#');
  const problem = topicFilterProblem(filter);
  const { rows, error, refresh } = useBrokerTable('retained', () => (problem ? Promise.resolve([]) : core().brokerRetained({ filter })), [filter]);
  const [viewing, setViewing] = useState<{ topic: string; bytes: Uint8Array } | null>(null);
  const [confirm, setConfirm] = useState<{ count: number } | null>(null);
  const showToast = useApp((s) => s.showToast);

  const view = async (topic: string) => {
    try {
      const r = await core().brokerRetainedPayload({ topic });
      if (!r) { showToast(`No retained message on ${topic} any more`, 'error'); refresh(); return; }
      setViewing({ topic, bytes: base64ToBytes(r.payloadB64) });
    } catch (e) { showToast(errorText(e), 'error'); }
  };
  const del = async (topic: string) => {
    try {
      await core().brokerRetainedDelete({ topic });
      if (viewing?.topic === topic) setViewing(null);
      refresh();
    } catch (e) { showToast(errorText(e), 'error'); }
  };
  const askClear = async () => {
    try { setConfirm(await core().brokerRetainedClear({ filter, dryRun: true })); } catch (e) { showToast(errorText(e), 'error'); }
  };
  const clear = async () => {
    setConfirm(null);
    try {
      const r = await core().brokerRetainedClear({ filter });
      showToast(`Deleted ${r.count} retained message${r.count === 1 ? '' : 's'}`);
      setViewing(null);
      refresh();
    } catch (e) { showToast(errorText(e), 'error'); }
  };

  const cols: Column<RetainedInfo>[] = [
    { key: 'topic', title: 'Topic', render: (r) => <span className="mono">{r.topic}</span> },
    { key: 'qos', title: 'QoS', render: (r) => r.qos },
    { key: 'size', title: 'Size', className: 'num', render: (r) => formatSize(r.size) },
    { key: 'props', title: 'Properties', render: (r) => (r.properties && Object.keys(r.properties).length ? <span className="mono small">{JSON.stringify(r.properties)}</span> : <span className="muted">—</span>) },
    { key: 'act', title: '', render: (r) => (
      <span className="row-actions">
        <button className="small" data-testid="retained-view" onClick={(e) => { e.stopPropagation(); void view(r.topic); }}>View</button>
        <button className="small danger" data-testid="retained-delete" onClick={(e) => { e.stopPropagation(); void del(r.topic); }}>Delete</button>
      </span>
    ) },
  ];

  const table = (
    <div className="panel">
      <div className="toolbar">
        <label className="inline">Filter <input className="mono" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="retained-filter" /></label>
        {problem ? <span className="ferror">{problem}</span> : <span className="muted small" data-testid="retained-count">{rows.length} retained</span>}
        <span className="grow" />
        <button className="danger" disabled={!!problem || rows.length === 0} onClick={() => void askClear()} data-testid="retained-clear">Clear all under filter…</button>
      </div>
      {error ? <div className="notice error">{error}</div> : null}
      <DataTable rows={rows} columns={cols} rowKey={(r) => r.topic} testId="broker-retained" empty="No retained messages under this filter."
        selectedKey={viewing?.topic} onSelect={(r) => void view(r.topic)} />
      {confirm ? (
        <Confirm title="Clear retained messages" confirmLabel={`Delete ${confirm.count}`} testId="confirm-clear-retained" onCancel={() => setConfirm(null)} onConfirm={() => void clear()}>
          This deletes <strong data-testid="confirm-clear-count">{confirm.count}</strong> retained message{confirm.count === 1 ? '' : 's'} matching <code>{filter}</code>. New subscribers will no longer receive them.
        </Confirm>
      ) : null}
    </div>
  );
  if (!viewing) return table;
  return (
    <SplitPane id="broker.retainedPayload" direction="column" initial={260} sizeSecond>
      {table}
      <div className="panel" data-testid="retained-payload">
        <div className="panel-head"><span className="grow mono keep-case">{viewing.topic}</span><button className="small" onClick={() => setViewing(null)}>Close</button></div>
        <PayloadView key={viewing.topic} bytes={viewing.bytes} testId="retained-payload-view" />
      </div>
    </SplitPane>
  );
}
