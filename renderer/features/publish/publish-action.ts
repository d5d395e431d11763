// Validates the draft, sends it through the session and records it in history. Returns plain words.
import type { PublishProperties, PublishRequest } from '../../../shared/contract/types';
import { base64ToBytes, bytesToBase64, utf8Encode } from '../../app/bytes';
import { core, errorText } from '../../app/core';
import { topicNameProblem } from '../../app/mqtt-topic';
import { useApp } from '../../app/store';
import { encodePayload } from './payload-encode';
import { usePublish, type PublishDraft } from './publish-state';

export type PublishErrors = Record<string, string>;

export function checkDraft(d: PublishDraft, v5: boolean): PublishErrors {
  const e: PublishErrors = {};
  const t = topicNameProblem(d.topic);
  // MQTT 5 allows an empty topic when a topic alias is given.
  if (t && !(v5 && d.topic === '' && d.props.topicAlias)) e.topic = t;
  if (v5) {
    const p = d.props;
    if (p.messageExpiryInterval !== undefined && !(Number.isInteger(p.messageExpiryInterval) && p.messageExpiryInterval >= 0 && p.messageExpiryInterval <= 0xffffffff)) e.messageExpiryInterval = 'Message expiry must be 0–4294967295 seconds';
    if (p.topicAlias !== undefined && !(Number.isInteger(p.topicAlias) && p.topicAlias >= 1 && p.topicAlias <= 65535)) e.topicAlias = 'Topic alias must be 1–65535';
    if (p.responseTopic) { const r = topicNameProblem(p.responseTopic); if (r) e.responseTopic = r; }
    if (p.subscriptionIdentifiers?.some((n) => !Number.isInteger(n) || n < 1 || n > 268435455)) e.subscriptionIdentifiers = 'Subscription ids are whole numbers 1–268435455';
    if (p.userProperties?.some((u) => !u.key)) e.userProperties = 'Every user property needs a key';
  }
  return e;
}

function toRequest(d: PublishDraft, bytes: Uint8Array, v5: boolean): PublishRequest {
  const req: PublishRequest = { topic: d.topic, payloadB64: bytesToBase64(bytes), qos: d.qos, retain: d.retain };
  if (v5) {
    const { correlationText, ...rest } = d.props;
    const props: PublishProperties = { ...rest };
    if (correlationText) props.correlationDataB64 = bytesToBase64(utf8Encode(correlationText));
    const clean = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined && v !== ''));
    if (Object.keys(clean).length) req.properties = clean as PublishProperties;
  }
  return req;
}

export interface PublishOutcome { ok: boolean; text: string; errors: PublishErrors }

export interface PublishOptions {
  /** Variables already expanded (repeated publishes). */
  override?: { topic: string; text: string };
  /** Repeated publishes are not each written to the history. */
  noHistory?: boolean;
}

export async function publishDraft(sessionId: string, opts: PublishOptions = {}): Promise<PublishOutcome> {
  const session = useApp.getState().sessions[sessionId];
  if (!session) return { ok: false, text: 'No connection selected', errors: {} };
  const v5 = session.options.protocolVersion === 5;
  const { file, record } = usePublish.getState();
  const draft = opts.override ? { ...usePublish.getState().draft, ...opts.override } : usePublish.getState().draft;
  const errors = checkDraft(draft, v5);
  let enc = encodePayload(draft.mode, draft.text, file?.bytes ?? null);
  if (draft.mode === 'codec' && !errors.topic) {
    try {
      enc = { ok: true, bytes: base64ToBytes((await core().payloadEncode({ topic: draft.topic, text: draft.text })).payloadB64) };
    } catch (e) {
      enc = { ok: false, error: `The topic's codec could not encode this: ${errorText(e)}` };
    }
  }
  if (!enc.ok) errors.payload = enc.error;
  if (Object.keys(errors).length || !enc.ok) return { ok: false, text: 'Not sent — fix the fields marked in red', errors };
  if (session.state !== 'connected') return { ok: false, text: `Not sent — ${session.options.name} is not connected`, errors: {} };
  let text: string;
  let ok = true;
  try {
    const ack = await core().sessionPublish({ id: sessionId, message: toRequest(draft, enc.bytes, v5) });
    const bad = ack.reasonCodes.findIndex((c) => c >= 0x80);
    ok = bad < 0;
    const how = draft.qos === 0 ? 'Sent (QoS 0, no acknowledgement)' : draft.qos === 1 ? 'Acknowledged (PUBACK)' : 'Delivered (PUBCOMP)';
    text = ok ? `${how}${ack.packetId ? `, packet id ${ack.packetId}` : ''}${ack.reasons[0] && ack.reasonCodes[0] !== 0 ? ` — ${ack.reasons[0]}` : ''}`
      : `Broker refused: ${ack.reasons[bad] ?? 'error'} (0x${ack.reasonCodes[bad].toString(16)})`;
  } catch (e) {
    ok = false;
    text = `Not sent: ${errorText(e)}`;
  }
  if (!opts.noHistory) void record({ atMs: Date.now(), sessionName: session.options.name, draft: structuredClone(draft), result: text });
  return { ok, text, errors: {} };
}
