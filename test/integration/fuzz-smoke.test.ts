// A few seconds of the fuzzer (test/fuzz) in every test run: the same targets and checks as `npm run fuzz`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFuzz, table } from '../fuzz/fuzzer';

test('fuzz smoke: no crash, no hung connection, no budget overshoot, no frame lost', async () => {
  const { rows, problems } = await runFuzz({ seed: 7, inputs: 10_000 });
  const t = table(rows);
  for (const r of rows) {
    assert.ok(r.inputs > 0, `${r.target} got no inputs\n${t}`);
    assert.equal(r.crashes, 0, `${r.target} crashed\n${t}\n${problems.slice(0, 5).join('\n')}`);
    assert.equal(r.hung, 0, `${r.target} left connections open\n${t}\n${problems.slice(0, 5).join('\n')}`);
    assert.equal(r.framesLost, 0, `${r.target} lost frames\n${t}\n${problems.slice(0, 5).join('\n')}`);
    assert.equal(r.overshootBytes, 0, `${r.target} went over its budget\n${t}`);
  }
});
