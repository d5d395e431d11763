// mosquitto's acl_file on the embedded broker: a matrix of users × topics × read/write/deny × %c/%u patterns,
// driven with raw clients and checked on the exact SUBACK / PUBACK / PUBREC bytes; message delivery is
// compared side by side with mosquitto 2.0.11 reading the same files.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { readBrokerConfigFile } from '../../electron/core/broker/config/load';
import { startTestCore, type TestCore } from '../support/core';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { ByteClient } from '../support/byte-client';
import { waitFor } from '../support/wait';

const run = promisify(execFile);
const ACL = `# anonymous clients (lines before any user)
topic read public/#
pattern readwrite clients/%c/#
pattern read users/%u/inbox

user alice
topic readwrite a/#
topic deny a/secret/#
topic write logs/alice

user bob
topic read a/#
topic read logs/#

user admin
topic readwrite #
`;

let dir: string;
let ours: TestCore;
let mosq: Mosquitto;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqscope-acl-'));
  const pw = join(dir, 'passwd');
  await run('mosquitto_passwd', ['-c', '-b', pw, 'alice', 'a']);
  for (const u of ['bob', 'admin']) await run('mosquitto_passwd', ['-b', pw, u, u[0]]);
  await writeFile(join(dir, 'acl'), ACL);
  await writeFile(join(dir, 'mosquitto.conf'), 'listener 0 127.0.0.1\nallow_anonymous true\npassword_file passwd\nacl_file acl\n');
  const parsed = await readBrokerConfigFile(join(dir, 'mosquitto.conf'));
  assert.deepEqual(parsed.errors, []);
  ours = await startTestCore(parsed.config);
  mosq = await startMosquitto({ allowAnonymous: true, extraConfig: [`password_file ${pw}`, `acl_file ${join(dir, 'acl')}`] });
});
after(async () => {
  await ours?.dispose();
  await mosq?.stop();
  await rm(dir, { recursive: true, force: true });
});

const PASSWORDS: Record<string, string> = { alice: 'a', bob: 'b', admin: 'a' };
async function client(port: number, user: string | undefined, version: 4 | 5, clientId = `${user ?? 'anon'}-${version}`): Promise<ByteClient> {
  const { c, connack } = await ByteClient.connect(port, { clientId, version, username: user, password: user ? PASSWORDS[user] : undefined });
  assert.equal(connack[3], 0, `${user} connects`);
  return c;
}

// [user, client id, filter, granted?]
const SUBSCRIPTIONS: [string | undefined, string, string, boolean][] = [
  ['alice', 'alice-c', 'a/#', true],
  ['alice', 'alice-c', 'a/secret/#', false], // a deny covers all of it
  ['alice', 'alice-c', 'a/secret/x', false],
  ['alice', 'alice-c', 'logs/alice', false], // write only
  ['alice', 'alice-c', 'b/#', false],
  ['bob', 'bob-c', 'a/+/x', true],
  ['bob', 'bob-c', '#', true], // overlaps a/# and logs/#
  ['bob', 'bob-c', 'clients/bob-c/x', true], // bob's own rules say nothing about it: the %c pattern grants
  ['bob', 'bob-c', 'users/bob/inbox', true],
  ['bob', 'bob-c', 'users/alice/inbox', false],
  [undefined, 'anon-c', 'public/#', true],
  [undefined, 'anon-c', 'clients/anon-c/#', true], // %c
  [undefined, 'anon-c', 'clients/other/#', false],
  [undefined, 'anon-c', 'users/+/inbox', false], // %u patterns skip clients without a username
  [undefined, 'anon-c', 'a/#', false],
  ['admin', 'admin-c', '$SYS/#', false], // "#" never covers "$" topics
  ['admin', 'admin-c', 'anything/at/all', true],
];

for (const version of [4, 5] as const) {
  test(`SUBACK codes per user and filter, MQTT ${version === 5 ? '5 (0x87)' : '3.1.1 (0x80)'}`, async () => {
    const refused = version === 5 ? 0x87 : 0x80;
    for (const [user, id, filter, granted] of SUBSCRIPTIONS) {
      const c = await client(ours.port, user, version, id);
      try {
        const suback = await c.subscribe(filter, 1);
        // SUBACK: 90 len mid mid [props-len] code
        const code = suback[suback.length - 1];
        const expect = granted ? 0x01 : refused;
        assert.equal(code, expect, `${user ?? 'anonymous'} (${id}) SUBSCRIBE ${filter}: got 0x${code.toString(16)}`);
      } finally { await c.close(); }
    }
  });
}

test('publish: allowed 0x00, refused 0x87 in v5 PUBACK/PUBREC; 3.1.1 acknowledges and drops (both brokers)', async () => {
  for (const [name, port] of [['MQScope', ours.port], ['mosquitto', mosq.port]] as const) {
    const reader = await client(port, 'admin', 4, `reader-${name}`);
    assert.equal((await reader.subscribe('#', 1)).toString('hex'), '9003000101');
    const alice5 = await client(port, 'alice', 5, 'alice-pub5');
    const alice4 = await client(port, 'alice', 4, 'alice-pub4');
    const bob5 = await client(port, 'bob', 5, 'bob-pub5');
    const anon5 = await client(port, undefined, 5, 'anon-pub5');
    try {
      const reasonOf = (b: Buffer | null) => (b!.length === 4 ? 0 : b![4]);
      assert.equal(reasonOf(await alice5.publish('a/ok1', 'alice v5 q1', 1)), 0x00, `${name}: alice a/ok1 q1`);
      assert.equal(reasonOf(await alice5.publish('a/ok2', 'alice v5 q2', 2)), 0x00, `${name}: alice a/ok2 q2`);
      assert.equal(reasonOf(await alice5.publish('logs/alice', 'alice log', 1)), 0x00, `${name}: alice logs/alice`);
      assert.equal(reasonOf(await alice5.publish('a/secret/x', 'leak v5', 1)), 0x87, `${name}: alice a/secret/x (deny)`);
      assert.equal(reasonOf(await alice5.publish('a/secret/y', 'leak v5 q2', 2)), 0x87, `${name}: alice a/secret/y q2 PUBREC`);
      assert.equal(reasonOf(await bob5.publish('a/x', 'bob is read-only', 1)), 0x87, `${name}: bob a/x`);
      assert.equal(reasonOf(await anon5.publish('public/x', 'anon is read-only', 1)), 0x87, `${name}: anonymous public/x`);
      // 3.1.1 has no code for it: a normal PUBACK (40 02 mid) / PUBREC, and the message goes nowhere.
      assert.equal((await alice4.publish('a/secret/z', 'leak v4', 1))!.toString('hex'), '40020001', `${name}: v4 PUBACK`);
      assert.equal((await alice4.publish('b/z', 'leak v4 q2', 2))!.toString('hex'), '50020002', `${name}: v4 PUBREC`);
      await alice4.publish('a/secret/q0', 'leak v4 q0', 0); // QoS 0: dropped silently, the connection stays
      await alice4.publish('a/last', 'marker', 1);
      await waitFor(() => reader.publishes().some((p) => p.topic === 'a/last'), { what: `${name}: marker delivered` });
      assert.deepEqual(reader.publishes().map((p) => `${p.topic} ${p.payload}`),
        ['a/ok1 alice v5 q1', 'a/ok2 alice v5 q2', 'logs/alice alice log', 'a/last marker'], `${name}: only allowed messages reach the reader`);
      assert.equal(alice5.publishes().length + alice4.publishes().length, 0);
    } finally {
      for (const c of [reader, alice5, alice4, bob5, anon5]) await c.close();
    }
  }
});

test('read is checked per delivered message: a deny under a granted wildcard, live and retained (both brokers)', async () => {
  for (const [name, port] of [['MQScope', ours.port], ['mosquitto', mosq.port]] as const) {
    const admin = await client(port, 'admin', 5, `admin-ret-${name}`);
    await admin.publish('a/secret/r', 'retained secret', 1, true);
    await admin.publish('a/open/r', 'retained open', 1, true);
    const alice = await client(port, 'alice', 4, `alice-sub-${name}`);
    const anon = await client(port, undefined, 4, `anon-sub-${name}`);
    try {
      assert.equal((await alice.subscribe('a/#', 1)).toString('hex'), '9003000101');
      assert.equal((await anon.subscribe('clients/#', 1)).toString('hex'), '9003000101');
      await admin.publish('a/secret/live', 'live secret', 1);
      await admin.publish('a/x', 'live open', 1);
      await admin.publish(`clients/anon-sub-${name}/in`, 'own place', 1);
      await admin.publish('clients/someone-else/in', 'not yours', 1);
      await admin.publish('a/done', 'end', 1);
      await admin.publish(`clients/anon-sub-${name}/done`, 'end', 1);
      await waitFor(() => alice.publishes().some((p) => p.topic === 'a/done') && anon.publishes().some((p) => p.topic.endsWith('/done')), { what: `${name}: end markers` });
      assert.deepEqual(alice.publishes().map((p) => `${p.topic} ${p.payload}${p.retain ? ' (retained)' : ''}`),
        ['a/open/r retained open (retained)', 'a/x live open', 'a/done end'], `${name}: alice never sees a/secret/...`);
      assert.deepEqual(anon.publishes().map((p) => p.topic), [`clients/anon-sub-${name}/in`, `clients/anon-sub-${name}/done`], `${name}: %c limits the anonymous client to its own place`);
    } finally {
      await admin.publish('a/secret/r', '', 1, true);
      await admin.publish('a/open/r', '', 1, true);
      for (const c of [admin, alice, anon]) await c.close();
    }
  }
});

test('mosquitto 2.0.11 grants a subscription it will never deliver to; MQScope refuses it up front', async () => {
  const m = await client(mosq.port, 'alice', 4, 'alice-grant-m');
  const o = await client(ours.port, 'alice', 4, 'alice-grant-o');
  try {
    assert.equal((await m.subscribe('b/#', 1)).toString('hex'), '9003000101');
    assert.equal((await o.subscribe('b/#', 1)).toString('hex'), '9003000180');
  } finally { await m.close(); await o.close(); }
});

test('a will is published only where its client may write (both brokers)', async () => {
  for (const [name, port] of [['MQScope', ours.port], ['mosquitto', mosq.port]] as const) {
    const reader = await client(port, 'admin', 4, `will-reader-${name}`);
    assert.equal((await reader.subscribe('#', 1)).toString('hex'), '9003000101');
    // The refused one first: by the time the allowed will arrives, the broker has dealt with the refused one.
    for (const topic of ['b/will', 'a/will']) {
      const { c, connack } = await ByteClient.connect(port, { clientId: `will-${topic}-${name}`, username: 'alice', password: 'a', will: { topic, payload: `gone from ${topic}`, qos: 1 } });
      assert.equal(connack.toString('hex'), '20020000');
      await c.drop();
    }
    const marker = await client(port, 'admin', 4, `will-marker-${name}`);
    await waitFor(() => reader.publishes().some((p) => p.topic === 'a/will'), { what: `${name}: the allowed will` });
    await marker.publish('z/end', 'end', 1);
    await waitFor(() => reader.publishes().some((p) => p.topic === 'z/end'), { what: `${name}: marker` });
    assert.deepEqual(reader.publishes().map((p) => p.topic), ['a/will', 'z/end'], `${name}: the will on b/will is not published`);
    await marker.close();
    await reader.close();
  }
});
