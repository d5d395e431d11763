// Clients connected to the embedded broker, with Faults… and Disconnect buttons per row and the active faults shown.
import { useEffect, useState } from 'react';
import type { BrokerClientInfo } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { formatSize } from '../../app/bytes';
import { DataTable, type Column } from '../../ui/DataTable';
import { since, useBrokerTable } from './use-broker-table';
import { FaultsDialog } from '../provoke/FaultsDialog';
import { faultWords } from '../provoke/fault-words';

const version = (v: number) => (v === 5 ? '5.0' : v === 4 ? '3.1.1' : '3.1');

export function ClientsTable() {
  const { rows, error, refresh } = useBrokerTable('clients', () => core().brokerClients());
  // Packet and byte counters move without membership changes: refresh them every 2 s while shown.
  useEffect(() => { const t = setInterval(refresh, 2000); return () => clearInterval(t); }, []);
  const showToast = useApp((s) => s.showToast);
  const [faultsFor, setFaultsFor] = useState<string | null>(null);
  const disconnect = async (id: string) => {
    try { await core().brokerDisconnectClient({ clientId: id }); } catch (e) { showToast(errorText(e), 'error'); }
  };
  const cols: Column<BrokerClientInfo>[] = [
    { key: 'id', title: 'Client id', className: 'clip', render: (r) => <span className="mono" title={r.username ? `user ${r.username}` : undefined}>{r.clientId}{r.username ? <span className="muted"> ({r.username})</span> : null}</span> },
    { key: 'proto', title: 'Protocol', render: (r) => `${version(r.protocolVersion)} ${r.transport}` },
    { key: 'addr', title: 'Address', render: (r) => <span className="mono">{r.remote}</span> },
    { key: 'session', title: 'Keep alive · session', render: (r) => `${r.keepalive}s · ${r.cleanStart ? 'clean' : 'resume'}${r.sessionExpiry !== undefined ? `, expires ${r.sessionExpiry}s` : ''}` },
    { key: 'will', title: 'Will', className: 'clip', render: (r) => (r.will ? <span className="mono" title={`QoS ${r.will.qos}${r.will.retain ? ', retained' : ''}, ${r.will.size} B`}>{r.will.topic}</span> : <span className="muted">—</span>) },
    { key: 'since', title: 'Connected', render: (r) => <span title={new Date(r.connectedAtMs).toLocaleString()}>{since(r.connectedAtMs)}</span> },
    { key: 'pk', title: 'Packets in/out', className: 'num', render: (r) => `${r.packetsIn.toLocaleString('en')} / ${r.packetsOut.toLocaleString('en')}` },
    { key: 'drop', title: 'Dropped QoS 0', className: 'num', render: (r) => (r.droppedQoS0 ? <span className="warn" data-testid="client-dropped" title="QoS 0 messages dropped: this client did not read fast enough and its output queue was full">{r.droppedQoS0.toLocaleString('en')}</span> : '0') },
    { key: 'by', title: 'Bytes in/out', className: 'num', render: (r) => `${formatSize(r.bytesIn)} / ${formatSize(r.bytesOut)}` },
    { key: 'faults', title: 'Faults', render: (r) => (faultWords(r.faults).length ? <span className="badge fault-badge" data-testid="client-faults">{faultWords(r.faults).join(' · ')}</span> : <span className="muted">—</span>) },
    { key: 'act', title: '', render: (r) => (
      <span className="row-actions">
        <button className="small" data-testid="client-faults-open" onClick={() => setFaultsFor(r.clientId)}>Faults…</button>
        <button className="small danger" data-testid="client-disconnect" onClick={() => void disconnect(r.clientId)}>Disconnect</button>
      </span>
    ) },
  ];
  return (
    <>
      {error ? <div className="notice error">{error}</div> : null}
      <DataTable rows={rows} columns={cols} rowKey={(r) => `${r.clientId}#${r.conn}`} testId="broker-clients" empty="No clients connected." />
      {faultsFor ? <FaultsDialog clientId={faultsFor} faults={rows.find((r) => r.clientId === faultsFor)?.faults} onClose={() => { setFaultsFor(null); refresh(); }} /> : null}
    </>
  );
}
