// One line per frame, like `mosquitto -v`, but with the decoded fields a person looks for.
import type { ConnectionInfo, FrameSummary } from '../../shared/contract/types';
import { reasonText } from '../../shared/mqtt/reason-codes';
import { clockUs } from '../../shared/util/clock';

function preview(payload: Buffer | null): string {
  if (!payload || payload.length === 0) return '';
  const shown = payload.subarray(0, 80);
  const text = shown.toString('utf8');
  const printable = /^[\x20-\x7e\u00a0-\uffff\t]*$/.test(text);
  const body = printable ? JSON.stringify(text) : `0x${shown.toString('hex')}`;
  return ` ${body}${payload.length > shown.length ? ` …(+${payload.length - shown.length} bytes)` : ''}`;
}

export function formatFrame(f: FrameSummary, conn: ConnectionInfo | undefined, payload: Buffer | null): string {
  const t = clockUs(f.wallMs);
  const who = conn?.clientId ? `${conn.clientId}` : conn?.remote ?? '?';
  const arrow = f.dir === 'c2s' ? '→' : '←';
  const head = `${t} #${f.seq} ${f.side === 'broker' ? 'B' : 'C'}${f.conn} ${who} ${arrow}`;
  if (f.kind === 'event') return `${head} ${f.note}`;
  const v = conn?.protocolVersion ?? 4;
  const parts: string[] = [];
  if (f.type === 'PUBLISH') parts.push(`d${f.dup ? 1 : 0}`, `q${f.qos ?? '?'}`, `r${f.retain ? 1 : 0}`);
  if (f.packetId) parts.push(`m${f.packetId}`);
  if (f.topic !== undefined) parts.push(`'${f.topic}'`);
  if (f.reasonCode !== undefined && f.type) parts.push(`rc=0x${f.reasonCode.toString(16).padStart(2, '0')} ${reasonText(f.reasonCode, f.type, v)}`);
  if (f.payloadSize !== undefined) parts.push(`${f.payloadSize} bytes`);
  const fields = parts.length ? ` (${parts.join(', ')})` : '';
  const bad = f.kind === 'malformed' ? ` MALFORMED: ${f.note}` : '';
  return `${head} ${f.type ?? 'bytes'}${fields}${bad}${f.type === 'PUBLISH' ? preview(payload) : ''} [${f.length} B]`;
}
