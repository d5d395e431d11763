// Envelopes and the two ends of the contract over any message transport (Electron IPC, WebSocket).
import type { CoreApi } from './api';
import { ContractError, METHOD_NAMES, parseParams, type MethodName } from './schemas';
// ---- frame lists as columns (issue 11, burst): packed by the serving end, unpacked by createClient ----
import { FRAME_LIST_METHODS, packFrameList } from './frame-columns';

export type Envelope =
  | { t: 'req'; id: number; method: string; params?: unknown }
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: { code: string; message: string } }
  | { t: 'evt'; name: string; payload: unknown };

export interface Transport {
  send(msg: Envelope): void;
  onMessage(handler: (msg: Envelope) => void): () => void;
}

const methodSet = new Set<string>(METHOD_NAMES);

/** Handle one request envelope: validate, call, answer. Never throws. */
export async function answer(api: CoreApi, msg: unknown): Promise<Envelope | null> {
  if (!msg || typeof msg !== 'object' || (msg as Envelope).t !== 'req') return null;
  const req = msg as { id: unknown; method: unknown; params?: unknown };
  const id = typeof req.id === 'number' ? req.id : -1;
  try {
    if (typeof req.method !== 'string' || !methodSet.has(req.method)) {
      throw new ContractError('no-such-method', `unknown method ${JSON.stringify(req.method)}`);
    }
    const method = req.method as MethodName;
    const params = parseParams(method, req.params);
    const result = await (api[method] as (p: unknown) => Promise<unknown>)(params);
    return { t: 'res', id, ok: true, result: FRAME_LIST_METHODS.has(method) ? packFrameList(result ?? null) : result ?? null };
  } catch (e) {
    const err = e as Error & { code?: string };
    return { t: 'res', id, ok: false, error: { code: typeof err.code === 'string' ? err.code : 'error', message: err.message || String(e) } };
  }
}

export function serve(api: CoreApi, transport: Transport): () => void {
  return transport.onMessage((msg) => {
    void answer(api, msg).then((res) => { if (res) transport.send(res); });
  });
}

// The calling end lives in client.ts, which the page loads without the schemas (zod) above.
export { createClient, RemoteError, type CoreClient, type EventHandler } from './client';
