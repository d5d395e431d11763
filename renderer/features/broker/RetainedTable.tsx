// Retained messages under a filter: view a payload, delete one, or clear all under the filter after a
// confirmation that says how many will go.
import { useEffect, useState } from 'react';
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
import { PropertyChipList } from './retained-props';

export function RetainedTable() {
  const [filter, setFilter] = useState('#');
  const problem = topicFilterProblem(filter);
  const { rows, error, refresh } = useBrokerTable('retained', () => (problem ? Promise.resolve([]) : core().brokerRetained({ filter })), [filter]);
  const [viewing, setViewing] = useState<{ topic: string; bytes: Uint8Array } | null>(null);
  const [confirm, setConfirm] = useState<{ count: number } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<RetainedInfo | null>(null);
  const [undo, setUndo] = useState<{ info: RetainedInfo; payloadB64: string } | null>(null);
  const [previews, setPreviews] = useState<Record<string, string>>({});
  const showToast = useApp((s) => s.showToast);
  const topicsKey = rows.map((r) => `${r.topic}:${r.size}`).join('\n');
  useEffect(() => {
    const topics = rows.slice(0, 500).map((r) => r.topic);
    if (!topics.length) return;
    core().retainedPreview({ topics }).then(
      (list) => setPreviews(Object.fromEntries(list.map((p) => [p.topic, p.preview ? p.preview.text : '']))),
      () => {},
    );
  }, [topicsKey]);

  const view = async (topic: string) => {
    try {
      const r = await core().brokerRetainedPayload({ topic });
      if (!r) { showToast(`No retained message on ${topic} any more`, 'error'); refresh(); return; }
      setViewing({ topic, bytes: base64ToBytes(r.payloadB64) });
    } catch (e) { showToast(errorText(e), 'error'); }
  };
  const del = async (info: RetainedInfo) => {
    setConfirmDelete(null);
    try {
      // Keep what is deleted so Undo can publish it again.
      const saved = await core().brokerRetainedPayload({ topic: info.topic });
      await core().brokerRetainedDelete({ topic: info.topic });
      if (saved) setUndo({ info, payloadB64: saved.payloadB64 });
      if (viewing?.topic === info.topic) setViewing(null);
      refresh();
    } catch (e) { showToast(errorText(e), 'error'); }
  };
  const restore = async () => {
    if (!undo) return;
    try {
      await core().retainedRestore({ topic: undo.info.topic, payloadB64: undo.payloadB64, qos: Math.min(2, undo.info.qos) as 0 | 1 | 2, properties: undo.info.properties });
      showToast(`Retained message on ${undo.info.topic} published again`);
      setUndo(null);
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
    { key: 'preview', title: 'Payload', className: 'retained-preview', render: (r) => <span className="mono small ellipsis" data-testid="retained-preview" title={previews[r.topic]}>{previews[r.topic] ?? ''}</span> },
    { key: 'props', title: 'Properties', className: 'retained-props', render: (r) => <PropertyChipList props={r.properties} /> },
    { key: 'act', title: '', className: 'retained-actions', render: (r) => (
      <span className="row-actions">
        <button className="small" data-testid="retained-view" onClick={(e) => { e.stopPropagation(); void view(r.topic); }}>View</button>
        <button className="small danger" data-testid="retained-delete" onClick={(e) => { e.stopPropagation(); setConfirmDelete(r); }}>Delete</button>
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
      {undo ? (
        <div className="notice" data-testid="retained-undo-bar">
          Deleted the retained message on <span className="mono">{undo.info.topic}</span>.{' '}
          <button className="link" onClick={() => void restore()} data-testid="retained-undo">Undo (publish it again)</button>{' '}
          <button className="icon" onClick={() => setUndo(null)} aria-label="Dismiss">×</button>
        </div>
      ) : null}
      <DataTable rows={rows} columns={cols} rowKey={(r) => r.topic} testId="broker-retained" empty="No retained messages under this filter."
        selectedKey={viewing?.topic} onSelect={(r) => void view(r.topic)} />
      {confirmDelete ? (
        <Confirm title="Delete retained message" confirmLabel="Delete" testId="confirm-delete-retained" onCancel={() => setConfirmDelete(null)} onConfirm={() => void del(confirmDelete)}>
          Delete the retained message on <code>{confirmDelete.topic}</code> ({formatSize(confirmDelete.size)})? New subscribers will no longer receive it. You can undo this right after.
        </Confirm>
      ) : null}
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
