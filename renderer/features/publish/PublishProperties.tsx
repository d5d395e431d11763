// MQTT 5 PUBLISH properties.
import type { PublishProperties as Props } from '../../../shared/contract/types';
import { KeyValueEditor } from '../../ui/KeyValueEditor';
import { CheckField, NumberField, TextField } from '../../ui/fields';
import type { PublishDraft } from './publish-state';

interface P { props: PublishDraft['props']; onChange(p: PublishDraft['props']): void; errors: Record<string, string> }

export function PublishProperties({ props, onChange, errors }: P) {
  const set = (patch: Partial<Props & { correlationText?: string }>) => onChange({ ...props, ...patch });
  return (
    <div className="publish-props" data-testid="publish-props">
      <NumberField optional label="Message expiry (s)" testId="pub-expiry" value={props.messageExpiryInterval} error={errors.messageExpiryInterval} onChange={(v) => set({ messageExpiryInterval: v })} />
      <TextField label="Content type" testId="pub-content-type" value={props.contentType ?? ''} onChange={(v) => set({ contentType: v || undefined })} />
      <CheckField label="Payload is UTF-8 (format indicator)" testId="pub-format-indicator" checked={!!props.payloadFormatIndicator} onChange={(v) => set({ payloadFormatIndicator: v || undefined })} />
      <TextField label="Response topic" testId="pub-response-topic" value={props.responseTopic ?? ''} error={errors.responseTopic} onChange={(v) => set({ responseTopic: v || undefined })} />
      <TextField label="Correlation data (text)" testId="pub-correlation" value={props.correlationText ?? ''} onChange={(v) => set({ correlationText: v || undefined })} />
      <NumberField optional label="Topic alias" testId="pub-topic-alias" value={props.topicAlias} error={errors.topicAlias} onChange={(v) => set({ topicAlias: v })} />
      <TextField label="Subscription ids" testId="pub-sub-ids" value={(props.subscriptionIdentifiers ?? []).join(', ')} error={errors.subscriptionIdentifiers}
        placeholder="comma separated (normally set by brokers)"
        onChange={(v) => set({ subscriptionIdentifiers: v.trim() ? v.split(',').map((s) => Number(s.trim())) : undefined })} />
      <KeyValueEditor testId="pub-user-props" value={props.userProperties ?? []} onChange={(v) => set({ userProperties: v.length ? v : undefined })} />
      {errors.userProperties ? <span className="ferror">{errors.userProperties}</span> : null}
    </div>
  );
}
