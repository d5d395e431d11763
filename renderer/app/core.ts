// Holds the contract client for the whole renderer. Components call `core().method(...)`; nothing else
// knows whether IPC or a WebSocket is underneath.
import type { CoreApi, CoreEvents, EventName } from '../../shared/contract/api';
import { createClient, type CoreClient } from '../../shared/contract/client';
import { openCoreLink } from './transport';

let client: CoreClient | null = null;

export function core(): CoreApi {
  if (!client) throw new Error('core not connected yet');
  return client.api;
}

export function onCoreEvent<E extends EventName>(name: E, handler: (p: CoreEvents[E]) => void): () => void {
  if (!client) throw new Error('core not connected yet');
  return client.on(name, handler);
}

/** Opens the link; `onLost` fires with a plain-words reason if it fails or drops later. */
export async function connectCore(onLost: (reason: string) => void): Promise<void> {
  const link = openCoreLink();
  client = createClient(link.transport);
  link.onClose((reason) => {
    client?.dispose();
    onLost(reason);
  });
  await link.ready;
}

/** Turns any thrown value into one readable line. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
