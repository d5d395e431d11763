// `npm start`: the Electron app when its binary is installed; otherwise the same UI in web mode.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronPath = null;
try { electronPath = require('electron'); } catch { electronPath = null; }

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;
if (electronPath) {
  if (run(process.execPath, ['build/build-renderer.mjs', '--if-stale']) || run(process.execPath, ['build/build-electron.mjs'])) process.exit(1);
  spawn(electronPath, ['.'], { stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('The Electron binary is not installed here (its download was skipped or failed), so MQScope opens in web mode instead.');
  if (run(process.execPath, ['build/build-renderer.mjs', '--if-stale'])) process.exit(1);
  spawn(process.execPath, ['bin/mqscope.mjs', 'web', ...process.argv.slice(2)], { stdio: 'inherit' })
    .on('exit', (code) => process.exit(code ?? 0));
}
