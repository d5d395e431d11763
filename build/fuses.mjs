// Electron fuses for a packaged MQScope: switches compiled into the Electron binary that no runtime code can
// turn back on. Run on the packaged binary: node build/fuses.mjs path/to/MQScope (electron-builder calls
// applyFuses from build/after-pack.cjs). Asar integrity validation is left to the packager, which has to
// write the matching hashes.
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';

export const FUSES = {
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general Node interpreter.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS and --inspect would let anyone who can start the app inject code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Only the packaged app.asar is loaded, never loose files dropped next to it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // The renderer comes from app://, so file:// needs none of its old extra powers.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

export async function applyFuses(binary) {
  await flipFuses(binary, FUSES);
  return getCurrentFuseWire(binary);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const binary = process.argv[2];
  if (!binary) { console.error('usage: node build/fuses.mjs PATH_TO_PACKAGED_ELECTRON_BINARY'); process.exit(2); }
  const wire = await applyFuses(binary);
  console.log(`fuses set on ${binary}: ${Object.entries(wire).filter(([k]) => k !== 'version').map(([k, v]) => `${FuseV1Options[k]}=${v === 49 ? 'on' : v === 48 ? 'off' : v}`).join(', ')}`);
}
