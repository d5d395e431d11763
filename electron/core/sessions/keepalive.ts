// Keep-alive [MQTT-3.1.2-23]: the client must send something within each keep-alive period; when idle it
// sends PINGREQ. If no PINGRESP comes back in time the connection is considered dead and closed, with an
// explanation, instead of hanging until TCP notices (which can take minutes).
export interface KeepAliveHooks {
  sendPing(): void;
  onTimeout(reason: string): void;
}

export class KeepAlive {
  private idleTimer: NodeJS.Timeout | null = null;
  private respTimer: NodeJS.Timeout | null = null;
  private readonly periodMs: number;
  private readonly responseTimeoutMs: number;

  /** seconds = 0 turns keep-alive off. */
  constructor(seconds: number, private readonly hooks: KeepAliveHooks) {
    this.periodMs = seconds * 1000;
    // Half a period, but at least 1 s so a 1 s keep-alive on a busy machine does not flap, and at most
    // 30 s so a 2-hour keep-alive still notices a dead link in reasonable time.
    this.responseTimeoutMs = Math.min(Math.max(this.periodMs / 2, 1000), 30_000);
  }

  get enabled(): boolean {
    return this.periodMs > 0;
  }

  /** Call whenever a packet is written: the idle clock restarts. */
  sent(): void {
    if (!this.enabled) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.ping(), this.periodMs);
  }

  /** Call when PINGRESP arrives. */
  pong(): void {
    if (this.respTimer) clearTimeout(this.respTimer);
    this.respTimer = null;
  }

  stop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.respTimer) clearTimeout(this.respTimer);
    this.idleTimer = this.respTimer = null;
  }

  private ping(): void {
    this.idleTimer = null;
    if (!this.respTimer) {
      const seconds = this.responseTimeoutMs / 1000;
      this.respTimer = setTimeout(() => {
        this.respTimer = null;
        this.stop();
        this.hooks.onTimeout(`no PINGRESP within ${seconds} s of PINGREQ: the broker or the network stopped answering`);
      }, this.responseTimeoutMs);
    }
    this.hooks.sendPing(); // calls sent(), which re-arms the idle timer
  }
}
