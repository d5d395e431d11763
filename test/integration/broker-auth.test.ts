// Username/password from a mosquitto password_file made by the real mosquitto_passwd (both hash formats),
// allow_anonymous, and the exact CONNACK bytes — checked side by side with mosquitto 2.0.11 on the same file.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { readBrokerConfigFile } from '../../electron/core/broker/config/load';
import { startTestCore, type TestCore } from '../support/core';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { ByteClient } from '../support/byte-client';

const run = promisify(execFile);
let dir: string;
let ours: TestCore;
let mosq: Mosquitto;
let warnings: string[];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqscope-auth-'));
  const pw = join(dir, 'passwd');
  await run('mosquitto_passwd', ['-c', '-b', pw, 'alice', 'wonder land']); // mosquitto 2 default: $7$ (PBKDF2-SHA512)
  await run('mosquitto_passwd', ['-H', 'sha512', '-b', pw, 'bob', 'b0b']); // $6$ (SHA-512, mosquitto 1.x)
  await appendFile(pw, 'carol:plain-pass\n');
  const conf = join(dir, 'mosquitto.conf');
  await writeFile(conf, 'listener 0 127.0.0.1\nallow_anonymous false\npassword_file passwd\n');
  const parsed = await readBrokerConfigFile(conf);
  assert.deepEqual(parsed.errors, []);
  warnings = parsed.warnings;
  ours = await startTestCore(parsed.config);
  mosq = await startMosquitto({ allowAnonymous: false, extraConfig: [`password_file ${pw}`] });
});
after(async () => {
  await ours?.dispose();
  await mosq?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function connack(port: number, version: 4 | 5, username?: string, password?: string): Promise<string> {
  const { c, connack: bytes } = await ByteClient.connect(port, { clientId: `auth-${version}-${username ?? 'anon'}`, version, username, password });
  await c.close();
  return bytes.toString('hex');
}

test('the fixture really holds both mosquitto hash formats', async () => {
  const text = await readFile(join(dir, 'passwd'), 'utf8');
  assert.match(text, /^alice:\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/m);
  assert.match(text, /^bob:\$6\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/m);
  assert.ok(warnings.some((w) => /passwd:3: user "carol" has a plain-text password; MQScope accepts it, mosquitto would drop this entry/.test(w)), warnings.join('\n'));
});

test('MQTT 3.1.1: accepted and refused CONNACKs are byte for byte what mosquitto sends', async () => {
  const cases: [string | undefined, string | undefined, string][] = [
    ['alice', 'wonder land', '20020000'],
    ['bob', 'b0b', '20020000'],
    ['alice', 'wrong', '20020005'], // 0x05 not authorized, as mosquitto answers a wrong password
    ['bob', 'wonder land', '20020005'],
    ['nobody', 'x', '20020005'],
    ['alice', undefined, '20020005'],
    [undefined, undefined, '20020005'], // anonymous, allow_anonymous false
  ];
  for (const [user, pass, want] of cases) {
    assert.equal(await connack(ours.port, 4, user, pass), want, `MQScope, ${user}/${pass}`);
    assert.equal(await connack(mosq.port, 4, user, pass), want, `mosquitto, ${user}/${pass}`);
  }
});

test('MQTT 5: refused with 0x87 (Not authorized) exactly as mosquitto; accepted with 0x00', async () => {
  for (const [user, pass] of [['alice', 'nope'], ['nobody', 'x'], [undefined, undefined]] as const) {
    assert.equal(await connack(ours.port, 5, user, pass), '2003008700', `MQScope, ${user}`);
    assert.equal(await connack(mosq.port, 5, user, pass), '2003008700', `mosquitto, ${user}`);
  }
  for (const [user, pass] of [['alice', 'wonder land'], ['bob', 'b0b']] as const) {
    const ok = Buffer.from(await connack(ours.port, 5, user, pass), 'hex');
    assert.deepEqual([ok[0], ok[2], ok[3]], [0x20, 0x00, 0x00], `MQScope accepts ${user}`);
  }
});

test('a plain user:password line works on MQScope; mosquitto drops that entry', async () => {
  assert.equal(await connack(ours.port, 4, 'carol', 'plain-pass'), '20020000');
  assert.equal(await connack(ours.port, 4, 'carol', 'other'), '20020005');
  assert.equal(await connack(mosq.port, 4, 'carol', 'plain-pass'), '20020005');
});

test('allow_anonymous true lets clients without a username in, and still checks the ones with one', async () => {
  const t = await startTestCore({ ...ours.core.broker.getStatus().config, allowAnonymous: true });
  try {
    assert.equal(await connack(t.port, 4), '20020000');
    assert.equal(await connack(t.port, 4, 'alice', 'bad'), '20020005');
    assert.equal(await connack(t.port, 4, 'alice', 'wonder land'), '20020000');
  } finally { await t.dispose(); }
});

test('the single user of the Broker view still works next to a password_file', async () => {
  const t = await startTestCore({ ...ours.core.broker.getStatus().config, auth: { username: 'ops', password: 's3cret' } });
  try {
    assert.equal(await connack(t.port, 4, 'ops', 's3cret'), '20020000');
    assert.equal(await connack(t.port, 4, 'ops', 'nope'), '20020004', 'the single user keeps its 0x04 answer');
    assert.equal(await connack(t.port, 4, 'bob', 'b0b'), '20020000');
  } finally { await t.dispose(); }
});

test('a missing password_file stops the broker with a plain message', async () => {
  const t = await startTestCore();
  try {
    const st = await t.core.brokerStart({ config: { ...t.core.broker.getStatus().config, tcpPort: 0, passwordFile: join(dir, 'gone') } });
    assert.equal(st.state, 'failed');
    assert.match(st.error!, /password_file .*gone: file not found/);
  } finally { await t.dispose(); }
});
