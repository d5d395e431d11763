// TLS: CA, client certificate and key, verification, SNI, ALPN. Only for mqtts:// and wss://.
import { CheckField, Section, TextField } from '../../ui/fields';
import { isTls, type Profile } from './profile';
import type { SectionProps } from './section-props';

export function TlsSection({ p, up, e }: SectionProps) {
  if (p.localBroker) return null;
  const tls = (patch: Partial<Profile['tls']>) => up((x) => ({ ...x, tls: { ...x.tls, ...patch } }));
  return (
    <Section title="TLS" testId="section-tls" defaultOpen={isTls(p)}>
      {!isTls(p) ? <p className="muted small">TLS applies when the protocol is mqtts:// or wss://.</p> : null}
      <CheckField label="Verify the server with a CA file" testId="profile-tls-use-ca" checked={p.tls.useCa} onChange={(useCa) => tls({ useCa })} />
      {p.tls.useCa ? (
        <TextField label="CA file" testId="profile-tls-ca" mono value={p.tls.caPath} error={e['tls.caPath']} placeholder="/path/to/ca.pem" onChange={(caPath) => tls({ caPath })} />
      ) : null}
      <TextField label="Client certificate" testId="profile-tls-cert" mono value={p.tls.certPath} error={e['tls.certPath']} placeholder="(none)" onChange={(certPath) => tls({ certPath })} />
      <TextField label="Client key" testId="profile-tls-key" mono value={p.tls.keyPath} error={e['tls.keyPath']} placeholder="(none)" onChange={(keyPath) => tls({ keyPath })} />
      <CheckField label="Reject servers whose certificate does not verify" testId="profile-tls-reject" checked={p.tls.rejectUnauthorized}
        hint={!p.tls.rejectUnauthorized ? <span className="warn">Any certificate will be accepted</span> : undefined}
        onChange={(rejectUnauthorized) => tls({ rejectUnauthorized })} />
      <TextField label="Server name (SNI)" testId="profile-tls-servername" value={p.tls.servername} placeholder="(host)" onChange={(servername) => tls({ servername })} />
      <TextField label="ALPN protocols" testId="profile-tls-alpn" value={p.tls.alpn} placeholder="comma separated, e.g. mqtt" onChange={(alpn) => tls({ alpn })} />
    </Section>
  );
}
