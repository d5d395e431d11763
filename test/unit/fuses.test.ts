// The fuses build/fuses.mjs sets, read back from a binary with Electron's fuse wire (a stand-in file with the
// sentinel: the real binary cannot be downloaded here, and @electron/fuses only looks for the wire).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FuseV1Options } from '@electron/fuses';
// @ts-expect-error a plain .mjs build script without types
import { applyFuses } from '../../build/fuses.mjs';

test('a packaged binary cannot run as Node, take NODE_OPTIONS or --inspect, or load an app outside its asar', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mqscope-fuses-'));
  try {
    const binary = join(dir, 'mqscope');
    const allOn = Buffer.alloc(9, 0x31);
    await writeFile(binary, Buffer.concat([Buffer.alloc(4096, 1), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, allOn.length]), allOn, Buffer.alloc(64, 1)]));
    const wire = await applyFuses(binary) as Record<number, number>;
    const state = (f: FuseV1Options) => (wire[f] === 0x31 ? 'on' : wire[f] === 0x30 ? 'off' : String(wire[f]));
    assert.equal(state(FuseV1Options.RunAsNode), 'off');
    assert.equal(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable), 'off');
    assert.equal(state(FuseV1Options.EnableNodeCliInspectArguments), 'off');
    assert.equal(state(FuseV1Options.GrantFileProtocolExtraPrivileges), 'off');
    assert.equal(state(FuseV1Options.OnlyLoadAppFromAsar), 'on');
    assert.equal(state(FuseV1Options.EnableCookieEncryption), 'on');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
