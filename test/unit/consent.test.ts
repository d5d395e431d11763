// What the desktop shell asks the user before a call reads a file or opens the network (shared/contract/
// sensitive.ts finds them; electron/main/consent.ts asks). No Electron needed: the asker is scripted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exposedHosts, pathsIn } from '../../shared/contract/sensitive';
import { Consent, ConsentError, type ConsentAsker } from '../../electron/main/consent';

test('paths are found wherever a call nests them, and a query field named dir is not one', () => {
  const found = pathsIn({
    config: {
      tls: { port: 8883, certPath: '/c.pem', keyPath: '/k.pem', caPath: '' },
      passwordFile: '/etc/mosquitto/passwd', persistence: { dir: '/var/lib/mqscope' },
      extraListeners: [{ kind: 'tls', host: '127.0.0.1', port: 1, certPath: '/x.pem' }],
    },
  });
  assert.deepEqual(found.map((p) => [p.at, p.kind]), [
    ['config.tls.certPath', 'file'], ['config.tls.keyPath', 'file'], ['config.passwordFile', 'file'],
    ['config.persistence.dir', 'folder'], ['config.extraListeners[0].certPath', 'file'],
  ]);
  assert.deepEqual(pathsIn({ dir: 'c2s', limit: 5 }), []);
  assert.deepEqual(exposedHosts('brokerStart', { config: { host: '0.0.0.0', extraListeners: [{ host: '::1' }, { host: '192.0.2.1' }] } }), ['0.0.0.0', '192.0.2.1']);
  assert.deepEqual(exposedHosts('brokerStart', { config: { host: '127.0.0.1' } }), []);
  assert.deepEqual(exposedHosts('sessionOpen', { config: { host: '0.0.0.0' } }), []);
});

test('the file the user chooses replaces the one asked for, is remembered, and a refusal stops the call', async () => {
  const asked: string[] = [];
  let answer: string | null = '/home/me/ca.pem';
  const asker: ConsentAsker = {
    choosePath: async (purpose, _kind, suggested) => { asked.push(`${purpose}:${suggested}`); return answer; },
    allowExposure: async () => false,
  };
  const consent = new Consent(asker);
  const params = { options: { tls: { caPath: '/tmp/ca.pem', rejectUnauthorized: true } } };
  const out = await consent.vet('sessionOpen', params) as typeof params;
  assert.equal(out.options.tls.caPath, '/home/me/ca.pem');
  assert.equal(params.options.tls.caPath, '/tmp/ca.pem', 'the caller\'s params are not changed in place');
  assert.deepEqual(asked, ['a TLS CA certificate:/tmp/ca.pem']);
  await consent.vet('sessionOpen', { options: { tls: { caPath: '/home/me/ca.pem' } } });
  assert.equal(asked.length, 1, 'a file already chosen is not asked again');
  answer = null;
  await assert.rejects(consent.vet('sessionOpen', { options: { tls: { keyPath: '/root/.ssh/id_rsa' } } }), (e: Error) => e instanceof ConsentError && /did not confirm a TLS private key/.test(e.message));
  await assert.rejects(consent.vet('brokerStart', { config: { host: '0.0.0.0' } }), /kept the broker local/);
});

test('a trace file to open or save is chosen in a dialog every time, with its own wording, and never becomes a standing permission', async () => {
  const asked: string[] = [];
  const answers: (string | null)[] = ['/home/me/a.mqtrace', '/home/me/a.mqtrace', '/home/me/out.pcap', null, null];
  const asker: ConsentAsker = {
    choosePath: async (purpose, kind, suggested, extensions) => { asked.push(`${kind}|${purpose}|${suggested}|${extensions ?? ''}`); return answers.shift()!; },
    allowExposure: async () => false,
  };
  const consent = new Consent(asker);
  const open = await consent.vet('traceFileOpen', { openFile: 'capture.mqtrace', transfer: 't1' }) as { openFile: string };
  assert.equal(open.openFile, '/home/me/a.mqtrace');
  // The same path again (a page that learned it) is still asked: choosing a file once is not a licence.
  await consent.vet('traceFileOpen', { openFile: '/home/me/a.mqtrace', transfer: 't2' });
  const save = await consent.vet('traceFileSave', { saveFile: 'capture.pcap', transfer: 't3', format: 'pcap' }) as { saveFile: string };
  assert.equal(save.saveFile, '/home/me/out.pcap');
  assert.deepEqual(asked, [
    'file|the trace file to open|capture.mqtrace|mqtrace',
    'file|the trace file to open|/home/me/a.mqtrace|mqtrace',
    'save|the file to save the trace in|capture.pcap|',
  ]);
  await assert.rejects(consent.vet('traceFileSave', { saveFile: 'capture.mqtrace', transfer: 't4' }), /you did not choose the file to save the trace in \(capture\.mqtrace\), so nothing was written/);
  await assert.rejects(consent.vet('traceFileOpen', { openFile: 'capture.mqtrace', transfer: 't5' }), /you did not confirm the trace file to open \(capture\.mqtrace\), so it was not read/);
  // A trace file chosen for opening does not let a later call read it as something else unasked.
  answers.push(null);
  await assert.rejects(consent.vet('sessionOpen', { options: { tls: { caPath: '/home/me/a.mqtrace' } } }), /did not confirm a TLS CA certificate/);
});
