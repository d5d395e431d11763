// Automatic reconnect with back-off.
import { CheckField, NumberField, Section } from '../../ui/fields';
import type { Profile } from './profile';
import type { SectionProps } from './section-props';

export function ReconnectSection({ p, up, e }: SectionProps) {
  const rc = (patch: Partial<Profile['reconnect']>) => up((x) => ({ ...x, reconnect: { ...x.reconnect, ...patch } }));
  const r = p.reconnect;
  return (
    <Section title="Reconnect" testId="section-reconnect" defaultOpen={false}>
      <CheckField label="Reconnect automatically when the connection drops" testId="profile-reconnect" checked={r.enabled} onChange={(enabled) => rc({ enabled })} />
      {r.enabled ? (
        <>
          <NumberField label="First retry after (ms)" testId="profile-reconnect-initial" value={r.initialDelayMs} error={e['reconnect.initialDelayMs']} onChange={(v) => rc({ initialDelayMs: v ?? NaN })} />
          <NumberField label="Longest wait (ms)" testId="profile-reconnect-max" value={r.maxDelayMs} error={e['reconnect.maxDelayMs']} onChange={(v) => rc({ maxDelayMs: v ?? NaN })} />
          <NumberField label="Give up after (tries, 0 = never)" testId="profile-reconnect-tries" value={r.maxTries} error={e['reconnect.maxTries']} onChange={(v) => rc({ maxTries: v ?? NaN })} />
        </>
      ) : null}
    </Section>
  );
}
