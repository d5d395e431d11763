// Child processes (real MQTT peers) with their output collected and waited on, never slept on.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Peer {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
  /** Wait until stdout contains `text` (or matches). */
  waitOut(match: string | RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => { for (const p of live) p.kill('SIGKILL'); });

export function startPeer(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Peer {
  const proc = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}) });
  live.add(proc);
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  proc.stdout!.on('data', (b) => { out += b; for (const w of waiters) w(); });
  proc.stderr!.on('data', (b) => { err += b; });
  const exited = new Promise<number | null>((resolve) => proc.once('close', (code) => { live.delete(proc); for (const w of waiters) w(); resolve(code); }));
  if (opts.input !== undefined) proc.stdin!.end(opts.input); else proc.stdin!.end();
  return {
    proc,
    out: () => out,
    err: () => err,
    exited,
    waitOut(match, timeoutMs = 10000) {
      const test = () => (typeof match === 'string' ? out.includes(match) : match.test(out));
      if (test()) return Promise.resolve(out);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`timed out waiting for ${match} from ${cmd} ${args.join(' ')}\nstdout: ${out}\nstderr: ${err}`)); }, timeoutMs);
        const check = () => {
          if (test()) { clearTimeout(timer); waiters.delete(check); resolve(out); }
          else if (proc.exitCode !== null && !test()) { clearTimeout(timer); waiters.delete(check); reject(new Error(`${cmd} exited (${proc.exitCode}) before printing ${match}\nstdout: ${out}\nstderr: ${err}`)); }
        };
        waiters.add(check);
      });
    },
    async kill(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Run to completion; rejects with output on a non-zero exit or timeout. */
export async function run(cmd: string, args: string[], timeoutMs = 15000, input?: string): Promise<string> {
  const p = startPeer(cmd, args, { input });
  const timer = setTimeout(() => p.proc.kill('SIGKILL'), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}\nstdout: ${p.out()}\nstderr: ${p.err()}`);
  return p.out();
}
