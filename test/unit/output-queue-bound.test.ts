// The output-queue bound on a client's QoS 0 deliveries (broker/guards.ts), against a stand-in for an aedes
// client: every callback is answered, in order, after the call that queued it; past the bound, messages are
// dropped and counted, and their callbacks are answered too (else the broker's emitter would wait forever).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundOutputQueue, droppedQoS0 } from '../../electron/core/broker/guards';

function standIn() {
  const written: unknown[] = [];
  const pending: (() => void)[] = [];
  const client = {
    conn: { writableLength: 0 },
    // aedes answers deliver0 only once the socket has taken the packet: held here until drain().
    deliver0(packet: unknown, cb: () => void) { written.push(packet); pending.push(cb); },
  };
  return { client, written, drain: () => pending.splice(0).forEach((cb) => cb()) };
}

test('callbacks are answered in order, after the calls that queued them, from one turn', async () => {
  const { client, written } = standIn();
  boundOutputQueue(client, 1 << 20);
  const answered: number[] = [];
  for (let i = 0; i < 5; i++) client.deliver0(i, () => answered.push(i));
  assert.deepEqual(answered, [], 'not answered synchronously');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(answered, [0, 1, 2, 3, 4]);
  assert.deepEqual(written, [0, 1, 2, 3, 4]);
  // A callback queued while the others are answered waits for the next turn, as its own setImmediate would.
  const later: string[] = [];
  client.deliver0('a', () => { later.push('a'); client.deliver0('b', () => later.push('b')); });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(later, ['a']);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(later, ['a', 'b']);
});

test('past the bound messages are dropped and counted, and still answered', async () => {
  const { client, written, drain } = standIn();
  boundOutputQueue(client, 1 << 20, 3);
  let answered = 0;
  for (let i = 0; i < 5; i++) client.deliver0(i, () => { answered++; });
  await new Promise((r) => setImmediate(r));
  assert.equal(answered, 5);
  assert.deepEqual(written, [0, 1, 2], 'three waiting to be written is the bound');
  assert.equal(droppedQoS0(client), 2);
  drain(); // the socket took them
  client.deliver0(5, () => { answered++; });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(written, [0, 1, 2, 5]);
  client.conn.writableLength = 2 << 20; // bytes over the bound
  client.deliver0(6, () => { answered++; });
  await new Promise((r) => setImmediate(r));
  assert.equal(droppedQoS0(client), 3);
  assert.equal(answered, 7);
});
