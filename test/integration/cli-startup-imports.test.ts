// A headless `mqscope broker` loads only what accepting MQTT needs: the payload codec libraries, zod (the
// contract's call parsing), ws, node:http and node:tls wait for the first use that needs them (issue 11:
// start-up ≤ 300 ms). Seen from outside: a hook logs every package and built-in the process imports or
// requires while a real client publishes through the broker. (aedes and mqtt-packet are inside the compiled
// bundle, so they are never resolved by name; what the bundle requires from outside, and node: built-ins, is.)
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePorts } from '../support/ports';
import { run, startPeer } from '../support/processes';

const root = join(import.meta.dirname, '../..');
let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'mqscope-imports-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

async function importsOf(args: string[], use: (port: number) => Promise<void>): Promise<Set<string>> {
  const [port] = await freePorts(1);
  const log = join(dir, `imports-${port}.txt`);
  const broker = startPeer(process.execPath, ['--import', join(root, 'test/support/import-log.mjs'), join(root, 'bin/mqscope.mjs'), 'broker', '-p', String(port), ...args],
    { env: { MQSCOPE_IMPORT_LOG: log } });
  try {
    await broker.waitOut(`listening on mqtt://127.0.0.1:${port}`, 20000);
    await use(port);
  } finally {
    await broker.kill('SIGINT');
  }
  return new Set((await readFile(log, 'utf8')).split('\n').filter(Boolean));
}

const DEFERRED = ['protobufjs', 'cbor-x', '@msgpack/msgpack', 'fflate', 'zod', 'ws', 'node:http', 'node:tls'];

test('a headless broker serving a client never loads the codecs, zod, ws, node:http or node:tls', async () => {
  const seen = await importsOf(['--ws-port', 'off'], async (port) => {
    await run('mosquitto_pub', ['-p', String(port), '-t', 'plant/temp', '-m', '{"c":21.5}', '-q', '1']);
  });
  assert.ok(seen.has('node:net') && seen.has('node:crypto'), `the hook sees what the bundle requires: ${[...seen].join(' ')}`);
  assert.deepEqual(DEFERRED.filter((m) => seen.has(m)), [], `loaded: ${[...seen].join(' ')}`);
});

test('a WebSocket listener loads ws and node:http when it starts, still no codecs', async () => {
  const [wsPort] = await freePorts(1);
  const seen = await importsOf(['--ws-port', String(wsPort)], async () => {});
  assert.ok(seen.has('ws') && seen.has('node:http'), `loaded: ${[...seen].join(' ')}`);
  assert.deepEqual(['protobufjs', 'cbor-x', '@msgpack/msgpack', 'fflate', 'zod'].filter((m) => seen.has(m)), []);
});
