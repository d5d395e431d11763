// A retained message's MQTT 5 properties as readable chips. They arrive as aedes keeps them: Buffers
// (correlation data) serialized as { type: 'Buffer', data: [...] }, user properties as { key: value | value[] }.
import { bytesToHex } from '../../app/bytes';
import { decodeText } from '../../../shared/mqtt/payload/text';

const NAMES: Record<string, string> = {
  payloadFormatIndicator: 'UTF-8 payload', messageExpiryInterval: 'expiry', contentType: 'content-type',
  responseTopic: 'response', correlationData: 'correlation', topicAlias: 'alias', subscriptionIdentifier: 'sub id',
};

function bytesText(v: unknown): string | null {
  const b = v as { type?: unknown; data?: unknown };
  if (!b || b.type !== 'Buffer' || !Array.isArray(b.data)) return null;
  const bytes = Uint8Array.from(b.data as number[]);
  const t = decodeText(bytes);
  return t.valid && !/[\x00-\x08\x0e-\x1f]/.test(t.text) ? t.text : `0x${bytesToHex(bytes, '')}`;
}

export function propertyChips(props: Record<string, unknown> | undefined): string[] {
  if (!props) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'userProperties' && typeof v === 'object') {
      for (const [uk, uv] of Object.entries(v as Record<string, unknown>)) for (const one of Array.isArray(uv) ? uv : [uv]) out.push(`${uk}=${String(one)}`);
      continue;
    }
    const name = NAMES[k] ?? k;
    if (k === 'payloadFormatIndicator') { if (v) out.push(name); continue; }
    const asBytes = bytesText(v);
    out.push(`${name}: ${asBytes ?? (typeof v === 'object' ? JSON.stringify(v) : String(v))}${k === 'messageExpiryInterval' ? ' s' : ''}`);
  }
  return out;
}

export function PropertyChipList({ props }: { props: Record<string, unknown> | undefined }) {
  const chips = propertyChips(props);
  if (!chips.length) return <span className="muted">—</span>;
  return <span className="chip-list" data-testid="retained-props">{chips.map((c, i) => <span key={i} className="chip small" title={c}>{c}</span>)}</span>;
}
