// While the broker is in a burst, a contract client's outbox spends a smaller share of the event loop on
// pushing trace batches (burstSendMsPerSecond); the rest go out as notices, at most one per BURST_NOTICE_MS,
// so the client still learns of every frame (it pages what it wants).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { BURST_NOTICE_MS, ContractOutbox } from '../../electron/core/contract-outbox';
import type { Envelope } from '../../shared/contract/rpc';

interface Sent { pushed: boolean; fromSeq: number; toSeq: number }

/** 20 batches of 100 frames each, where pushing one costs 3 ms of the event loop; what the client got. */
async function deliver(inBurst: boolean): Promise<Sent[]> {
  const events = new EventEmitter();
  const sent: Sent[] = [];
  const sink = {
    send(msg: Envelope) {
      if (msg.t !== 'evt' || msg.name !== 'traceBatch') return;
      const p = msg.payload as { pushed?: boolean; fromSeq: number; toSeq: number };
      if (p.pushed) { const end = performance.now() + 3; while (performance.now() < end); }
      sent.push({ pushed: p.pushed === true, fromSeq: p.fromSeq, toSeq: p.toSeq });
    },
    backlog: () => 0,
  };
  const outbox = new ContractOutbox(events as never, sink, { inBurst: () => inBurst, sendMsPerSecond: 25, burstSendMsPerSecond: 8 });
  try {
    for (let i = 0; i < 20; i++) {
      const fromSeq = i * 100;
      const toSeq = fromSeq + 99;
      // Shaped as the recorder's batches are to the outbox: it packs one only when it pushes it (wire()).
      events.emit('traceBatch', { frames: [], fromSeq, toSeq, stats: {}, wire: () => ({ pushed: true, fromSeq, toSeq }) });
    }
    // A notice still waiting goes out by itself (retried until it may).
    for (let waited = 0; sent.at(-1)?.toSeq !== 1999 && waited < 2000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  } finally {
    outbox.dispose();
  }
  return sent;
}

function assertCovers(sent: Sent[]): void {
  let next = 0;
  for (const s of sent) {
    assert.equal(s.fromSeq, next, `batches and notices cover every frame in order (${JSON.stringify(sent)})`);
    next = s.toSeq + 1;
  }
  assert.equal(next, 2000);
}

test('in a burst the outbox pushes batches within the burst share, and says the rest in fewer notices', async () => {
  const burst = await deliver(true);
  const quiet = await deliver(false);
  const pushed = (s: Sent[]) => s.filter((x) => x.pushed).length;
  // Each push takes ≥ 3 ms: after three the 8 ms share is spent; the 25 ms one takes at least four more.
  assert.ok(pushed(burst) >= 1 && pushed(burst) <= 3, `pushed in a burst: ${pushed(burst)}`);
  assert.ok(pushed(quiet) >= 4, `pushed when quiet: ${pushed(quiet)}`);
  assert.ok(pushed(quiet) > pushed(burst));
  assertCovers(burst);
  assertCovers(quiet);
  const notices = (s: Sent[]) => s.filter((x) => !x.pushed).length;
  // Quiet: a notice per batch the share did not cover (the client keeps up). In a burst the batches came within
  // a few ms: the first notice at once, the rest folded into one that waits BURST_NOTICE_MS.
  assert.equal(notices(quiet), 20 - pushed(quiet));
  assert.ok(notices(burst) <= 2, `${notices(burst)} notices in a burst of batches within ${BURST_NOTICE_MS} ms`);
});
