// `mqscope broker --trace FILE` with real mosquitto peers, then `mqscope flows FILE`: the same journey
// and flows as the live core, as JSON and as a table; `| head` ends quietly; bad arguments say why.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Flow, Journey } from '../../shared/flows/types';
import { run, startPeer, type Peer } from '../support/processes';

const BIN = join(import.meta.dirname, '../../bin/mqscope.mjs');
let dir: string;
const peers: Peer[] = [];
before(async () => { dir = await mkdtemp(join(tmpdir(), 'mqscope-flows-')); });
after(async () => {
  for (const p of peers) await p.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

async function tracedBroker(file: string): Promise<{ broker: Peer; port: string }> {
  const broker = startPeer(process.execPath, [BIN, 'broker', '-p', '0', '--ws-port', 'off', '--trace', file, '-v']);
  peers.push(broker);
  const out = await broker.waitOut(/listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 20000);
  return { broker, port: out.match(/mqtt:\/\/127\.0\.0\.1:(\d+)/)![1] };
}

test('broker --trace then flows --json: one journey, inbound QoS 2 complete in 4 steps, deliveries at QoS 1 and 2 complete', async () => {
  const file = join(dir, 'qos2.mqtrace');
  const { broker, port } = await tracedBroker(file);
  const topic = 'cli/flows/t';
  const sub1 = startPeer('mosquitto_sub', ['-p', port, '-i', 'csub1', '-q', '1', '-t', topic, '-C', '1']);
  const sub2 = startPeer('mosquitto_sub', ['-p', port, '-i', 'csub2', '-q', '2', '-t', topic, '-C', '1']);
  peers.push(sub1, sub2);
  await broker.waitOut(/csub1 ← SUBACK/);
  await broker.waitOut(/csub2 ← SUBACK/);
  await run('mosquitto_pub', ['-p', port, '-i', 'cpub', '-q', '2', '-t', topic, '-m', 'hello']);
  assert.equal(await sub1.exited, 0);
  assert.equal(await sub2.exited, 0);
  await broker.waitOut(/csub2 → PUBCOMP/);
  await broker.waitOut(/csub2 → DISCONNECT/);
  assert.equal(await broker.kill('SIGINT'), 0);

  const json = await run(process.execPath, [BIN, 'flows', file, '--json']);
  assert.equal(json.trimEnd().split('\n').length, 1, 'one JSON object on one line');
  const { flows, journeys } = JSON.parse(json) as { flows: Flow[]; journeys: Journey[] };
  const inbound = flows.filter((f) => f.clientId === 'cpub' && f.kind === 'publish-qos2');
  assert.equal(inbound.length, 1);
  assert.equal(inbound[0].state, 'complete');
  assert.deepEqual(inbound[0].steps.map((s) => s.type), ['PUBLISH', 'PUBREC', 'PUBREL', 'PUBCOMP']);
  assert.ok(inbound[0].steps.every((s) => Number.isInteger(s.seq) && typeof s.timeUs === 'number'));
  assert.equal(journeys.length, 1);
  const [j] = journeys;
  assert.equal(j.topic, topic);
  assert.equal(j.publisher?.clientId, 'cpub');
  assert.equal(j.inboundFlow, inbound[0].id);
  assert.deepEqual(j.deliveries.map((d) => [d.clientId, d.qos, d.state]).sort(), [['csub1', 1, 'complete'], ['csub2', 2, 'complete']]);
  for (const d of j.deliveries) assert.equal(flows.find((f) => f.id === d.flow)?.clientId, d.clientId);
  assert.deepEqual(flows.filter((f) => f.kind === 'connect').map((f) => f.state), ['complete', 'complete', 'complete']);
  assert.equal(flows.filter((f) => f.state === 'broken').length, 0);

  const text = await run(process.execPath, [BIN, 'flows', file]);
  const header = text.split('\n')[0];
  assert.match(header, /^FLOW\s+CONN\s+CLIENT\s+KIND\s+ID\s+STATE\s+STEPS\s+TIME\s+TOPIC \/ PROBLEM$/);
  const row = text.split('\n').find((l) => /cpub\s+publish-qos2/.test(l))!;
  assert.match(row, /complete\s+PUBLISH→PUBREC→PUBREL→PUBCOMP\s+[\d.]+ (µs|ms)\s+'cli\/flows\/t'/);
  assert.equal(row.indexOf('publish-qos2'), header.indexOf('KIND'), 'columns are aligned');
  assert.match(text, /1 journey\n  #1 'cli\/flows\/t' q2 5 B {2}cpub \(flow \d+\) → csub\d q\d complete \(flow \d+\), csub\d q\d complete \(flow \d+\)/);
});

test('flows | head ends quietly; bad arguments give one clear line', async () => {
  const file = join(dir, 'many.mqtrace');
  const { broker, port } = await tracedBroker(file);
  const lines = Array.from({ length: 3000 }, (_, i) => `m${i}`).join('\n') + '\n';
  await run('mosquitto_pub', ['-p', port, '-i', 'many', '-t', 'many/t', '-l', '-q', '0'], 30000, lines);
  await broker.waitOut(/many → DISCONNECT/, 20000);
  assert.equal(await broker.kill('SIGINT'), 0);
  const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" flows "${file}" | head -n 2`], { encoding: 'utf8' });
  assert.equal(piped.status, 0);
  assert.equal(piped.stdout.split('\n').length, 3);
  assert.equal(piped.stderr, '', 'no EPIPE noise');

  const noFile = spawnSync(process.execPath, [BIN, 'flows'], { encoding: 'utf8' });
  assert.equal(noFile.status, 1);
  assert.match(noFile.stderr, /mqscope flows: needs a trace FILE/);
  const badMs = spawnSync(process.execPath, [BIN, 'flows', file, '--stalled-ms', 'soon'], { encoding: 'utf8' });
  assert.equal(badMs.status, 1);
  assert.match(badMs.stderr, /--stalled-ms must be a whole number of milliseconds ≥ 1, got "soon"/);
  const missing = spawnSync(process.execPath, [BIN, 'flows', join(dir, 'nope.mqtrace')], { encoding: 'utf8' });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cannot read .*nope\.mqtrace: ENOENT/);
});
