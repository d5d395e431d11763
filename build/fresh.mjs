// Is a bundle newer than every source it was built from? esbuild's metafile lists the inputs, so the check
// is a stat per input (a few ms), and a stale bundle is never served after a source edit.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export function isFresh(root, metaFile, outFile) {
  let meta, built;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    built = statSync(outFile).mtimeMs;
  } catch {
    return false;
  }
  for (const input of Object.keys(meta.inputs ?? {})) {
    if (input.includes('node_modules/')) continue;
    try {
      if (statSync(path.join(root, input)).mtimeMs > built) return false;
    } catch {
      return false;
    }
  }
  return Object.keys(meta.inputs ?? {}).length > 0;
}
