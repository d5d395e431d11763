// Electron fuses for a packaged MQScope: features of the Electron binary switched off for good (they are
// baked into the executable, not settable at run time). `node build/fuses.mjs PATH/TO/ELECTRON-BINARY`
// after packaging (electron-builder's afterPack, or by hand). Not applied to node_modules' Electron:
// development keeps its inspector.
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

export const FUSES = {
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node that runs any script.
  [FuseV1Options.RunAsNode]: false,
  // Cookies and other session data encrypted at rest with the OS key store.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS and --inspect would let anyone who can start the app inject code into it.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The renderer is served over app://; file:// gets no extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

export async function applyFuses(binaryPath) {
  await flipFuses(binaryPath, { ...FUSES, resetAdHocDarwinSignature: process.platform === 'darwin' });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2];
  if (!target) { console.error('usage: node build/fuses.mjs PATH/TO/ELECTRON-BINARY'); process.exit(2); }
  await applyFuses(target);
  console.log(`fuses set on ${target}`);
}
