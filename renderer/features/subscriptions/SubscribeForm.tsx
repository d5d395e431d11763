// Subscribe with every option: filter, QoS and, for MQTT 5, no local, retain as published, retain
// handling, subscription identifier and user properties. The result (granted QoS or refusal) in words.
import { useState } from 'react';
import type { SubscriptionRequest, UserProperty } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { topicFilterProblem } from '../../app/mqtt-topic';
import { useApp } from '../../app/store';
import { KeyValueEditor } from '../../ui/KeyValueEditor';

export function SubscribeForm({ sessionId }: { sessionId: string }) {
  const session = useApp((s) => s.sessions[sessionId]);
  const { colourFor, setSubColour } = useApp.getState();
  const [topic, setTopic] = useState('');
  const [qos, setQos] = useState<0 | 1 | 2>(0);
  const [more, setMore] = useState(false);
  const [noLocal, setNoLocal] = useState(false);
  const [rap, setRap] = useState(false);
  const [rh, setRh] = useState<0 | 1 | 2>(0);
  const [subId, setSubId] = useState('');
  const [props, setProps] = useState<UserProperty[]>([]);
  const [colour, setColour] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const v5 = session?.options.protocolVersion === 5;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const problem = topicFilterProblem(topic);
    if (problem) { setError(problem); return; }
    const id = subId.trim() ? Number(subId) : undefined;
    if (id !== undefined && !(Number.isInteger(id) && id >= 1 && id <= 268435455)) { setError('Subscription id must be 1–268435455'); return; }
    if (props.some((p) => !p.key)) { setError('Every user property needs a key'); return; }
    setError(null);
    const req: SubscriptionRequest = { topic, qos };
    if (v5) Object.assign(req, { noLocal: noLocal || undefined, retainAsPublished: rap || undefined, retainHandling: rh || undefined, subscriptionIdentifier: id, userProperties: props.length ? props : undefined });
    setSubColour(sessionId, topic, colour ?? colourFor(sessionId, topic));
    try {
      const ack = await core().sessionSubscribe({ id: sessionId, subscriptions: [JSON.parse(JSON.stringify(req))] });
      const code = ack.reasonCodes[0] ?? 0;
      setResult(code < 0x80 ? `Subscribed to ${topic} — broker granted QoS ${code}` : `Broker refused ${topic}: ${ack.reasons[0] ?? ''} (0x${code.toString(16)})`);
      if (code < 0x80) { setTopic(''); setColour(null); }
    } catch (err) { setResult(`Could not subscribe: ${errorText(err)}`); }
  };

  return (
    <form className="subscribe-form" onSubmit={submit} data-testid="subscribe-form">
      <div className="sub-line">
        <input type="color" value={colour ?? colourFor(sessionId, topic || '\u0001new')} onChange={(e) => setColour(e.target.value)} title="Colour for this subscription" data-testid="sub-colour" />
        <input className="mono grow" placeholder="Topic filter, e.g. sensors/#" value={topic} onChange={(e) => { setTopic(e.target.value); setError(null); }} data-testid="sub-topic" />
      </div>
      <div className="sub-line">
        <select value={qos} onChange={(e) => setQos(Number(e.target.value) as 0 | 1 | 2)} data-testid="sub-qos" title="Maximum QoS">
          <option value={0}>QoS 0</option><option value={1}>QoS 1</option><option value={2}>QoS 2</option>
        </select>
        {v5 ? <button type="button" className="link small" onClick={() => setMore(!more)} data-testid="sub-more">{more ? '▾' : '▸'} MQTT 5 options</button> : null}
        <span className="grow" />
        <button type="submit" className="primary small" disabled={session?.state !== 'connected'} data-testid="sub-submit">Subscribe</button>
      </div>
      {v5 && more ? (
        <div className="sub-options">
          <label className="checkline"><input type="checkbox" checked={noLocal} onChange={(e) => setNoLocal(e.target.checked)} data-testid="sub-no-local" /> No local (skip my own publishes)</label>
          <label className="checkline"><input type="checkbox" checked={rap} onChange={(e) => setRap(e.target.checked)} data-testid="sub-rap" /> Retain as published</label>
          <label className="stacked">Retained messages on subscribe
            <select value={rh} onChange={(e) => setRh(Number(e.target.value) as 0 | 1 | 2)} data-testid="sub-rh">
              <option value={0}>send them</option><option value={1}>send only for a new subscription</option><option value={2}>do not send</option>
            </select>
          </label>
          <label className="stacked">Subscription identifier <input value={subId} onChange={(e) => setSubId(e.target.value)} placeholder="(none)" data-testid="sub-id" /></label>
          <KeyValueEditor testId="sub-user-props" value={props} onChange={setProps} />
        </div>
      ) : null}
      {error ? <div className="ferror" data-testid="sub-error">{error}</div> : null}
      {result ? <div className="small muted" data-testid="sub-result">{result}</div> : null}
    </form>
  );
}
