// The render pace on its own (no browser, animation frames from a timer): notifications of the model and
// late arrivals are rendered together, trace stats once per render (not per batch), the render runs in a
// task of its own after the frame that asked for it (not inside the frame callback), and after a render
// that kept the main thread busy the next one is not made right away but comes later.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TraceStats } from '../../shared/contract/types';
import { RenderPace } from '../../renderer/features/trace/render-pace';

(globalThis as { requestAnimationFrame?: (cb: () => void) => unknown }).requestAnimationFrame ??= (cb) => setTimeout(cb, 16);

const stats = (frames: number) => ({ frames }) as TraceStats;

function model() {
  const fns = new Set<() => void>();
  return { subscribe: (fn: () => void) => { fns.add(fn); return () => fns.delete(fn); }, changed: () => fns.forEach((fn) => fn()) };
}

const until = async (cond: () => boolean) => { while (!cond()) await new Promise((r) => setTimeout(r, 5)); };

test('batches between two renders become one render: stats applied once (the newest), late updates in the same render', async () => {
  const m = model();
  const applied: number[] = [];
  const pace = new RenderPace(m, (s) => applied.push(s.frames));
  const renders: { version: number; applied: number; late: number }[] = [];
  let late = 0;
  pace.subscribe(() => renders.push({ version: pace.getVersion(), applied: applied.length, late }));
  // Ten batches arrive from the socket (not in a frame): stats each time, one preview answer in between.
  for (let i = 1; i <= 10; i++) {
    pace.setStats(stats(i));
    if (i === 5) pace.runLater(() => { late++; });
  }
  assert.equal(renders.length, 0, 'nothing rendered from the socket task itself');
  await until(() => renders.length > 0);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(renders.length, 1, 'one render for all ten batches');
  assert.deepEqual(applied, [10], 'the newest stats, applied once');
  assert.deepEqual(renders[0], { version: 1, applied: 1, late: 1 }, 'stats and the late update are in place when listeners run');
});

test('a model change in a frame callback renders in the task right after it; after a long render the next one waits', async () => {
  const m = model();
  const pace = new RenderPace(m, () => {});
  let renders = 0;
  let busyMs = 0;
  pace.subscribe(() => {
    renders++;
    const end = performance.now() + busyMs;
    while (performance.now() < end) { /* a render that keeps the thread busy */ }
  });
  m.changed();
  assert.equal(renders, 0, 'not inside the frame callback that reported the change');
  await until(() => renders === 1);
  await until(() => pace.lastCostMs > 0);
  await new Promise((r) => setTimeout(r, pace.lastPauseMs + 20));

  busyMs = 150;
  m.changed();
  await until(() => renders === 2);
  await until(() => pace.lastCostMs >= 150);
  assert.ok(pace.lastPauseMs >= 3 * 150, `a ${Math.round(pace.lastCostMs)} ms render earns a pause of three times that (${Math.round(pace.lastPauseMs)} ms)`);
  busyMs = 0;
  m.changed();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(renders, 2, 'the next change does not render right after the long one');
  await until(() => renders === 3);
  assert.equal(pace.getVersion(), 3, 'it is rendered later');
});
