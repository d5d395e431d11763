// The on-disk broker store keeps aedes-persistence's contract where aedes-persistence-level does not:
// deleting a will that does not exist, and clearing the oldest unsent queued message (undefined id).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openBrokerStore } from '../../electron/core/broker/persistence/level-store';

type P = {
  outgoingEnqueue(sub: { clientId: string }, packet: object): Promise<void>;
  outgoingUpdate(client: { id: string }, packet: object): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: { messageId?: number }): Promise<any>;
  outgoingStream(client: { id: string }): AsyncIterable<any>;
  delWill(client: { id: string; brokerId: string }): Promise<unknown>;
};

test('level store: a missing will, and clearing the oldest unsent message by an undefined id', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mqscope-level-'));
  const store = await openBrokerStore(dir);
  try {
    const p = store.persistence as P;
    assert.equal(await p.delWill({ id: 'nobody', brokerId: 'b' }), undefined);
    const msg = (n: number) => ({ cmd: 'publish', topic: 't', payload: Buffer.from(`m${n}`), qos: 1, retain: false, dup: false, brokerId: 'b', brokerCounter: n });
    for (const n of [1, 2, 3]) await p.outgoingEnqueue({ clientId: 'c/1' }, msg(n));
    await p.outgoingUpdate({ id: 'c/1' }, { ...msg(1), messageId: 7 }); // m1 was sent: it keeps its slot until acked
    const cleared = await p.outgoingClearMessageId({ id: 'c/1' }, { messageId: undefined });
    assert.equal(cleared.payload.toString(), 'm2');
    const left: string[] = [];
    for await (const q of p.outgoingStream({ id: 'c/1' })) left.push(`${q.payload} ${q.messageId ?? '-'}`);
    assert.deepEqual(left, ['m1 7', 'm3 -']);
    assert.equal((await p.outgoingClearMessageId({ id: 'c/1' }, { messageId: 7 })).payload.toString(), 'm1', 'by id as before');
    assert.deepEqual(await store.sessionClientIds(), ['c/1']);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
