// Broker view: controls and settings on the left, live tables on the right.
import { useState } from 'react';
import { useApp } from '../../app/store';
import { SplitPane } from '../../ui/SplitPane';
import { BrokerControls } from './BrokerControls';
import { ClientsTable } from './ClientsTable';
import { OfflineTable } from './OfflineTable';
import { RetainedTable } from './RetainedTable';
import { SubscriptionsTable } from './SubscriptionsTable';

type Tab = 'clients' | 'subscriptions' | 'retained' | 'offline';
const TABS: { id: Tab; label: string }[] = [
  { id: 'clients', label: 'Clients' },
  { id: 'subscriptions', label: 'Subscriptions' },
  { id: 'retained', label: 'Retained' },
  { id: 'offline', label: 'Offline sessions' },
];

export function BrokerView() {
  const [tab, setTab] = useState<Tab>('clients');
  const running = useApp((s) => s.broker?.state === 'running');
  return (
    <div className="view" data-testid="view-broker">
      <SplitPane id="broker.left" direction="row" initial={310}>
        <div className="panel scroll"><BrokerControls /></div>
        <div className="panel">
          <div className="tabs">
            {TABS.map((t) => (
              <button key={t.id} className={tab === t.id ? 'tab active' : 'tab'} onClick={() => setTab(t.id)} data-testid={`broker-tab-${t.id}`}>{t.label}</button>
            ))}
          </div>
          {!running ? <p className="pad muted" data-testid="broker-not-running">The broker is not running. Start it on the left to see its clients, subscriptions and retained messages.</p> : (
            <div className="tab-body">
              {tab === 'clients' ? <ClientsTable /> : null}
              {tab === 'subscriptions' ? <SubscriptionsTable /> : null}
              {tab === 'retained' ? <RetainedTable /> : null}
              {tab === 'offline' ? <OfflineTable /> : null}
            </div>
          )}
        </div>
      </SplitPane>
    </div>
  );
}
