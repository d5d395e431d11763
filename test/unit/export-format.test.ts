// Message export formats: CSV quoting, Excel's BOM / ';' / CRLF and formula guard, JSON Lines, µs times.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRow, header, isoMicros, type ExportRow } from '../../renderer/features/messages/export-format';

const row: ExportRow = { seq: 7, time: '2026-12-01T10:00:00.123456Z', topic: 'a/b', qos: 1, retain: true, dup: false, size: 12, codec: 'json', payload: '{"x":"a,b","q":"say \\"hi\\""}\nline 2' };

test('CSV quotes commas, quotes and newlines (RFC 4180)', () => {
  assert.equal(header('csv'), 'seq,time,topic,qos,retain,dup,size,codec,payload,error\n');
  assert.equal(formatRow('csv', row), '7,2026-12-01T10:00:00.123456Z,a/b,1,true,false,12,json,"{""x"":""a,b"",""q"":""say \\""hi\\""""}\nline 2",\n');
});

test('Excel CSV: BOM, semicolons, CRLF, and a leading = cannot become a formula', () => {
  assert.ok(header('excel').startsWith('\ufeffseq;time;'));
  assert.ok(header('excel').endsWith('\r\n'));
  const line = formatRow('excel', { ...row, payload: '=HYPERLINK("x")' });
  assert.equal(line, `7;2026-12-01T10:00:00.123456Z;a/b;1;true;false;12;json;"'=HYPERLINK(""x"")";\r\n`);
});

test('JSON Lines: one parseable object per line', () => {
  const line = formatRow('jsonl', { ...row, error: 'bad' });
  assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'));
  assert.deepEqual(JSON.parse(line), { ...row, error: 'bad' });
  assert.equal(header('jsonl'), '');
});

test('times keep their microseconds', () => {
  assert.equal(isoMicros(Date.UTC(2026, 11, 1, 10, 0, 0, 123) + 0.4567), '2026-12-01T10:00:00.123456Z');
});
