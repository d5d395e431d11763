// electron-builder afterPack hook: set MQScope's fuses (build/fuses.mjs) on the binary it just packed.
const path = require('node:path');

exports.default = async function afterPack(context) {
  const { applyFuses } = await import('./fuses.mjs');
  const name = context.packager.appInfo.productFilename;
  const binary = context.electronPlatformName === 'darwin'
    ? path.join(context.appOutDir, `${name}.app`)
    : path.join(context.appOutDir, context.electronPlatformName === 'win32' ? `${name}.exe` : context.packager.executableName);
  await applyFuses(binary);
};
