// The 50,000-message burst against the core alone, without a page: broker-process CPU (user + system from
// /proc) until an external mosquitto_sub has all, for a core that a contract client watches with an in-app
// session subscribed (watched-burst-host.ts --watched) against the same core headless with a 2nd external
// subscriber (the twin). What the page asks for during the burst is left out, so this holds stiller than
// burst.ts on a shared machine and isolates what watching costs the core.
// Run: npx tsx test/bench/watched-burst.ts [--n N] [--runs R] [--root DIR] (BURST_PROF=dir: CPU profiles) (DIR: another checkout to run
// the same host from, for A/B; its node_modules must be installed).
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { burst, waitLine } from './burst';

const arg = (k: string, d: string) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };

export async function watchedBurst(root: string, n: number, watched: boolean): Promise<number> {
  const host = join(root, 'test/bench/watched-burst-host.ts');
  if (root !== join(import.meta.dirname, '../..')) copyFileSync(join(import.meta.dirname, 'watched-burst-host.ts'), host);
  // BURST_PROF=dir: a CPU profile of each host process.
  const prof = process.env.BURST_PROF ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BURST_PROF, watched ? 'watched' : 'twin')}`] : [];
  const proc = spawn(process.execPath, [...prof, '--import', 'tsx', host, ...(watched ? ['--watched'] : [])], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number((await waitLine(proc, /PORT (\d+)/))[1]);
  try {
    // Watched: the session is the 2nd subscriber; headless: a 2nd mosquitto_sub (the twin).
    return (await burst(port, n, !watched, proc.pid)).cpuMs;
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(arg('--n', '50000'));
  const runs = Number(arg('--runs', '3'));
  const roots = [join(import.meta.dirname, '../..'), ...(process.argv.includes('--root') ? [arg('--root', '')] : [])];
  for (let k = 0; k < runs; k++) {
    for (const root of roots) {
      const twin = await watchedBurst(root, n, false);
      const w = await watchedBurst(root, n, true);
      const load = (await import('node:os')).loadavg()[0].toFixed(1);
      console.log(`${k} ${root}: twin ${twin} ms, watched ${w} ms, ${(w / twin).toFixed(2)}× (load ${load})`);
    }
  }
  process.exit(0);
}
