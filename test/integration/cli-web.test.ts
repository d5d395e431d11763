// `mqscope web` (the compiled bundle, as `npm run web` runs it): a second instance with its own data folder
// and broker port, and clear errors for bad options.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';
import { createClient, type Envelope } from '../../shared/contract/rpc';
import { run, startPeer } from '../support/processes';

const BIN = join(import.meta.dirname, '../../bin/mqscope.mjs');

test('--data-dir and --broker-port: the UI sees that folder, and its broker starts on the port given (0: any free one)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mqscope-cli-web-'));
  const web = startPeer(process.execPath, [BIN, 'web', '--data-dir', dir, '--broker-port', '0']);
  try {
    const url = new URL((await web.waitOut(/web UI: (\S+)/, 30000)).match(/web UI: (\S+)/)![1]);
    const token = new URLSearchParams(url.hash.slice(1)).get('token');
    const ws = new WebSocket(`ws://${url.host}/rpc?token=${token}`, { origin: url.origin });
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const client = createClient({
      send: (m: Envelope) => ws.send(JSON.stringify(m)),
      onMessage: (h) => { const l = (d: WebSocket.RawData) => h(JSON.parse(d.toString())); ws.on('message', l); return () => ws.off('message', l); },
    });
    try {
      assert.equal((await client.api.hostInfo()).dataDir, dir);
      const offered = await client.api.brokerStatus();
      assert.equal(offered.config.tcpPort, 0);
      const started = await client.api.brokerStart({ config: offered.config });
      assert.equal(started.state, 'running', started.error);
      const port = started.listeners.find((l) => l.kind === 'tcp')!.port;
      assert.ok(port > 0 && port !== 1883, `a free port, not the default: ${port}`);
      // A real client nobody here wrote gets through it.
      await run('mosquitto_pub', ['-p', String(port), '-t', 'cli/web', '-m', 'hello', '-q', '1']);
      await client.api.brokerStop();
    } finally {
      ws.close();
    }
  } finally {
    assert.equal(await web.kill('SIGINT'), 0, `web stderr: ${web.err()}`);
    await rm(dir, { recursive: true, force: true });
  }
});

test('a bad --broker-port or --port is refused in one clear line', async () => {
  for (const [flag, value] of [['--broker-port', 'x'], ['--broker-port', '70000'], ['--port', '99999']]) {
    const web = startPeer(process.execPath, [BIN, 'web', flag, value]);
    assert.equal(await web.exited, 1);
    assert.equal(web.err().trim(), `mqscope web: ${flag} must be 0–65535, got ${value}`);
  }
});
