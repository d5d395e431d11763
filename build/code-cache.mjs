// Writes V8's code cache for dist/node/cli.cjs (run by build-node.mjs in a fresh process). A training start:
// `mqscope broker` on a free port answers one MQTT 3.1.1 and one MQTT 5 client that subscribe, publish at
// QoS 1 and disconnect, so the cache holds the bytecode of everything the first client needs, not only of
// the top level; then the broker is stopped the way Ctrl-C stops it.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { DIST, FILES, encodeCache, loadCli } from '../bin/load-cli.cjs';

const root = join(import.meta.dirname, '..');
const port = await new Promise((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
const cli = loadCli({ at: root, useCache: false });
const stopped = cli.exports.main(['broker', '-p', String(port), '--ws-port', 'off']);

const str = (s) => [s.length >> 8, s.length & 255, ...Buffer.from(s)];
const packet = (type, body) => Buffer.from([type, body.length, ...body]);
function session(version, id) {
  const props = version === 5 ? [0] : [];
  return [
    packet(0x10, [...str('MQTT'), version, 2, 0, 60, ...props, ...str(id)]),
    packet(0x82, [0, 1, ...props, ...str('train/#'), 1]),
    packet(0x32, [...str('train/t'), 0, 2, ...props, ...Buffer.from('{"n":1}')]),
    packet(0xe0, version === 5 ? [0, 0] : []),
  ];
}
/** Sends the packets one by one, each after the broker's answer to the one before (all have one). */
async function client(packets) {
  const s = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => { s.once('connect', resolve); s.once('error', reject); });
  for (const p of packets.slice(0, -1)) {
    s.write(p);
    await new Promise((r) => s.once('data', r));
  }
  s.end(packets.at(-1));
  await new Promise((r) => s.once('close', r));
}
for (let tries = 0; ; tries++) {
  try { await client(session(4, 'train-3')); break; } catch (e) { if (tries > 500) throw e; await new Promise((r) => setTimeout(r, 10)); }
}
await client(session(5, 'train-5'));
writeFileSync(join(root, DIST, FILES.cache), encodeCache(cli.source, cli.script.createCachedData()));
process.emit('SIGINT');
process.exitCode = await stopped;
