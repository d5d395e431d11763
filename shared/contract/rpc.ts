// Envelopes and the two ends of the contract over any message transport (Electron IPC, WebSocket).
import type { CoreApi, CoreEvents, EventName } from './api';
import { EVENT_NAMES } from './api';
import { ContractError, METHOD_NAMES, parseParams, type MethodName } from './schemas';
// ---- frame lists as columns (issue 11, burst): packed by the serving end, unpacked by createClient ----
import { FRAME_LIST_METHODS, packFrameList, unpackFrameList } from './frame-columns';

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

export type EventHandler<E extends EventName> = (payload: CoreEvents[E]) => void;

export interface CoreClient {
  api: CoreApi;
  on<E extends EventName>(name: E, handler: EventHandler<E>): () => void;
  dispose(): void;
}

export class RemoteError extends Error {
  constructor(readonly code: string, message: string) { super(message); this.name = 'RemoteError'; }
}

/** A typed proxy: client.api.brokerStart({...}) sends one request and resolves with its answer. */
export function createClient(transport: Transport): CoreClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const handlers = new Map<string, Set<(p: unknown) => void>>();
  const off = transport.onMessage((msg) => {
    if (msg.t === 'res') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(unpackFrameList(msg.result));
      else p.reject(new RemoteError(msg.error.code, msg.error.message));
    } else if (msg.t === 'evt') {
      const set = handlers.get(msg.name);
      if (!set?.size) return;
      const payload = msg.name === 'traceBatch' ? unpackFrameList(msg.payload) : msg.payload;
      set.forEach((h) => h(payload));
    }
  });
  const api = {} as Record<string, (params?: unknown) => Promise<unknown>>;
  for (const method of METHOD_NAMES) {
    api[method] = (params?: unknown) => new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      try {
        transport.send({ t: 'req', id, method, params });
      } catch (e) {
        pending.delete(id);
        reject(e as Error);
      }
    });
  }
  return {
    api: api as unknown as CoreApi,
    on(name, handler) {
      if (!EVENT_NAMES.includes(name)) throw new Error(`unknown event ${name}`);
      let set = handlers.get(name);
      if (!set) handlers.set(name, (set = new Set()));
      set.add(handler as (p: unknown) => void);
      return () => set!.delete(handler as (p: unknown) => void);
    },
    dispose() {
      off();
      for (const p of pending.values()) p.reject(new RemoteError('closed', 'connection to MQScope core closed'));
      pending.clear();
    },
  };
}
