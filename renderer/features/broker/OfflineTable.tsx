// Persistent sessions whose client is not connected, with what is queued for them.
import type { OfflineSessionInfo } from '../../../shared/contract/types';
import { core } from '../../app/core';
import { DataTable, type Column } from '../../ui/DataTable';
import { useBrokerTable } from './use-broker-table';

export function OfflineTable() {
  const { rows, error } = useBrokerTable('offline', () => core().brokerOfflineSessions());
  const cols: Column<OfflineSessionInfo>[] = [
    { key: 'client', title: 'Client id', render: (r) => <span className="mono">{r.clientId}</span> },
    { key: 'subs', title: 'Subscriptions', render: (r) => <span className="mono">{r.subscriptions.map((s) => `${s.topic} (QoS ${s.qos})`).join(', ') || '—'}</span> },
    { key: 'queued', title: 'Queued messages', className: 'num', render: (r) => r.queued.toLocaleString('en') },
    { key: 'dropped', title: 'Dropped (queue full)', className: 'num', render: (r) => r.dropped.toLocaleString('en') },
  ];
  return (
    <>
      {error ? <div className="notice error">{error}</div> : null}
      <DataTable rows={rows} columns={cols} rowKey={(r) => r.clientId} testId="broker-offline" empty="No offline sessions." />
    </>
  );
}
