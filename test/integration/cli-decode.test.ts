// `mqscope decode` and `print --filter`: the Trace view's filter language on the command line, over a
// .mqtrace and over the pcap `mqscope pcap` made of it, with the same frame numbers and times; bad
// input exits 2 with one clear message; `| head` ends quietly; no arguments → usage and non-zero.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readTrace } from '../support/trace-file';
import { isoUs } from '../../shared/util/clock';
import { run, startPeer } from '../support/processes';

const BIN = join(import.meta.dirname, '../../bin/mqscope.mjs');
let dir: string;
let file: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqscope-decode-'));
  file = join(dir, 'cap.mqtrace');
  const broker = startPeer(process.execPath, [BIN, 'broker', '-p', '0', '--ws-port', 'off', '--trace', file]);
  const port = (await broker.waitOut(/listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 20000)).match(/127\.0\.0\.1:(\d+)/)![1];
  await run('mosquitto_pub', ['-p', port, '-V', 'mqttv5', '-i', 'dec-q2', '-t', 'dec/two', '-m', 'second', '-q', '2', '-D', 'publish', 'user-property', 'site', 'north']);
  await run('mosquitto_pub', ['-p', port, '-i', 'dec-q1', '-t', 'dec/one', '-m', 'first', '-q', '1']);
  // Enough output to fill a pipe: 3000 small messages on one connection.
  await run('mosquitto_pub', ['-p', port, '-i', 'dec-bulk', '-t', 'dec/bulk', '-l', '-q', '0'], 30000, Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n') + '\n');
  assert.equal(await broker.kill('SIGINT'), 0);
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

const cli = async (args: string[]) => {
  const p = startPeer(process.execPath, [BIN, ...args]);
  const code = await p.exited;
  return { code, out: p.out(), err: p.err() };
};
const jsonLines = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

test('decode --json: one object per frame with the trace\'s own numbers and times; --filter selects exactly', async () => {
  const trace = await readTrace(file);
  const all = jsonLines((await cli(['decode', file, '--json'])).out);
  assert.equal(all.length, trace.frames.length);
  all.forEach((o, k) => {
    const f = trace.frames[k];
    assert.equal(o.frame, f.seq);
    assert.equal(o.time, isoUs(Math.floor(trace.originMs * 1000 + f.timeUs) / 1000));
    assert.equal(o.conn, f.conn);
    assert.equal(o.side, f.side);
    assert.equal(o.dir, f.s2c ? 's2c' : 'c2s');
  });
  assert.match(String(all[0].time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

  const q2 = jsonLines((await cli(['decode', file, '--filter', 'type == PUBLISH && qos == 2', '--json'])).out);
  const want = trace.frames.filter((f) => f.kind === 'packet' && f.bytes[0] >> 4 === 3 && ((f.bytes[0] >> 1) & 3) === 2).map((f) => f.seq);
  assert.deepEqual(q2.map((o) => o.frame), want);
  assert.equal(q2[0].clientId, 'dec-q2');
  assert.equal(q2[0].type, 'PUBLISH');
  const fields = JSON.stringify(q2[0].fields);
  assert.ok(fields.includes('"name":"Topic","value":"dec/two"'), 'decoded fields are in the object');
  const site = jsonLines((await cli(['decode', file, '--filter', 'prop.user.site == "north"', '--json'])).out);
  assert.deepEqual(site.map((o) => o.frame), want, 'properties filter through a full decode');

  const text = (await cli(['decode', file, '--filter', 'client == "dec-q1" && type == PUBLISH'])).out;
  assert.match(text, /#\d+ B\d+ dec-q1 → PUBLISH \(d0, q1, r0, m\d+, 'dec\/one', 5 bytes\)/);
  assert.match(text, /\n    Fixed header: PUBLISH/);
  assert.match(text, /\n        Topic: dec\/one/);

  const printed = (await cli(['print', file, '--filter', 'topic matches "dec/+" && !(topic == "dec/bulk")'])).out.trim().split('\n');
  assert.ok(printed.length > 0 && printed.every((l) => /'dec\/(one|two)'/.test(l)), printed.join('\n'));
});

test('a pcap written by mqscope pcap decodes to the same frames, numbers and times', async () => {
  const pcap = join(dir, 'cap.pcap');
  await run(process.execPath, [BIN, 'pcap', file, pcap]);
  const filter = 'type == PUBLISH && topic != "dec/bulk" || type == CONNECT';
  const fromTrace = jsonLines((await cli(['decode', file, '--json', '--filter', filter])).out);
  const fromPcap = jsonLines((await cli(['decode', pcap, '--json', '--filter', filter])).out);
  const pick = (o: Record<string, unknown>) => [o.frame, o.time, o.clientId, o.side, o.dir, o.type, JSON.stringify(o.fields)];
  assert.ok(fromTrace.length >= 5);
  assert.deepEqual(fromPcap.map(pick), fromTrace.map(pick));
});

test('bad filter or unreadable file: exit 2 and one clear message; no arguments: usage, non-zero', async () => {
  const bad = await cli(['decode', file, '--filter', 'type == PUBLISH && qos ==']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /bad filter: expected a value after '==' at 26\n {2}type == PUBLISH && qos ==\n {27}\^/);
  assert.equal(bad.out, '');
  const missing = await cli(['decode', join(dir, 'nope.mqtrace')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read .*nope\.mqtrace: ENOENT/);
  const junk = join(dir, 'junk.bin');
  await writeFile(junk, 'hello, not a trace');
  const notTrace = await cli(['decode', junk]);
  assert.equal(notTrace.code, 2);
  assert.match(notTrace.err, /not an MQScope trace file/);
  const badPrint = await cli(['print', file, '--filter', 'colour == 1']);
  assert.equal(badPrint.code, 2);
  assert.match(badPrint.err, /unknown field 'colour'/);
  const none = await cli([]);
  assert.notEqual(none.code, 0);
  assert.match(none.err, /usage: mqscope <command>/);
});

test('a closed pipe (| head) ends every printing command quietly', async () => {
  for (const args of [['decode', file], ['decode', file, '--json'], ['print', file]]) {
    const p = startPeer('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" ${args.map((a) => `'${a}'`).join(' ')} | head -n 2`]);
    const code = await p.exited;
    assert.equal(p.out().trim().split('\n').length, 2, args.join(' '));
    assert.equal(p.err(), '', `${args.join(' ')}: nothing on stderr`);
    assert.equal(code, 0, `${args.join(' ')}: exit code`);
  }
});
