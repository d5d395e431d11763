// The calling end of the contract: a typed proxy over any message transport. Kept apart from rpc.ts (the
// answering end), so a page that only calls loads neither the schemas nor zod.
import type { CoreApi, CoreEvents, EventName } from './api';
import { EVENT_NAMES } from './api';
import type { Envelope, Transport } from './rpc';
// ---- frame lists as columns (issue 11, burst): packed by the serving end (rpc.ts), unpacked here ----
import { unpackFrameList } from './frame-columns';

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
  const call = (method: string) => (params?: unknown) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    try {
      transport.send({ t: 'req', id, method, params });
    } catch (e) {
      pending.delete(id);
      reject(e as Error);
    }
  });
  // Every method name is a property: core checks the name (an unknown one is answered 'no-such-method'), so
  // this end needs no list of names, and with it no zod. 'then' is not a method: awaiting the api object
  // must not send a request.
  const methods = new Map<string, (params?: unknown) => Promise<unknown>>();
  const api = new Proxy({}, {
    get: (_, name) => {
      if (typeof name !== 'string' || name === 'then') return undefined;
      let fn = methods.get(name);
      if (!fn) methods.set(name, (fn = call(name)));
      return fn;
    },
  });
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
