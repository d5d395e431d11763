// The payload worker's layout: the first view guessed from the bytes, rows for newlines and wrapped long
// lines (never splitting a surrogate pair), the row of an offset, and base64 in 76-character lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64Lines, guessMode, rowOf, rowStarts } from '../../renderer/features/messages/payload-layout';

const enc = (s: string) => new TextEncoder().encode(s);

test('guessMode: JSON, text, and hex for invalid UTF-8 or control characters', () => {
  assert.equal(guessMode(enc('[{"a":1}]')).guess, 'json');
  assert.equal(guessMode(enc('{ not json')).guess, 'text');
  assert.equal(guessMode(enc('plain words\n')).guess, 'text');
  assert.equal(guessMode(new Uint8Array([0xff, 0xfe, 0x00])).guess, 'hex');
  assert.equal(guessMode(enc('a\u0001b')).guess, 'hex');
});

test('rowStarts: a row per line, long lines wrapped at the width, surrogate pairs kept whole', () => {
  assert.deepEqual([...rowStarts('ab\ncd\n')], [0, 3]);
  assert.deepEqual([...rowStarts('abcdefg', 3)], [0, 3, 6]);
  const s = 'ab\u{1F600}cd'; // the emoji is two UTF-16 units at 2 and 3
  assert.deepEqual([...rowStarts(s, 3)], [0, 4]);
  const rows = rowStarts('x'.repeat(1000) + '\nend');
  assert.equal(rowOf(rows, 1001), rows.length - 1);
  assert.equal(rowOf(rows, 0), 0);
  assert.equal(rowOf(rows, 170), 1);
});

test('base64Lines: 76-character lines that decode back to the bytes', () => {
  const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) & 0xff);
  const text = base64Lines(bytes);
  const lines = text.split('\n');
  assert.ok(lines.slice(0, -1).every((l) => l.length === 76));
  assert.deepEqual(new Uint8Array(Buffer.from(lines.join(''), 'base64')), bytes);
});
