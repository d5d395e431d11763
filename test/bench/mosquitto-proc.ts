// mosquitto for the bench: quiet config (logging every packet would skew it), CPU read from /proc.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchBroker {
  name: string;
  port: number;
  /** The broker's process (for --pin). */
  pid: number;
  cpuMs(): Promise<number>;
  stats?(): Promise<unknown>;
  /** Frames the broker's trace has evicted (MQScope's core only). */
  evicted?(): Promise<number>;
  clear?(): void;
  stop(): Promise<void>;
}

export async function startBenchMosquitto(): Promise<BenchBroker> {
  const port = await new Promise<number>((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });
  const dir = await mkdtemp(join(tmpdir(), 'mqscope-bench-mosq-'));
  const conf = join(dir, 'm.conf');
  await writeFile(conf, [
    `listener ${port} 127.0.0.1`, 'allow_anonymous true', 'max_inflight_messages 1000', 'max_queued_messages 1000000',
    'log_type error', 'persistence false', 'set_tcp_nodelay true', ...(process.getuid?.() === 0 ? ['user root'] : []),
  ].join('\n') + '\n');
  const proc = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: 'ignore' });
  process.once('exit', () => proc.kill('SIGKILL'));
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((r) => { const s = net.connect(port, '127.0.0.1', () => { s.destroy(); r(true); }); s.on('error', () => r(false)); });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    name: 'mosquitto',
    port,
    pid: proc.pid!,
    async cpuMs() {
      const f = (await readFile(`/proc/${proc.pid}/stat`, 'utf8')).split(') ')[1].split(' ');
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
    },
    async stop() { proc.kill(); await new Promise((r) => proc.once('exit', r)); },
  };
}
