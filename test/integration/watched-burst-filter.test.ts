// While a window watches and the broker is in a burst, the batch tick leaves the display-filter index for
// later (core.ts, trace/burst-watch.ts): a filtered query in the middle of the burst extends it itself and
// still finds exactly the frames that match, and so does one after the burst.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RawPeer, gen } from '../support/raw-mqtt';
import { startTestCore } from '../support/core';
import { waitFor } from '../support/wait';

test('in a watched burst, filtered queries find every matching frame; after it too', async () => {
  const t = await startTestCore();
  const batches: number[] = [];
  t.core.events.on('traceBatch', (b) => batches.push(b.toSeq));
  // The burst does not end while the test looks: its clock stands still until the test moves it.
  let now = 1e6;
  t.core.burst.clock = () => now;
  const { peer } = await RawPeer.connect(t.port, { clientId: 'burst-pub' }, 4);
  try {
    const n = 3000;
    const out = Buffer.concat(Array.from({ length: n }, (_, i) => gen({ cmd: 'publish', topic: `wb/${i % 10}`, payload: Buffer.from(`m${i}`), qos: 0, retain: false, dup: false }, 4)));
    const received = async () => (await t.core.traceQuery({ side: 'broker', dir: 'c2s', types: ['PUBLISH'], limit: 0 })).matching;
    // A tick must find more than BURST_TICK_FRAMES new frames; on a starved machine the reads of one burst
    // can spread over many ticks, so the burst is sent again (the frozen clock keeps a burst once seen).
    let sent = 0;
    for (let attempt = 0; attempt < 5 && !t.core.burst.inBurst(); attempt++) {
      peer.send(out);
      sent += n;
      await waitFor(async () => (await received()) === sent, { what: `${sent} PUBLISHes in the trace` });
      const last = t.core.recorder.store.nextSeq - 1;
      await waitFor(() => batches.length > 0 && batches[batches.length - 1] >= last, { what: 'the batch tick that took the last of them' });
    }
    assert.equal(t.core.burst.inBurst(), true, 'the ticks saw a burst');
    const q = await t.core.traceQuery({ filter: 'topic == "wb/3" && type == PUBLISH', limit: 10_000 });
    assert.equal(q.frames.length, sent / 10);
    assert.ok(q.frames.every((f) => f.topic === 'wb/3' && f.type === 'PUBLISH'));
    assert.deepEqual(q.frames.map((f) => f.seq), [...q.frames.map((f) => f.seq)].sort((a, b) => a - b));
    // The burst ends; the ticks index again; the same query gives the same frames.
    now += 1000;
    await new Promise((r) => setTimeout(r, 150)); // a few quiet ticks
    assert.equal(t.core.burst.inBurst(), false);
    const again = await t.core.traceQuery({ filter: 'topic == "wb/3" && type == PUBLISH', limit: 10_000 });
    assert.deepEqual(again.frames.map((f) => f.seq), q.frames.map((f) => f.seq));
    const seven = await t.core.traceQuery({ filter: 'topic == "wb/7"', limit: 10_000 });
    assert.equal(seven.frames.length, sent / 10);
  } finally {
    peer.socket.destroy();
    await t.dispose();
  }
});
