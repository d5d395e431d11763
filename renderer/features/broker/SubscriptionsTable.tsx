// Every subscription the broker holds, online or not.
import type { BrokerSubscriptionInfo } from '../../../shared/contract/types';
import { core } from '../../app/core';
import { DataTable, type Column } from '../../ui/DataTable';
import { useBrokerTable } from './use-broker-table';

export function SubscriptionsTable() {
  const { rows, error } = useBrokerTable('subscriptions', () => core().brokerSubscriptions());
  const cols: Column<BrokerSubscriptionInfo>[] = [
    { key: 'client', title: 'Client id', render: (r) => <span className="mono">{r.clientId}</span> },
    { key: 'topic', title: 'Filter', render: (r) => <span className="mono">{r.topic}</span> },
    { key: 'qos', title: 'QoS', render: (r) => r.qos },
    { key: 'opts', title: 'Options', render: (r) => [r.noLocal ? 'no local' : '', r.retainAsPublished ? 'retain as published' : '', r.retainHandling ? `retain handling ${r.retainHandling}` : ''].filter(Boolean).join(', ') || <span className="muted">—</span> },
    { key: 'online', title: 'Client', render: (r) => (r.online ? 'online' : <span className="muted">offline</span>) },
  ];
  return (
    <>
      {error ? <div className="notice error">{error}</div> : null}
      <DataTable rows={rows} columns={cols} rowKey={(r) => `${r.clientId}\u0000${r.topic}`} testId="broker-subscriptions" empty="No subscriptions." />
    </>
  );
}
