// The display filter's syntax: what parses, and every mistake named at the character where it is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FilterError, parseFilter } from '../../shared/filter';
import { compileFilter } from '../../shared/filter/compile';
import type { FrameFacts } from '../../shared/filter/facts';

function errorOf(src: string): FilterError {
  try {
    // Literal checks (regex syntax, topic filters, value kinds) happen when compiling.
    compileFilter(src, {} as FrameFacts);
  } catch (e) {
    assert.ok(e instanceof FilterError, `${src}: ${String(e)}`);
    return e;
  }
  assert.fail(`"${src}" should not parse`);
}

test('errors point at the character that is wrong', () => {
  const cases: [string, number, RegExp][] = [
    ['type == PUBLISH && qos ==', 25, /^expected a value after '==' at 26$/],
    ['qos == ', 7, /expected a value after '=='/],
    ['type = PUBLISH', 5, /use '==' to compare/],
    ['qos == 1 & dup', 9, /use '&&'/],
    ['(qos == 1', 9, /expected '\)' to close the '\(' at 1/],
    ['qos == 1 dup', 9, /unexpected 'dup' \(join conditions with '&&' or '\|\|'\)/],
    ['colour == 1', 0, /unknown field 'colour'/],
    ['prop.flavour == "x"', 0, /unknown property 'flavour'/],
    ['topic == "a/b', 9, /no closing quote/],
    ['qos == "two"', 7, /'qos' compares with a number, not "two"/],
    ['type == BANANA', 8, /BANANA is not a packet type/],
    ['side == left', 8, /'side' is one of broker, client/],
    ['topic matches "a/#/b"', 14, /not a topic filter/],
    ['topic ~ /a(/', 8, /bad regex/],
    ['qos contains 1', 4, /'qos' cannot be compared with 'contains'/],
    ['&& qos == 1', 0, /expected a field name here, found '&&'/],
    ['qos == 1 && ', 12, /^expected a field name after '&&' at 13$/],
    ['!', 1, /expected a field name after '!'/],
    ['', 0, /the filter is empty/],
    ['size > 12x', 7, /'12x' is not a number/],
    ['topic == "a\\q"', 11, /unknown escape/],
    ['time > "yesterday"', 7, /'time' takes seconds/],
    ['dup == 2', 7, /'dup' is true\/false/],
    ['topic ~ /x/g', 11, /regex flag 'g'/],
    ['qos @ 1', 4, /unexpected character '@'/],
  ];
  for (const [src, pos, msg] of cases) {
    const e = errorOf(src);
    assert.equal(e.pos, pos, `${src}: position of "${e.message}"`);
    assert.match(e.message, msg, src);
    assert.match(e.message, new RegExp(` at ${pos + 1}$`), `${src}: the message counts from 1`);
  }
});

test('precedence: ! binds tighter than &&, && tighter than ||; words and symbols are the same', () => {
  const t = parseFilter('qos == 1 || ! dup && retain');
  assert.equal(t.kind, 'or');
  assert.ok(t.kind === 'or' && t.right.kind === 'and' && t.right.left.kind === 'not');
  const shape = (n: unknown): unknown => JSON.stringify(n, (k, v) => (k === 'pos' || k === 'opPos' ? undefined : v));
  assert.equal(shape(parseFilter('qos == 1 or not dup and retain')), shape(t));
  const g = parseFilter('(qos == 1 || dup) && retain');
  assert.ok(g.kind === 'and' && g.left.kind === 'or');
});

test('literals: hex and decimal numbers, escapes, regexes, words', () => {
  const n = parseFilter('id == 0x1F');
  assert.ok(n.kind === 'cmp' && n.value.kind === 'number' && n.value.value === 31);
  const f = parseFilter('time >= 1.25');
  assert.ok(f.kind === 'cmp' && f.value.kind === 'number' && f.value.value === 1.25);
  const s = parseFilter('payload contains "say \\"hi\\"\\n\\x41"');
  assert.ok(s.kind === 'cmp' && s.value.kind === 'string' && s.value.value === 'say "hi"\nA');
  const r = parseFilter('topic ~ /^a\\/b$/i');
  assert.ok(r.kind === 'cmp' && r.value.kind === 'regex' && r.value.source === '^a/b$' && r.value.flags === 'i');
  const u = parseFilter('prop.user.trace-id == "x"');
  assert.ok(u.kind === 'cmp' && u.field === 'prop.user.trace-id');
  const h = parseFilter('prop.content_type');
  assert.ok(h.kind === 'has' && h.field === 'prop.content_type');
});
