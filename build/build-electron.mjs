// Bundles the Electron shell: main (Node, CJS) and the sandboxed preload.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning',
  // classic-level loads its native prebuild from its own package directory, so it cannot be bundled.
  external: ['electron', 'bufferutil', 'utf-8-validate', 'classic-level'] };
await build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.cjs' });
await build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs' });
console.log('built dist/electron/main.cjs and preload.cjs');
