// The dependency rules of ARCHITECTURE.md, enforced: shared ← electron/core ← hosts; shared ← renderer.
// Fails (exit 1) listing each import that points the wrong way.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const rules = [
  { dir: 'shared', forbidPkg: [/^node:/, /^electron$/, /^react/, /^ws$/, /^aedes/, /^mqtt-packet/], forbidDirs: ['electron', 'renderer'], why: 'shared/ is isomorphic' },
  { dir: 'electron/core', forbidPkg: [/^electron$/, /^react/], forbidDirs: ['renderer', 'electron/main', 'electron/preload', 'electron/web', 'electron/cli'], why: 'core is plain Node and knows no host' },
  { dir: 'renderer', forbidPkg: [/^node:/, /^electron$/, /^aedes/, /^ws$/, /^mqtt-packet/], forbidDirs: ['electron'], why: 'the renderer talks only to the contract' },
  { dir: 'electron/preload', forbidPkg: [/^node:/], forbidDirs: ['electron/core', 'renderer'], why: 'the preload is only a bridge' },
];
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mjs|js)$/.test(name)) yield p;
  }
}

const problems = [];
for (const rule of rules) {
  let list;
  try { list = [...files(join(root, rule.dir))]; } catch { continue; }
  for (const file of list) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      const where = relative(root, file);
      if (spec.startsWith('.')) {
        const target = relative(root, resolve(dirname(file), spec));
        for (const d of rule.forbidDirs) if (target === d || target.startsWith(d + '/')) problems.push(`${where}: imports ${spec} (${rule.why})`);
      } else if (rule.forbidPkg.some((re) => re.test(spec))) {
        problems.push(`${where}: imports package ${spec} (${rule.why})`);
      }
    }
  }
}
// One contract: channel strings live in shared/contract only.
for (const dir of ['electron', 'renderer']) {
  for (const file of files(join(root, dir))) {
    if (/['"]mqscope:[a-z]+['"]/.test(readFileSync(file, 'utf8'))) problems.push(`${relative(root, file)}: IPC channel string outside shared/contract`);
  }
}
if (problems.length) {
  console.error(`dependency rules broken (${problems.length}):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('dependency rules hold: shared ← electron/core ← hosts; shared ← renderer');
