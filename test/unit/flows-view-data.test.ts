// The Flows view's small data helpers: the trace column asks core for compact seq ranges only (a filtered
// list can span the whole trace), and the table's filter becomes exactly the flowsQuery core expects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusters } from '../../renderer/features/flows/use-frame-flows';
import { toQuery } from '../../renderer/features/flows/use-flows-page';

test('visible seqs are asked in ranges, split where they are far apart', () => {
  assert.deepEqual(clusters([5, 3, 4, 10]), [[3, 10]]);
  assert.deepEqual(clusters([1, 2, 100_000, 100_003, 900_000]), [[1, 2], [100_000, 100_003], [900_000, 900_000]]);
  assert.deepEqual(clusters([]), []);
});

test('an empty filter asks for everything; set fields become query fields, trimmed', () => {
  assert.deepEqual(toQuery({ state: '', kind: '', clientId: ' ', topicFilter: '' }), {});
  assert.deepEqual(toQuery({ state: 'stalled', kind: 'publish-qos2', clientId: ' pub-1 ', topicFilter: 'plant/#' }),
    { states: ['stalled'], kinds: ['publish-qos2'], clientId: 'pub-1', topicFilter: 'plant/#' });
});
