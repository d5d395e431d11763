// Basic: name, where to connect, MQTT version, client id, credentials, keep alive, clean start.
import { useApp } from '../../app/store';
import { CheckField, NumberField, SelectField, Section, TextField } from '../../ui/fields';
import { profileUrl, type Scheme } from './profile';
import type { SectionProps } from './section-props';

export function BasicSection({ p, up, e }: SectionProps) {
  const secret = useApp((s) => s.hostInfo?.secretStorage);
  const brokerPort = useApp((s) => s.broker?.listeners.find((l) => l.kind === 'tcp')?.port);
  return (
    <Section title="Basic" testId="section-basic">
      <TextField label="Name" testId="profile-name" value={p.name} error={e.name} onChange={(name) => up((x) => ({ ...x, name }))} />
      {p.localBroker ? (
        <div className="frow"><span className="flabel">Broker</span>
          <span className="fcontrol muted" data-testid="profile-local-note">
            The embedded broker{brokerPort ? ` (mqtt://127.0.0.1:${brokerPort})` : ''}; it is started when you connect.
          </span>
        </div>
      ) : (
        <>
          <SelectField<Scheme> label="Protocol" testId="profile-scheme" value={p.scheme}
            options={[{ value: 'mqtt', label: 'mqtt:// (TCP)' }, { value: 'mqtts', label: 'mqtts:// (TLS)' }, { value: 'ws', label: 'ws:// (WebSocket)' }, { value: 'wss', label: 'wss:// (WebSocket + TLS)' }]}
            onChange={(scheme) => up((x) => ({ ...x, scheme, port: x.port === defaultPort(x.scheme) ? defaultPort(scheme) : x.port }))} />
          <TextField label="Host" testId="profile-host" value={p.host} error={e.host} onChange={(host) => up((x) => ({ ...x, host }))} />
          <NumberField label="Port" testId="profile-port" value={p.port} error={e.port} onChange={(port) => up((x) => ({ ...x, port: port ?? NaN }))} />
          {p.scheme === 'ws' || p.scheme === 'wss' ? (
            <TextField label="Path" testId="profile-ws-path" value={p.wsPath} error={e.wsPath} onChange={(wsPath) => up((x) => ({ ...x, wsPath }))} />
          ) : null}
          <div className="frow"><span className="flabel">URL</span><span className="fcontrol mono muted" data-testid="profile-url">{profileUrl(p)}</span></div>
        </>
      )}
      <SelectField<number> label="MQTT version" testId="profile-version" value={p.protocolVersion}
        options={[{ value: 5, label: 'MQTT 5.0' }, { value: 4, label: 'MQTT 3.1.1' }, { value: 3, label: 'MQTT 3.1' }]}
        onChange={(v) => up((x) => ({ ...x, protocolVersion: v as 3 | 4 | 5 }))} />
      <TextField label="Client id" testId="profile-client-id" value={p.clientId} error={e.clientId} placeholder="(random)" onChange={(clientId) => up((x) => ({ ...x, clientId }))} />
      <TextField label="Username" testId="profile-username" value={p.username} error={e.username} onChange={(username) => up((x) => ({ ...x, username }))} />
      <TextField label="Password" type="password" testId="profile-password" value={p.password} error={e.password}
        hint={secret === 'plain' ? <span className="warn" data-testid="password-plain-warning">Saved as plain text on this machine (no OS keychain available)</span>
          : secret === 'safeStorage' ? 'Encrypted with the OS keychain' : undefined}
        onChange={(password) => up((x) => ({ ...x, password }))} />
      <NumberField label="Keep alive (s)" testId="profile-keepalive" value={p.keepalive} error={e.keepalive} onChange={(v) => up((x) => ({ ...x, keepalive: v ?? NaN }))} />
      <NumberField label="Connect timeout (ms)" testId="profile-timeout" value={p.connectTimeoutMs} error={e.connectTimeoutMs} onChange={(v) => up((x) => ({ ...x, connectTimeoutMs: v ?? NaN }))} />
      <CheckField label={p.protocolVersion === 5 ? 'Clean start' : 'Clean session'} testId="profile-clean" checked={p.clean} onChange={(clean) => up((x) => ({ ...x, clean }))} />
    </Section>
  );
}

function defaultPort(s: Scheme): number {
  return s === 'mqtt' ? 1883 : s === 'mqtts' ? 8883 : s === 'ws' ? 8083 : 8084;
}
