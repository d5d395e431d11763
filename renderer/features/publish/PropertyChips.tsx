// The MQTT 5 properties the next message will carry, as chips next to Publish: each removable, all
// cleared after a message is sent unless pinned (so a content type set once does not ride along forever).
import type { PublishDraft } from './publish-state';

type Props = PublishDraft['props'];

function chips(p: Props): { key: keyof Props; label: string }[] {
  const out: { key: keyof Props; label: string }[] = [];
  if (p.contentType) out.push({ key: 'contentType', label: `content-type: ${p.contentType}` });
  if (p.payloadFormatIndicator) out.push({ key: 'payloadFormatIndicator', label: 'payload: UTF-8' });
  if (p.messageExpiryInterval !== undefined) out.push({ key: 'messageExpiryInterval', label: `expires in ${p.messageExpiryInterval} s` });
  if (p.responseTopic) out.push({ key: 'responseTopic', label: `response: ${p.responseTopic}` });
  if (p.correlationText) out.push({ key: 'correlationText', label: `correlation: ${p.correlationText}` });
  if (p.topicAlias !== undefined) out.push({ key: 'topicAlias', label: `alias ${p.topicAlias}` });
  if (p.subscriptionIdentifiers?.length) out.push({ key: 'subscriptionIdentifiers', label: `sub ids ${p.subscriptionIdentifiers.join(',')}` });
  if (p.userProperties?.length) out.push({ key: 'userProperties', label: p.userProperties.map((u) => `${u.key}=${u.value}`).join(', ') });
  return out;
}

export function PropertyChips({ props, pinned, onChange, onPin }: { props: Props; pinned: boolean; onChange(p: Props): void; onPin(v: boolean): void }) {
  const list = chips(props);
  if (!list.length) return null;
  return (
    <span className="prop-chips" data-testid="pub-prop-chips">
      {list.map((c) => (
        <span key={c.key} className="chip" data-testid="pub-prop-chip" data-key={c.key} title={c.label}>
          <span className="ellipsis" style={{ maxWidth: 160 }}>{c.label}</span>
          <button className="icon" onClick={() => { const next = { ...props }; delete next[c.key]; onChange(next); }} aria-label={`Remove ${c.key}`} title="Remove">×</button>
        </span>
      ))}
      <label className="small muted" title="Keep these properties for the following messages too">
        <input type="checkbox" checked={pinned} onChange={(e) => onPin(e.target.checked)} data-testid="pub-props-pin" /> keep
      </label>
    </span>
  );
}
