// The shipped CLI path: bin/mqscope.cjs (package.json's "bin") runs dist/node/cli.cjs (one bundle, the broker's npm packages inside)
// from the V8 code cache the build wrote. Checked on a copy of the package whose node_modules has no esbuild,
// tsx or TypeScript, as after `npm install --omit=dev`: the broker starts and real clients talk through it,
// with the cache as built, and with a cache that is corrupt, truncated, or left over from another build.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run, startPeer } from '../support/processes';

const root = join(import.meta.dirname, '../..');
const DEV_ONLY = new Set(['esbuild', '@esbuild', 'tsx', 'typescript', '.bin']);
let dir: string;
let app: string;
let cacheFile: string;
let pristineCache: Buffer;

before(async () => {
  await run(process.execPath, [join(root, 'build/build-node.mjs'), '--if-stale'], 60000);
  dir = await mkdtemp(join(tmpdir(), 'mqscope-compiled-'));
  app = join(dir, 'app');
  await mkdir(join(app, 'node_modules'), { recursive: true });
  await cp(join(root, 'bin'), join(app, 'bin'), { recursive: true });
  await cp(join(root, 'dist/node'), join(app, 'dist/node'), { recursive: true });
  await cp(join(root, 'package.json'), join(app, 'package.json'));
  for (const name of await readdir(join(root, 'node_modules'))) {
    if (!DEV_ONLY.has(name)) await symlink(join(root, 'node_modules', name), join(app, 'node_modules', name));
  }
  cacheFile = join(app, 'dist/node/cli.cjs.cache');
  pristineCache = await readFile(cacheFile);
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

/** What loading the bundle made of the cache file: 'used', 'rejected' (by V8) or why it was not read. */
async function cacheState(): Promise<string> {
  const js = `console.log(require(${JSON.stringify(join(app, 'bin/load-cli.cjs'))}).loadCli().cache);`;
  return (await run(process.execPath, ['-e', js])).trim();
}

/** Starts the copy's `mqscope broker`, passes one QoS 1 message from mosquitto_pub to mosquitto_sub, stops it. */
async function brokerPassesAMessage(): Promise<void> {
  const broker = startPeer(process.execPath, [join(app, 'bin/mqscope.cjs'), 'broker', '-p', '0', '--ws-port', 'off']);
  try {
    const out = await broker.waitOut(/listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 20000);
    const port = out.match(/mqtt:\/\/127\.0\.0\.1:(\d+)/)![1];
    const sub = startPeer('mosquitto_sub', ['-p', port, '-t', 'plant/+/temp', '-q', '1', '-C', '1', '-v']);
    // mosquitto_sub has subscribed once a retained message published after it starts is still delivered live;
    // publishing until it prints avoids sleeping on the subscription.
    for (let i = 0; i < 100 && !sub.out(); i++) {
      await run('mosquitto_pub', ['-p', port, '-t', 'plant/line1/temp', '-m', '21.5', '-q', '1']);
      await Promise.race([sub.exited, new Promise((r) => setTimeout(r, 50))]);
    }
    assert.equal(await sub.exited, 0);
    assert.equal(sub.out(), 'plant/line1/temp 21.5\n');
  } finally {
    assert.equal(await broker.kill('SIGINT'), 0, `broker stderr: ${broker.err()}`);
  }
  assert.equal(broker.err(), '');
}

test('the copy has no esbuild, tsx or TypeScript, and no builder: the run needs none of them', () => {
  for (const name of DEV_ONLY) assert.equal(existsSync(join(app, 'node_modules', name)), false, name);
  assert.equal(existsSync(join(app, 'build')), false);
});

test('the code cache the build wrote is used, and the broker answers real clients', async () => {
  assert.equal(await cacheState(), 'used');
  await brokerPassesAMessage();
});

test('a corrupt code cache is not handed to V8 (which would crash): the broker starts from source', async () => {
  const bad = Buffer.from(pristineCache);
  for (let i = 0; i < 40; i++) bad[bad.length - 1 - i * 997] ^= 0x5a; // inside V8's data, past the header
  await writeFile(cacheFile, bad);
  assert.equal(await cacheState(), 'corrupt');
  await brokerPassesAMessage();
});

test('a truncated or foreign cache file is ignored', async () => {
  await writeFile(cacheFile, pristineCache);
  await truncate(cacheFile, Math.floor(pristineCache.length / 2));
  assert.equal(await cacheState(), 'corrupt');
  await writeFile(cacheFile, 'not a cache at all\n');
  assert.equal(await cacheState(), 'not a code cache');
  await rm(cacheFile);
  assert.equal(await cacheState(), 'no cache file');
  await brokerPassesAMessage();
});

test('a cache left over from another build is not used, even for a bundle of the same length', async () => {
  // V8 itself checks only the source's length: a rebuilt bundle of the same size would run the old bytecode.
  await writeFile(cacheFile, pristineCache);
  const bundleFile = join(app, 'dist/node/cli.cjs');
  const bundle = await readFile(bundleFile, 'utf8');
  const edited = bundle
    .replace(/^\/\/ mqscope-build [0-9a-f]+/, (l) => l.replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0')))
    .replace('run the embedded broker headless', 'RUN THE EMBEDDED BROKER HEADLESS');
  assert.equal(edited.length, bundle.length);
  await writeFile(bundleFile, edited);
  try {
    assert.equal(await cacheState(), 'written for another build or Node');
    assert.match(await run(process.execPath, [join(app, 'bin/mqscope.cjs'), '--help']), /RUN THE EMBEDDED BROKER HEADLESS/);
    assert.match(await run(process.execPath, [join(app, 'bin/mqscope.mjs'), '--help']), /RUN THE EMBEDDED BROKER HEADLESS/, 'the .mjs name runs the same');
  } finally {
    await writeFile(bundleFile, bundle);
  }
});
