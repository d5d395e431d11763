// The session's subscriptions with their colour (click the swatch to change it) and Unsubscribe.
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';

export function SubscriptionList({ sessionId }: { sessionId: string }) {
  const subs = useApp((s) => s.sessions[sessionId]?.subscriptions ?? []);
  useApp((s) => s.subColours);
  const { colourFor, setSubColour, showToast } = useApp.getState();
  const unsubscribe = async (topic: string) => {
    try {
      const ack = await core().sessionUnsubscribe({ id: sessionId, topics: [topic] });
      const code = ack.reasonCodes[0] ?? 0;
      if (code >= 0x80) showToast(`Broker refused to unsubscribe ${topic}: ${ack.reasons[0]}`, 'error');
    } catch (e) { showToast(errorText(e), 'error'); }
  };
  return (
    <ul className="list compact sub-list" data-testid="sub-list">
      {subs.length === 0 ? <li className="muted">No subscriptions yet.</li> : null}
      {subs.map((s) => (
        <li key={s.topic} data-testid="sub-item" data-topic={s.topic}>
          <input type="color" className="swatch" value={colourFor(sessionId, s.topic)} onChange={(e) => setSubColour(sessionId, s.topic, e.target.value)} title="Change colour" />
          <span className="item-title mono grow">{s.topic}</span>
          <span className="muted small">QoS {s.qos}{s.noLocal ? ' · NL' : ''}{s.retainAsPublished ? ' · RAP' : ''}{s.retainHandling ? ` · RH${s.retainHandling}` : ''}{s.subscriptionIdentifier ? ` · id ${s.subscriptionIdentifier}` : ''}</span>
          <button className="icon" title="Unsubscribe" onClick={() => void unsubscribe(s.topic)} data-testid="sub-unsubscribe">✕</button>
        </li>
      ))}
    </ul>
  );
}
