// Broker view, "Load mosquitto.conf…": the uploaded file's problems with their lines, the effective settings,
// and a broker started from it that real clients find as the file says (auth, ACL, listeners).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { run } from '../support/processes';
import { ByteClient } from '../support/byte-client';
import { startE2E, type E2E } from './harness';
import { BrokerPage } from './pages/BrokerPage';

const exec = promisify(execFile);
let e: E2E;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqscope-e2e-conf-'));
  e = await startE2E({ viewport: { width: 1280, height: 860 } });
});
after(async () => {
  await e?.close();
  await rm(dir, { recursive: true, force: true });
});

test('load a mosquitto.conf in the Broker view, see its problems and effective settings, run it', async () => {
  const { page } = e;
  const pw = join(dir, 'passwd');
  await exec('mosquitto_passwd', ['-c', '-b', pw, 'alice', 'wonder']);
  await exec('mosquitto_passwd', ['-b', pw, 'bob', 'builder']);
  await writeFile(join(dir, 'acl'), 'user alice\ntopic readwrite plant/#\nuser bob\ntopic read plant/#\npattern readwrite clients/%c/#\n');
  const bad = join(dir, 'bad.conf');
  await writeFile(bad, 'listener 0 127.0.0.1\nmax_keepalive 3\nallow_anonymous maybe\n');
  const good = join(dir, 'mosquitto.conf');
  await writeFile(good, [
    'listener 0 127.0.0.1', 'listener 0 127.0.0.1', 'protocol websockets', 'allow_anonymous false',
    `password_file ${pw}`, `acl_file ${join(dir, 'acl')}`, 'log_type all', 'max_keepalive 120', 'max_queued_messages 500',
  ].join('\n') + '\n');

  const broker = new BrokerPage(page);
  await broker.open();
  if (await page.getByTestId('broker-stop').isVisible()) await page.getByTestId('broker-stop').click();
  await page.getByTestId('broker-start').waitFor();

  // A file with wrong values: nothing is taken, every error names its line.
  await page.getByTestId('broker-conf-input').setInputFiles(bad);
  const errors = await page.getByTestId('broker-conf-errors').innerText();
  assert.match(errors, /bad\.conf:2: max_keepalive must be 10–65535, got 3/);
  assert.match(errors, /bad\.conf:3: allow_anonymous must be true or false, got "maybe"/);
  assert.match(await page.getByTestId('effective-auth').innerText(), /anonymous allowed/, 'the form kept its settings');

  await page.getByTestId('broker-conf-input').setInputFiles(good);
  await page.getByTestId('broker-conf-errors').waitFor({ state: 'detached' });
  assert.match(await page.getByTestId('broker-conf-warnings').innerText(), /mosquitto\.conf:7: "log_type" is a mosquitto option MQScope does not support; ignored/);
  assert.equal(await page.getByTestId('effective-listeners').innerText(), 'TCP 127.0.0.1:any\nWS 127.0.0.1:any/mqtt');
  assert.equal(await page.getByTestId('effective-auth').innerText(), 'anonymous refused · password_file (2 users)');
  assert.equal(await page.getByTestId('effective-acl').innerText(), 'acl_file (3 rules, 2 users)');
  assert.equal(await page.getByTestId('effective-limits').innerText(), 'keepalive ≤ 120 s · queue 500');
  assert.match(await page.getByTestId('effective-persistence').innerText(), /^off/);
  await page.screenshot({ path: join(dir, '..', 'mqscope-broker-config.png') });

  await page.getByTestId('broker-start').click();
  await page.getByTestId('broker-state').filter({ hasText: 'Running' }).waitFor();
  const port = String(await broker.tcpPort());
  assert.match(await page.getByTestId('broker-listeners').innerText(), /ws:\/\/127\.0\.0\.1:\d+\/mqtt/);
  await run('mosquitto_pub', ['-p', port, '-u', 'alice', '-P', 'wonder', '-t', 'plant/a', '-m', '1']);
  const anon = await run('mosquitto_pub', ['-p', port, '-t', 'plant/a', '-m', '1']).then(() => 'accepted', (x: Error) => x.message);
  assert.match(anon, /not authori[sz]ed/i);
  const { c: bob } = await ByteClient.connect(Number(port), { clientId: 'bob-e2e', username: 'bob', password: 'builder' });
  assert.equal((await bob.subscribe('plant/#', 1)).toString('hex'), '9003000101');
  assert.equal((await bob.subscribe('office/#', 1)).toString('hex'), '9003000280', 'the ACL refuses a subscription bob can never read');
  await bob.close();
  assert.deepEqual(e.errors, []);
});
