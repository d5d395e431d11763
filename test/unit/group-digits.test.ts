// groupDigits writes whole numbers exactly as toLocaleString('en') does (the status bar used that, and its
// first call loads ICU data in one long task at page start-up).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupDigits } from '../../renderer/app/bytes';

test('groupDigits matches toLocaleString("en") for whole numbers, and falls back to it for others', () => {
  const values = [0, 1, 12, 123, 999, 1000, 1001, 12345, 123456, 999999, 1000000, 1234567, 2 ** 31, Number.MAX_SAFE_INTEGER, -1, -999, -1000, -1234567];
  for (const n of values) assert.equal(groupDigits(n), n.toLocaleString('en'), String(n));
  for (const n of [1.5, 1234.25, 2 ** 60, NaN, Infinity]) assert.equal(groupDigits(n), n.toLocaleString('en'), String(n));
});
