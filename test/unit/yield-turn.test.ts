// Sliced work on the broker's loop gives way until the callbacks others queued have run their chain (aedes
// passes a message on through several setImmediate hops), not just for one hop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { yieldTurn } from '../../electron/core/trace/yield-turn';

const busy = (ms: number) => { const end = performance.now() + ms; while (performance.now() < end); };

/** A chain of `hops` setImmediate callbacks, each doing a little work, like a delivery through aedes. */
function chain(hops: number): { done: () => boolean } {
  let left = hops;
  const step = () => { busy(0.3); if (--left > 0) setImmediate(step); };
  setImmediate(step);
  return { done: () => left === 0 };
}

test('yieldTurn returns only after a chain of immediates queued by others has finished', async () => {
  const c = chain(6);
  await yieldTurn();
  assert.ok(c.done(), 'the six-hop chain finished before the sliced work went on');
});

test('one plain setImmediate hop would not have let that chain finish (what yieldTurn replaced)', async () => {
  const c = chain(6);
  await new Promise<void>((r) => setImmediate(r));
  assert.ok(!c.done());
  await yieldTurn();
  assert.ok(c.done());
});
