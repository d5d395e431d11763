// `$SYS/broker/...` statistics in mosquitto's topic layout, published retained every `intervalS` seconds
// (mosquitto's sys_interval). Byte and packet counts come from the wire tap's per-connection counters, so
// nothing is counted twice on the packet path.
import type { ConnRecord } from '../../trace/conn-record';

export interface SysSource {
  /** The tap's records (both sides; only the broker side counts). */
  conns: Map<number, ConnRecord>;
  clientsConnected(): number;
  /** Persistent sessions whose client is not connected. */
  clientsDisconnected(): Promise<number>;
  subscriptionCount(): Promise<number>;
  retainedCount(): Promise<number>;
  droppedCount(): number;
  publishReceived(): number;
  publish(topic: string, payload: string): void;
}

/** Topics the statistics are published on (retained, as mosquitto does). */
export const isSysStat = (topic: string): boolean => topic.startsWith('$SYS/broker/');

interface Counts { pi: number; po: number; bi: number; bo: number }

export class SysStats {
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt = Date.now();
  private readonly seen = new Map<number, Counts>();
  private readonly retired: Counts = { pi: 0, po: 0, bi: 0, bo: 0 };
  private maxConnected = 0;

  constructor(private src: SysSource, intervalS: number, private version: string) {
    if (intervalS > 0) {
      this.timer = setInterval(() => { void this.tick(); }, intervalS * 1000);
      this.timer.unref();
      void this.tick();
    }
  }

  stop(): void { if (this.timer) clearInterval(this.timer); this.timer = null; }

  /** Totals over every broker-side connection so far, including ones the trace has forgotten. */
  totals(): Counts {
    const now: Counts = { ...this.retired };
    const alive = new Set<number>();
    for (const [id, r] of this.src.conns) {
      if (r.clientSide) continue;
      alive.add(id);
      const c = { pi: r.packetsIn, po: r.packetsOut, bi: r.bytesIn, bo: r.bytesOut };
      this.seen.set(id, c);
      now.pi += c.pi; now.po += c.po; now.bi += c.bi; now.bo += c.bo;
    }
    for (const [id, c] of this.seen) {
      if (alive.has(id)) continue;
      this.retired.pi += c.pi; this.retired.po += c.po; this.retired.bi += c.bi; this.retired.bo += c.bo;
      now.pi += c.pi; now.po += c.po; now.bi += c.bi; now.bo += c.bo;
      this.seen.delete(id);
    }
    return now;
  }

  async tick(): Promise<void> {
    const s = this.src;
    const t = this.totals();
    const connected = s.clientsConnected();
    this.maxConnected = Math.max(this.maxConnected, connected);
    const disconnected = await s.clientsDisconnected();
    const pub = (topic: string, v: string | number) => s.publish(`$SYS/broker/${topic}`, String(v));
    pub('version', this.version);
    pub('uptime', `${Math.floor((Date.now() - this.startedAt) / 1000)} seconds`);
    pub('clients/connected', connected);
    pub('clients/active', connected);
    pub('clients/disconnected', disconnected);
    pub('clients/inactive', disconnected);
    pub('clients/total', connected + disconnected);
    pub('clients/maximum', this.maxConnected);
    pub('messages/received', t.pi);
    pub('messages/sent', t.po);
    pub('publish/messages/received', s.publishReceived());
    pub('publish/messages/dropped', s.droppedCount());
    pub('bytes/received', t.bi);
    pub('bytes/sent', t.bo);
    pub('subscriptions/count', await s.subscriptionCount());
    pub('retained messages/count', await s.retainedCount());
  }
}
