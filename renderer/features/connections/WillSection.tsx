// Last will: the message the broker publishes if this connection dies without DISCONNECT.
import { CheckField, NumberField, SelectField, Section, TextField } from '../../ui/fields';
import type { Profile } from './profile';
import type { SectionProps } from './section-props';

export function WillSection({ p, up, e }: SectionProps) {
  const will = (patch: Partial<Profile['will']>) => up((x) => ({ ...x, will: { ...x.will, ...patch } }));
  const w = p.will;
  return (
    <Section title="Last will" testId="section-will" defaultOpen={w.enabled}>
      <CheckField label="Send a last will" testId="profile-will-enabled" checked={w.enabled} onChange={(enabled) => will({ enabled })} />
      {w.enabled ? (
        <>
          <TextField label="Topic" testId="profile-will-topic" value={w.topic} error={e['will.topic']} onChange={(topic) => will({ topic })} />
          <TextField label="Payload (text)" testId="profile-will-payload" value={w.payload} onChange={(payload) => will({ payload })} />
          <SelectField<number> label="QoS" testId="profile-will-qos" value={w.qos} options={[0, 1, 2].map((q) => ({ value: q, label: `QoS ${q}` }))} onChange={(q) => will({ qos: q as 0 | 1 | 2 })} />
          <CheckField label="Retain" testId="profile-will-retain" checked={w.retain} onChange={(retain) => will({ retain })} />
          {p.protocolVersion === 5 ? (
            <>
              <NumberField optional label="Will delay (s)" testId="profile-will-delay" value={w.delayInterval} error={e['will.willDelayInterval']} onChange={(delayInterval) => will({ delayInterval })} />
              <NumberField optional label="Message expiry (s)" testId="profile-will-expiry" value={w.messageExpiryInterval} error={e['will.messageExpiryInterval']} onChange={(messageExpiryInterval) => will({ messageExpiryInterval })} />
              <TextField label="Content type" testId="profile-will-content-type" value={w.contentType} onChange={(contentType) => will({ contentType })} />
            </>
          ) : null}
        </>
      ) : null}
    </Section>
  );
}
