// kill -9 in the middle of QoS 1/2 traffic to a persistent offline subscriber: after a restart on the same
// persistence directory, every message the broker acknowledged (PUBACK / PUBCOMP reached the publisher)
// is delivered to the subscriber.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { freePort } from '../support/ports';
import { startPeer, type Peer } from '../support/processes';
import { waitFor } from '../support/wait';

const BIN = join(import.meta.dirname, '../../bin/mqscope.mjs');
let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'mqscope-crash-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

async function startBroker(conf: string, port: number): Promise<Peer> {
  const b = startPeer(process.execPath, [BIN, 'broker', '-c', conf]);
  await b.waitOut(`listening on mqtt://127.0.0.1:${port}`, 30000);
  return b;
}

test('kill -9 mid-traffic: nothing the broker acknowledged is lost', async () => {
  const port = await freePort();
  const conf = join(dir, 'persist.conf');
  await writeFile(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location ${join(dir, 'store')}\nmax_inflight_messages 1000\n`);
  let broker = await startBroker(conf, port);
  const url = `mqtt://127.0.0.1:${port}`;
  const sub = await mqtt.connectAsync(url, { clientId: 'crash-sub', clean: false, reconnectPeriod: 0 });
  await sub.subscribeAsync('crash/#', { qos: 2 });
  await sub.endAsync();

  // 16 publishes in flight at any time, QoS 1 and 2 alternating; kill once 300 are acknowledged.
  const pub = mqtt.connect(url, { clientId: 'crash-pub', reconnectPeriod: 0 });
  pub.on('error', () => { /* the broker dies under it */ });
  await new Promise((r) => pub.once('connect', r));
  const acked = new Set<string>();
  let sent = 0;
  let stop = false;
  const lane = async () => {
    while (!stop) {
      const id = `m${sent++}`;
      try {
        await pub.publishAsync(`crash/${sent % 4}`, id, { qos: sent % 2 === 0 ? 1 : 2 });
        acked.add(id);
      } catch { return; }
    }
  };
  const lanes = Array.from({ length: 16 }, lane);
  await waitFor(() => acked.size >= 300, { timeoutMs: 30000, what: `300 acknowledged publishes (have ${acked.size})` });
  broker.proc.kill('SIGKILL');
  await broker.exited;
  stop = true;
  const ackedAtKill = new Set(acked);
  pub.end(true);
  await Promise.race([Promise.all(lanes), new Promise((r) => setTimeout(r, 2000))]);
  assert.ok(sent > ackedAtKill.size, 'the kill landed while publishes were still in flight');

  broker = await startBroker(conf, port);
  try {
    const got = new Set<string>();
    const again = mqtt.connect(url, { clientId: 'crash-sub', clean: false, reconnectPeriod: 0 });
    again.on('message', (_t, payload) => got.add(payload.toString()));
    const connack = await new Promise<mqtt.IConnackPacket>((r) => again.once('connect', r));
    assert.equal(connack.sessionPresent, true);
    await waitFor(() => [...ackedAtKill].every((id) => got.has(id)), {
      timeoutMs: 20000, what: `every acknowledged message (missing: ${[...ackedAtKill].filter((id) => !got.has(id)).slice(0, 10).join(', ')})`,
    });
    const lost = [...ackedAtKill].filter((id) => !got.has(id));
    assert.deepEqual(lost, []);
    await again.endAsync();
    console.log(`# crash test: ${sent} sent, ${ackedAtKill.size} acknowledged before kill -9, ${got.size} delivered after restart`);
  } finally {
    await broker.kill('SIGINT');
  }
});
