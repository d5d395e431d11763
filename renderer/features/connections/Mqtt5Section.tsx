// MQTT 5 CONNECT properties.
import { KeyValueEditor } from '../../ui/KeyValueEditor';
import { CheckField, NumberField, Section, TextField } from '../../ui/fields';
import type { Profile } from './profile';
import type { SectionProps } from './section-props';

export function Mqtt5Section({ p, up, e }: SectionProps) {
  const props = (patch: Partial<Profile['props']>) => up((x) => ({ ...x, props: { ...x.props, ...patch } }));
  if (p.protocolVersion !== 5) {
    return <Section title="MQTT 5" testId="section-mqtt5" defaultOpen={false}><p className="muted small">Choose MQTT 5.0 in Basic to set these.</p></Section>;
  }
  return (
    <Section title="MQTT 5" testId="section-mqtt5" defaultOpen={false}>
      <NumberField optional label="Session expiry (s)" testId="profile-session-expiry" value={p.props.sessionExpiryInterval} error={e['props.sessionExpiryInterval']} placeholder="0 (ends with the connection)" onChange={(v) => props({ sessionExpiryInterval: v })} />
      <NumberField optional label="Receive maximum" testId="profile-receive-max" value={p.props.receiveMaximum} error={e['props.receiveMaximum']} placeholder="65535" onChange={(v) => props({ receiveMaximum: v })} />
      <NumberField optional label="Maximum packet size" testId="profile-max-packet" value={p.props.maximumPacketSize} error={e['props.maximumPacketSize']} placeholder="(no limit)" onChange={(v) => props({ maximumPacketSize: v })} />
      <NumberField optional label="Topic alias maximum" testId="profile-alias-max" value={p.props.topicAliasMaximum} error={e['props.topicAliasMaximum']} placeholder="0" onChange={(v) => props({ topicAliasMaximum: v })} />
      <CheckField label="Request response information" testId="profile-req-response" checked={p.props.requestResponseInformation} onChange={(v) => props({ requestResponseInformation: v })} />
      <CheckField label="Request problem information" testId="profile-req-problem" checked={p.props.requestProblemInformation} onChange={(v) => props({ requestProblemInformation: v })} />
      <KeyValueEditor testId="profile-user-props" value={p.props.userProperties} onChange={(userProperties) => props({ userProperties })} />
      {e['props.userProperties'] ? <span className="ferror" data-testid="profile-user-props-error">{e['props.userProperties']}</span> : null}
      <TextField label="Auth method" testId="profile-auth-method" value={p.props.authenticationMethod} error={e['props.authenticationMethod']} onChange={(v) => props({ authenticationMethod: v })} />
      <TextField label="Auth data (text)" testId="profile-auth-data" value={p.props.authenticationData} onChange={(v) => props({ authenticationData: v })} />
    </Section>
  );
}
