// The filter bar's helpers: "Filter on this value" writes literals the lexer reads back exactly, and
// completion offers fields where a field goes and values after a comparison.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFilter } from '../../shared/filter';
import { complete } from '../../renderer/features/trace/filter-complete';
import { combineFilter, fieldAt, filterForField, quoteFilter } from '../../renderer/features/trace/filter-from-field';
import { dissect } from '../../shared/mqtt/dissect';

test('quoted values survive the lexer unchanged (seeded random strings)', () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const alphabet = ['a', 'Z', '/', '+', '#', '"', '\\', '\n', '\t', '\r', '\0', '\x07', '\x7f', 'é', '€', '😀', ' ', '$', "'"];
  for (let k = 0; k < 500; k++) {
    const s = Array.from({ length: Math.floor(rnd() * 12) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
    const n = parseFilter(`topic == ${quoteFilter(s)}`);
    assert.ok(n.kind === 'cmp' && n.value.kind === 'string' && n.value.value === s, JSON.stringify(s));
  }
});

test('field → filter expression, combined with what is already there', () => {
  const bytes = Uint8Array.from([0x32, 0x0c, 0x00, 0x03, 0x61, 0x2f, 0x62, 0x00, 0x07, 0x68, 0x65, 0x6c, 0x6c, 0x6f]);
  const fields = dissect(bytes, 4);
  const topic = fieldAt(fields, 5)!;
  assert.equal(topic.name, 'Topic');
  assert.equal(filterForField(topic), 'topic == "a/b"');
  assert.equal(filterForField(fieldAt(fields, 8)!), 'id == 7');
  const payload = fieldAt(fields, 10)!;
  assert.equal(payload.name, 'Payload');
  assert.equal(filterForField(payload, 'hello'), 'payload contains "hello"');
  assert.equal(combineFilter('qos == 1', 'topic == "a/b"', 'and'), '(qos == 1) && topic == "a/b"');
  assert.equal(combineFilter('qos == 1', 'topic == "a/b"', 'andNot'), '(qos == 1) && !(topic == "a/b")');
  assert.equal(combineFilter('', 'topic == "a/b"', 'and'), 'topic == "a/b"');
  for (const f of ['(qos == 1) && topic == "a/b"', '(qos == 1) && !(topic == "a/b")']) parseFilter(f);
});

test('completion: fields where a field goes, values after a comparison', () => {
  const seen = { clients: ['ext-sub', 'pub-1'], topics: ['plant/a', 'x'] };
  const at = (t: string) => complete(t, t.length, seen)?.items.map((i) => i.insert) ?? [];
  assert.deepEqual(at('ty'), ['type ']);
  assert.ok(at('prop.c').includes('prop.contentType '));
  assert.deepEqual(at('type == PUB').slice(0, 2), ['PUBLISH', 'PUBACK']);
  assert.deepEqual(at('client == "e'), ['"ext-sub"']);
  assert.deepEqual(at('topic matches '), ['"plant/a"', '"x"']);
  assert.deepEqual(at('qos == 1 && re'), ['retain ', 'reason ']);
  assert.deepEqual(at('qos == 1 an'), [], 'after a comparison a word is an operator');
});
