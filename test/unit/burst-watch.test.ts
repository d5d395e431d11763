// A burst is judged at the batch ticks: a tick with more than BURST_TICK_FRAMES new frames starts or extends
// it, and it ends QUIET_MS after the last such tick; a cleared store (seqs lower) is not a burst.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BURST_TICK_FRAMES, BurstWatch, QUIET_MS } from '../../electron/core/trace/burst-watch';

test('busy ticks start a burst; it ends QUIET_MS after the last busy tick', () => {
  let next = 1000;
  let now = 0;
  const w = new BurstWatch(() => next);
  w.clock = () => now;
  w.tick();
  assert.equal(w.inBurst(), false, 'a backlog found at the first tick is not a burst');
  next += BURST_TICK_FRAMES;
  now += 33;
  w.tick();
  assert.equal(w.inBurst(), false, `${BURST_TICK_FRAMES} frames in a tick are not yet busy`);
  next += BURST_TICK_FRAMES + 1;
  now += 33;
  w.tick();
  assert.equal(w.inBurst(), true);
  now += 33;
  next += 5;
  w.tick(); // a quiet tick right after a busy one
  assert.equal(w.inBurst(), true, 'one quiet tick does not end it');
  now += QUIET_MS - 34;
  assert.equal(w.inBurst(), true);
  now += 1;
  assert.equal(w.inBurst(), false, `over ${QUIET_MS} ms after the last busy tick`);
  next = 0; // cleared
  w.tick();
  assert.equal(w.inBurst(), false, 'seqs starting lower are not a burst');
});
