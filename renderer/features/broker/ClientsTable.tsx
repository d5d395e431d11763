// Clients connected to the embedded broker, with a Disconnect button per row.
import type { BrokerClientInfo } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { formatSize } from '../../app/bytes';
import { DataTable, type Column } from '../../ui/DataTable';
import { since, useBrokerTable } from './use-broker-table';

const version = (v: number) => (v === 5 ? '5.0' : v === 4 ? '3.1.1' : '3.1');

export function ClientsTable() {
  const { rows, error } = useBrokerTable('clients', () => core().brokerClients());
  const showToast = useApp((s) => s.showToast);
  const disconnect = async (id: string) => {
    try { await core().brokerDisconnectClient({ clientId: id }); } catch (e) { showToast(errorText(e), 'error'); }
  };
  const cols: Column<BrokerClientInfo>[] = [
    { key: 'id', title: 'Client id', render: (r) => <span className="mono">{r.clientId}</span> },
    { key: 'proto', title: 'Protocol', render: (r) => `MQTT ${version(r.protocolVersion)} / ${r.transport}` },
    { key: 'addr', title: 'Address', render: (r) => <span className="mono">{r.remote}</span> },
    { key: 'user', title: 'User', render: (r) => r.username ?? <span className="muted">—</span> },
    { key: 'ka', title: 'Keep alive', render: (r) => `${r.keepalive}s` },
    { key: 'clean', title: 'Clean / expiry', render: (r) => `${r.cleanStart ? 'clean' : 'resume'}${r.sessionExpiry !== undefined ? ` / ${r.sessionExpiry}s` : ''}` },
    { key: 'will', title: 'Will', render: (r) => (r.will ? <span className="mono" title={`QoS ${r.will.qos}${r.will.retain ? ', retained' : ''}, ${r.will.size} B`}>{r.will.topic}</span> : <span className="muted">—</span>) },
    { key: 'since', title: 'Connected', render: (r) => <span title={new Date(r.connectedAtMs).toLocaleString()}>{since(r.connectedAtMs)}</span> },
    { key: 'pk', title: 'Packets in/out', className: 'num', render: (r) => `${r.packetsIn.toLocaleString('en')} / ${r.packetsOut.toLocaleString('en')}` },
    { key: 'by', title: 'Bytes in/out', className: 'num', render: (r) => `${formatSize(r.bytesIn)} / ${formatSize(r.bytesOut)}` },
    { key: 'act', title: '', render: (r) => <button className="small danger" data-testid="client-disconnect" onClick={() => void disconnect(r.clientId)}>Disconnect</button> },
  ];
  return (
    <>
      {error ? <div className="notice error">{error}</div> : null}
      <DataTable rows={rows} columns={cols} rowKey={(r) => `${r.clientId}#${r.conn}`} testId="broker-clients" empty="No clients connected." />
    </>
  );
}
