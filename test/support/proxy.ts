// A TCP proxy that records every byte each way: the ground truth "bytes on the socket" that the trace
// must equal.
import net from 'node:net';

export interface ProxiedConnection {
  /** Local port of the proxy's socket to the upstream = the remote port the broker sees. */
  upstreamLocalPort: number;
  c2s: Buffer[];
  s2c: Buffer[];
  closed: Promise<void>;
}

export interface RecordingProxy {
  port: number;
  connections: ProxiedConnection[];
  close(): Promise<void>;
}

export async function startRecordingProxy(upstreamPort: number, host = '127.0.0.1'): Promise<RecordingProxy> {
  const connections: ProxiedConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((down) => {
    down.pause();
    const up = net.connect(upstreamPort, host);
    sockets.add(down); sockets.add(up);
    let done!: () => void;
    const rec: ProxiedConnection = { upstreamLocalPort: 0, c2s: [], s2c: [], closed: new Promise((r) => (done = r)) };
    up.once('connect', () => {
      rec.upstreamLocalPort = up.localPort!;
      connections.push(rec);
      down.resume();
    });
    down.on('data', (b) => { rec.c2s.push(Buffer.from(b)); up.write(b); });
    up.on('data', (b) => { rec.s2c.push(Buffer.from(b)); down.write(b); });
    let closes = 0;
    const closeBoth = () => { down.end(); up.end(); if (++closes === 2) done(); };
    down.on('close', closeBoth); up.on('close', closeBoth);
    down.on('error', () => up.destroy()); up.on('error', () => down.destroy());
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
