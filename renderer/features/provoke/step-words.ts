// Plain words for a held step of step mode.
import type { StepItem } from '../../../shared/contract/types';

export function stepWords(i: StepItem): string {
  const what = i.received === 'PUBLISH' ? `PUBLISH QoS ${i.qos ?? '?'} id ${i.packetId}${i.topic ? ` on ${i.topic}` : ''}` : `${i.received} id ${i.packetId}`;
  return i.reply ? `${what} → ${i.reply} waiting` : `${what} received, not applied yet`;
}

export function sendWords(i: StepItem): string {
  return i.reply ? `Send ${i.reply}` : `Apply ${i.received}`;
}
