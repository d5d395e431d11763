// "Go to 13:46:42.123456": a time of day typed to the microsecond becomes a wall clock in ms (local midnight
// plus µs / 1000). The store finds the first frame recorded at or after it: the frame whose time was typed,
// not its neighbour, a microsecond either way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';

const ctx: ConnCtx = { id: 1, clientSide: false, version: 4, sawConnect: true, imported: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} };
const PINGREQ = Uint8Array.from([0xc0, 0]);

test('the first frame at or after a time typed to the microsecond is that frame, for every frame', () => {
  const origin = Date.UTC(2026, 11, 3, 10, 0, 0) + 0.123; // a fraction, as performance.timeOrigin has
  const store = new TraceStore(64 * 2 ** 20, origin);
  const count = 20_000;
  for (let i = 0; i < count; i++) store.importFrame(ctx, false, 'packet', i * 7.3 + 0.41, PINGREQ, null);
  for (let seq = 0; seq < count; seq++) {
    const wallMs = store.summary(seq)!.wallMs;
    const d = new Date(wallMs);
    d.setHours(0, 0, 0, 0);
    const dayUs = Math.round(wallMs * 1000) - d.getTime() * 1000;
    const typed = d.getTime() + dayUs / 1000;
    assert.equal(store.firstAtOrAfterWall(typed), seq, `frame ${seq} at ${wallMs} typed as ${typed}`);
    assert.equal(store.firstAtOrAfterWall(typed - 0.001), seq, 'a microsecond earlier still finds it');
    if (seq + 1 < count) assert.equal(store.firstAtOrAfterWall(typed + 0.001), seq + 1, 'a microsecond later finds the next');
  }
  assert.equal(store.firstAtOrAfterWall(origin + 1e9), store.nextSeq, 'after the newest frame: nextSeq');
  assert.equal(store.firstAtOrAfterWall(0), 0, 'before the oldest: the oldest');
});
