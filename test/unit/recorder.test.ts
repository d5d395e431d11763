// Connection records are bounded too: closed connections are forgotten once their frames are evicted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceRecorder } from '../../electron/core/trace/recorder';
import { TraceStore } from '../../electron/core/trace/trace-store';

test('closed connections whose frames are all evicted are forgotten; open and recent ones stay', () => {
  const store = new TraceStore(8 * 2 ** 20);
  const recorder = new TraceRecorder(store, () => {});
  try {
    const open = recorder.openConnection({ side: 'broker', transport: 'tcp', remote: '127.0.0.1:1', local: '127.0.0.1:1883' });
    for (let i = 0; i < 2000; i++) {
      const c = recorder.openConnection({ side: 'broker', transport: 'tcp', remote: `127.0.0.1:${2000 + i}`, local: '127.0.0.1:1883' });
      c.event('hello');
      c.close('done');
    }
    assert.equal(recorder.connections().length, 2001);
    // Push the old frames out of the budget with traffic on the open connection.
    for (let i = 0; store.stats().firstSeq < 3 * 2001; i++) open.event(`filler ${i} `.repeat(20));
    const recent = recorder.openConnection({ side: 'client', transport: 'tcp', remote: '127.0.0.1:1883', local: '127.0.0.1:9' });
    recent.close('just now');
    recorder.flush();
    const ids = recorder.connections().map((c) => c.id);
    assert.ok(ids.includes(open.id), 'the open connection stays');
    assert.ok(ids.includes(recent.id), 'a closed connection with frames still in the trace stays');
    assert.equal(ids.length, 2, `kept ${ids.length}`);
  } finally {
    recorder.dispose();
  }
});
