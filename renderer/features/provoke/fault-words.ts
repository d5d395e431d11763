// Plain words for a client's active faults (the Broker view's client row and the Faults dialog).
import type { ClientFaults } from '../../../shared/contract/types';

export function faultWords(f: ClientFaults | undefined): string[] {
  if (!f) return [];
  const out: string[] = [];
  if (f.delayMs > 0) out.push(`delay ${f.delayMs} ms`);
  if (f.dropAcks > 0) out.push(`drop ${f.dropAcks} ack${f.dropAcks === 1 ? '' : 's'}`);
  if (f.dropPublishes > 0) out.push(`drop ${f.dropPublishes} PUBLISH`);
  return out;
}
