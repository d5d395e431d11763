// A TCP proxy that frames MQTT packets in both directions and can cut the connection at a chosen packet:
// the packet is swallowed (never reaches the other side) and both sockets are destroyed, like a network
// failure at exactly that point of a flow. Only the first matching packet cuts; later connections pass.
import net from 'node:net';

export type Direction = 'c2s' | 's2c';

export interface CutRule {
  dir: Direction;
  /** MQTT packet type (3 = PUBLISH, 4 = PUBACK, 5 = PUBREC, 6 = PUBREL, 7 = PUBCOMP). */
  type: number;
}

export interface CutProxy {
  port: number;
  /**
   * Arm a cut on the newest connection through the proxy (the one the test just opened); resolves when it
   * happened. Older connections, e.g. an earlier test's session finishing its last flow, are not cut.
   */
  cutAt(rule: CutRule): Promise<void>;
  /** Packet types seen per direction over all connections, in order (for assertions). */
  seen: { dir: Direction; type: number; flags: number; conn: number }[];
  /** Drop every open connection now (a network failure outside any flow). */
  breakAll(): void;
  close(): Promise<void>;
}

/** Split a byte stream into whole MQTT packets (fixed header + remaining length). */
class Framer {
  private buf = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      let len = 0;
      let mul = 1;
      let i = 1;
      for (; i < this.buf.length && i <= 4; i++) {
        const b = this.buf[i] as number;
        len += (b & 0x7f) * mul;
        mul *= 128;
        if (!(b & 0x80)) break;
      }
      if (i >= this.buf.length || i > 4) return out;
      const total = i + 1 + len;
      if (this.buf.length < total) return out;
      out.push(this.buf.subarray(0, total));
      this.buf = this.buf.subarray(total);
    }
  }
}

export async function startCutProxy(upstreamPort: number, host = '127.0.0.1'): Promise<CutProxy> {
  const sockets = new Set<net.Socket>();
  const seen: CutProxy['seen'] = [];
  let armed: { rule: CutRule; conn: number; done: () => void } | null = null;
  let connCount = 0;
  const server = net.createServer((down) => {
    const conn = ++connCount;
    down.pause();
    const up = net.connect(upstreamPort, host);
    sockets.add(down); sockets.add(up);
    const kill = (): void => { down.destroy(); up.destroy(); };
    const pipe = (from: net.Socket, to: net.Socket, dir: Direction): void => {
      const framer = new Framer();
      from.on('data', (chunk: Buffer) => {
        for (const packet of framer.push(chunk)) {
          if (from.destroyed) return;
          const type = (packet[0] as number) >> 4;
          seen.push({ dir, type, flags: (packet[0] as number) & 0x0f, conn });
          if (armed && armed.conn === conn && armed.rule.dir === dir && armed.rule.type === type) {
            const { done } = armed;
            armed = null;
            kill();
            done();
            return;
          }
          to.write(packet);
        }
      });
    };
    up.once('connect', () => down.resume());
    pipe(down, up, 'c2s');
    pipe(up, down, 's2c');
    down.on('close', kill); up.on('close', kill);
    down.on('error', kill); up.on('error', kill);
    down.once('close', () => sockets.delete(down)); up.once('close', () => sockets.delete(up));
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return {
    port: (server.address() as net.AddressInfo).port,
    seen,
    breakAll: () => { for (const s of sockets) s.destroy(); },
    cutAt: (rule) => new Promise<void>((resolve) => { armed = { rule, conn: connCount, done: resolve }; }),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
