// The broker's live state and actions, checked with clients nobody here wrote; TLS and auth listeners.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeCertificates, type TlsFiles } from '../support/mosquitto';
import { run, startPeer } from '../support/processes';
import { startTestCore } from '../support/core';
import { waitFor } from '../support/wait';

let dir: string;
let certs: TlsFiles;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqscope-broker-state-'));
  certs = await makeCertificates(dir);
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

test('clients table shows what each client asked for, and a client can be disconnected from it', async () => {
  const t = await startTestCore();
  try {
    const sub = startPeer('mosquitto_sub', ['-p', String(t.port), '-i', 'dash-1', '-V', 'mqttv5', '-k', '42', '-x', '300', '-c',
      '--will-topic', 'dash/1/status', '--will-payload', 'offline', '--will-qos', '1', '--will-retain', '-t', 'dash/#', '-q', '2']);
    const client = await waitFor(async () => (await t.core.brokerClients()).find((c) => c.clientId === 'dash-1'), { what: 'dash-1 in the clients table' });
    assert.equal(client.protocolVersion, 5);
    assert.equal(client.keepalive, 42);
    assert.equal(client.cleanStart, false);
    assert.equal(client.sessionExpiry, 300);
    assert.deepEqual(client.will, { topic: 'dash/1/status', qos: 1, retain: true, size: 7 });
    assert.equal(client.transport, 'tcp');
    assert.match(client.remote, /^127\.0\.0\.1:\d+$/);
    const subs = await waitFor(async () => { const l = (await t.core.brokerSubscriptions()).filter((s) => s.clientId === 'dash-1'); return l.length > 0 && l; });
    assert.deepEqual(subs.map((s) => [s.topic, s.qos, s.online]), [['dash/#', 2, true]]);
    await run('mosquitto_pub', ['-p', String(t.port), '-t', 'dash/x', '-m', 'ping']);
    const busy = await waitFor(async () => (await t.core.brokerClients()).find((c) => c.clientId === 'dash-1' && c.packetsOut >= 3));
    assert.ok(busy.bytesIn > 20 && busy.bytesOut > 20, 'byte counters move');

    assert.deepEqual(await t.core.brokerDisconnectClient({ clientId: 'dash-1' }), { disconnected: true });
    await waitFor(async () => (await t.core.connectionList()).find((c) => c.id === client.conn && c.closedAtMs), { what: 'the connection closed' });
    // mosquitto_sub reconnects by itself; stop it for good so its session is left offline.
    await waitFor(async () => (await t.core.brokerClients()).some((c) => c.clientId === 'dash-1' && c.conn !== client.conn), { what: 'mosquitto_sub reconnected' });
    await sub.kill('SIGKILL');
    const offline = await waitFor(async () => (await t.core.brokerOfflineSessions()).find((s) => s.clientId === 'dash-1'));
    assert.deepEqual(offline.subscriptions, [{ topic: 'dash/#', qos: 2 }]);
    assert.deepEqual(await t.core.brokerDisconnectClient({ clientId: 'nobody' }), { disconnected: false });
  } finally { await t.dispose(); }
});

test('retained messages: list, read, delete one, clear a subtree (with a dry-run count)', async () => {
  const t = await startTestCore();
  try {
    for (const [topic, msg] of [['home/a/temp', '20'], ['home/b/temp', '21'], ['home/b/hum', '40'], ['garden/temp', '15']]) {
      await run('mosquitto_pub', ['-p', String(t.port), '-t', topic, '-m', msg, '-r', '-q', '1']);
    }
    const all = await t.core.brokerRetained({ filter: '#' });
    assert.deepEqual(all.map((r) => r.topic), ['garden/temp', 'home/a/temp', 'home/b/hum', 'home/b/temp']);
    assert.deepEqual(await t.core.brokerRetainedPayload({ topic: 'home/b/hum' }), { topic: 'home/b/hum', payloadB64: Buffer.from('40').toString('base64') });
    assert.deepEqual(await t.core.brokerRetainedDelete({ topic: 'garden/temp' }), { deleted: true });
    assert.deepEqual(await t.core.brokerRetainedClear({ filter: 'home/b/#', dryRun: true }), { count: 2 });
    assert.equal((await t.core.brokerRetained({ filter: '#' })).length, 3, 'a dry run changes nothing');
    assert.deepEqual(await t.core.brokerRetainedClear({ filter: 'home/b/#' }), { count: 2 });
    assert.deepEqual((await t.core.brokerRetained({ filter: '#' })).map((r) => r.topic), ['home/a/temp']);
    // A real subscriber agrees: only home/a/temp is still retained.
    const out = await run('mosquitto_sub', ['-p', String(t.port), '-t', '#', '-v', '-W', '1', '--retained-only'], 5000).catch((e: Error) => e.message);
    assert.match(out, /home\/a\/temp 20/);
    assert.doesNotMatch(out, /home\/b|garden/);
  } finally { await t.dispose(); }
});

test('TLS listener with the user\'s certificate, and username/password auth', async () => {
  const tls = await startTestCore({ tls: { port: 0, certPath: certs.certPath, keyPath: certs.keyPath }, auth: { username: 'ops', password: 's3cret' } });
  try {
    const st = await tls.core.brokerStatus();
    const tlsPort = st.listeners.find((l) => l.kind === 'tls')!.port;
    await run('mosquitto_pub', ['-p', String(tlsPort), '--cafile', certs.caPath, '-u', 'ops', '-P', 's3cret', '-t', 'secure/x', '-m', 'ok', '-q', '1']);
    const bad = await run('mosquitto_pub', ['-p', String(tls.port), '-u', 'ops', '-P', 'wrong', '-t', 'x', '-m', 'no']).then(() => 'accepted', (e: Error) => e.message);
    assert.match(bad, /not authori[sz]ed|bad user name or password|Connection Refused/i);
    const conns = await tls.core.connectionList();
    assert.ok(conns.some((c) => c.transport === 'tls' && c.clientId !== undefined));
    const frames = (await tls.core.traceQuery({ types: ['CONNACK'] })).frames;
    assert.ok(frames.some((f) => f.reasonCode === 0) && frames.some((f) => f.reasonCode === 4), `CONNACK codes ${frames.map((f) => f.reasonCode)}`);
  } finally { await tls.dispose(); }
});

test('bad TLS files and a taken port are reported in plain words and nothing keeps running', async () => {
  const bogus = join(dir, 'not-a-cert.pem');
  await writeFile(bogus, 'hello');
  const t = await startTestCore();
  try {
    let st = await t.core.brokerStart({ config: { host: '127.0.0.1', tcpPort: 0, wsPort: null, wsPath: '/mqtt', auth: null, tls: { port: 0, certPath: join(dir, 'missing.crt'), keyPath: certs.keyPath } } });
    assert.equal(st.state, 'failed');
    assert.match(st.error!, /TLS certificate file not found: .*missing\.crt/);
    st = await t.core.brokerStart({ config: { host: '127.0.0.1', tcpPort: 0, wsPort: null, wsPath: '/mqtt', auth: null, tls: { port: 0, certPath: bogus, keyPath: certs.keyPath } } });
    assert.equal(st.state, 'failed');
    assert.match(st.error!, /TLS certificate\/key could not be used/);
    const other = await startTestCore();
    st = await t.core.brokerStart({ config: { host: '127.0.0.1', tcpPort: other.port, wsPort: null, wsPath: '/mqtt', auth: null, tls: null } });
    await other.dispose();
    assert.equal(st.state, 'failed');
    assert.match(st.error!, /port \d+ on 127\.0\.0\.1 is already in use/);
    assert.deepEqual(st.listeners, []);
    st = await t.core.brokerStart({ config: { ...st.config, tcpPort: 0 } });
    assert.equal(st.state, 'running', 'picking port 0 recovers');
  } finally { await t.dispose(); }
});
