// `mqscope broker -c mosquitto.conf`: the file's listeners and auth, flags winning over the file, warnings
// with file:line, and a wrong value stopping the broker before it starts (exit code 2).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { makeCertificates } from '../support/mosquitto';
import { freePorts } from '../support/ports';
import { run, startPeer } from '../support/processes';

const BIN = join(import.meta.dirname, '../../bin/mqscope.mjs');
const exec = promisify(execFile);
let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'mqscope-cli-conf-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

test('the file sets listeners (TCP, WebSocket, TLS, a second TCP port) and auth; warnings name file and line', async () => {
  const [tcp, ws, tlsPort, extra] = await freePorts(4);
  const certs = await makeCertificates(dir);
  await exec('mosquitto_passwd', ['-c', '-b', join(dir, 'pw'), 'dev', 'ice']);
  const conf = join(dir, 'a.conf');
  await writeFile(conf, [
    `listener ${tcp} 127.0.0.1`, `listener ${ws} 127.0.0.1`, 'protocol websockets', 'log_type all', 'password_file pw',
    `listener ${tlsPort} 127.0.0.1`, `certfile ${certs.certPath}`, `keyfile ${certs.keyPath}`, `listener ${extra} 127.0.0.1`,
  ].join('\n') + '\n');
  const broker = startPeer(process.execPath, [BIN, 'broker', '-c', conf]);
  try {
    await broker.waitOut(`listening on mqtt://127.0.0.1:${extra}`, 20000);
    assert.match(broker.out(), new RegExp(`listening on mqtt://127\\.0\\.0\\.1:${tcp}\\n`));
    assert.match(broker.out(), new RegExp(`listening on ws://127\\.0\\.0\\.1:${ws}/mqtt\\n`));
    assert.match(broker.out(), new RegExp(`listening on mqtts://127\\.0\\.0\\.1:${tlsPort}\\n`));
    await run('mosquitto_pub', ['-p', String(tlsPort), '--cafile', certs.caPath, '-u', 'dev', '-P', 'ice', '-t', 't', '-m', 'over tls']);
    await run('mosquitto_pub', ['-p', String(extra), '-u', 'dev', '-P', 'ice', '-t', 't', '-m', 'second port']);
    assert.match(broker.err(), new RegExp(`warning: ${conf.replace(/[.]/g, '\\.')}:4: "log_type" is a mosquitto option MQScope does not support; ignored`));
    await run('mosquitto_pub', ['-p', String(tcp), '-u', 'dev', '-P', 'ice', '-t', 't', '-m', 'x', '-q', '1']);
    const anon = await run('mosquitto_pub', ['-p', String(tcp), '-t', 't', '-m', 'x']).then(() => 'accepted', (e: Error) => e.message);
    assert.match(anon, /not authori[sz]ed/i, 'a listener without allow_anonymous refuses anonymous clients, as mosquitto 2 does');
  } finally { await broker.kill('SIGINT'); }
});

test('-p, --ws-port and --host win over the file', async () => {
  const [tcp, ws] = await freePorts(2);
  const conf = join(dir, 'b.conf');
  await writeFile(conf, `listener ${tcp} 127.0.0.2\nlistener ${ws} 127.0.0.2\nprotocol websockets\nallow_anonymous true\n`);
  const broker = startPeer(process.execPath, [BIN, 'broker', '-c', conf, '-p', '0', '--ws-port', 'off', '--host', '127.0.0.1']);
  try {
    const out = await broker.waitOut(/listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 20000);
    const port = Number(out.match(/mqtt:\/\/127\.0\.0\.1:(\d+)/)![1]);
    assert.notEqual(port, tcp);
    await run('mosquitto_pub', ['-p', String(port), '-t', 't', '-m', 'x']);
    assert.doesNotMatch(broker.out(), /ws:\/\//, '--ws-port off removes the file\'s WebSocket listener');
    assert.doesNotMatch(broker.out(), /127\.0\.0\.2/);
  } finally { await broker.kill('SIGINT'); }
});

test('wrong values: every error with file:line, exit code 2, nothing listens', async () => {
  const conf = join(dir, 'bad.conf');
  await writeFile(conf, 'listener 0 127.0.0.1\nmax_keepalive 5\nfrobnicate\nallow_anonymous perhaps\n');
  const broker = startPeer(process.execPath, [BIN, 'broker', '-c', conf]);
  assert.equal(await broker.exited, 2);
  assert.doesNotMatch(broker.out(), /listening/);
  const err = broker.err();
  assert.match(err, /2 errors in the configuration, the broker was not started/);
  assert.ok(err.includes(`${conf}:2: max_keepalive must be 10–65535, got 5`), err);
  assert.ok(err.includes(`${conf}:4: allow_anonymous must be true or false, got "perhaps"`), err);
  assert.ok(err.includes(`warning: ${conf}:3: unknown option "frobnicate"; ignored`), err);

  const acl = join(dir, 'bad.acl');
  await writeFile(acl, 'user a\ntopic maybe x/#\n');
  await writeFile(join(dir, 'acl.conf'), `listener 0 127.0.0.1\nacl_file ${acl}\n`);
  const b2 = startPeer(process.execPath, [BIN, 'broker', '-c', join(dir, 'acl.conf')]);
  assert.equal(await b2.exited, 2);
  assert.ok(b2.err().includes(`${acl}:2: access must be read, write, readwrite or deny, got "maybe"`), b2.err());

  const missing = startPeer(process.execPath, [BIN, 'broker', '-c', join(dir, 'nope.conf')]);
  assert.equal(await missing.exited, 2);
  assert.match(missing.err(), /nope\.conf: file not found/);
});
