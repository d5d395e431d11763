// The calling end of the contract (shared/contract/client.ts) is a proxy with no list of method names, so the
// page need not load the schemas: any name becomes a request that core answers, and the object itself is not
// mistaken for a promise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, RemoteError } from '../../shared/contract/client';
import { answer, type Envelope, type Transport } from '../../shared/contract/rpc';
import type { CoreApi } from '../../shared/contract/api';

/** A transport whose far end is rpc.answer over a tiny api: what core does with each request. */
function loopback(api: Partial<CoreApi>) {
  const sent: Envelope[] = [];
  let deliver: (m: Envelope) => void = () => {};
  const transport: Transport = {
    send(msg) {
      sent.push(msg);
      void answer(api as CoreApi, msg).then((res) => { if (res) deliver(res); });
    },
    onMessage(h) { deliver = h; return () => { deliver = () => {}; }; },
  };
  return { transport, sent };
}

test('a method call is one request answered by core; an unknown name is refused by core with no-such-method', async () => {
  const { transport, sent } = loopback({ hostInfo: async () => ({ host: 'test' }) as never });
  const client = createClient(transport);
  assert.deepEqual(await client.api.hostInfo(), { host: 'test' });
  assert.deepEqual(sent.map((m) => (m.t === 'req' ? m.method : m.t)), ['hostInfo']);
  const unknown = (client.api as unknown as Record<string, () => Promise<unknown>>).noSuchThing();
  await assert.rejects(unknown, (e: unknown) => e instanceof RemoteError && e.code === 'no-such-method');
  assert.equal(client.api.hostInfo, client.api.hostInfo, 'one function per name');
});

test('awaiting or returning the api object sends nothing (it has no "then")', async () => {
  const { transport, sent } = loopback({});
  const client = createClient(transport);
  const got = await (async () => client.api)();
  assert.equal(got, client.api);
  assert.equal((client.api as unknown as { then?: unknown }).then, undefined);
  assert.equal(sent.length, 0);
});
