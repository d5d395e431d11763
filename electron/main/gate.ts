// What the page may not decide alone. The renderer is trusted less than the user: a call that would
// expose the broker to the network, or make the core read a file, goes through a native dialog the page
// cannot draw or click. A path the user picked in a dialog is remembered; only those reach the core.
import type { Envelope } from '../../shared/contract/rpc';

export interface Asker {
  /** The user's answer to a yes/no question (a native message box). */
  confirm(title: string, detail: string): Promise<boolean>;
  /** A native open dialog starting at `suggested`; the chosen path, or null if cancelled. */
  pickFile(title: string, suggested: string): Promise<string | null>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

type Req = { t: 'req'; id: number; method: string; params?: Record<string, unknown> };
const isReq = (m: unknown): m is Req => !!m && typeof m === 'object' && (m as Envelope).t === 'req' && typeof (m as Req).method === 'string';

export class CallGate {
  /** Paths the user chose in a dialog of ours. */
  private chosen = new Set<string>();

  constructor(private ask: Asker) {}

  /** Note a path the user chose in one of our dialogs (the File menu, for instance). */
  chose(path: string): void { this.chosen.add(path); }

  /** The call to pass on (possibly with paths replaced by what the user picked), or an error answer. */
  async check(msg: unknown): Promise<{ pass: unknown } | { refuse: Envelope }> {
    if (!isReq(msg)) return { pass: msg };
    const refuse = (message: string) => ({ refuse: { t: 'res', id: msg.id, ok: false, error: { code: 'refused', message } } as Envelope });
    const p = msg.params ?? {};
    if (msg.method === 'brokerStart') {
      const cfg = (p.config ?? null) as { host?: unknown; tls?: Record<string, unknown> | null } | null;
      if (cfg && typeof cfg.host === 'string' && !LOOPBACK.has(cfg.host)) {
        const yes = await this.ask.confirm('Open the broker to the network?',
          `The broker would listen on ${cfg.host}: other machines could connect to it and read and write every topic. Start it anyway?`);
        if (!yes) return refuse(`starting the broker on ${cfg.host} needs your consent in the dialog; it was not given`);
      }
      if (cfg?.tls) for (const k of ['certPath', 'keyPath', 'caPath']) if (!(await this.path(cfg.tls, k, 'TLS file for the broker'))) return refuse(`the TLS ${k} was not chosen in the file dialog`);
    }
    if (msg.method === 'sessionOpen') {
      const tls = ((p.options ?? {}) as { tls?: Record<string, unknown> }).tls;
      if (tls) for (const k of ['caPath', 'certPath', 'keyPath']) if (!(await this.path(tls, k, 'TLS file for the connection'))) return refuse(`the TLS ${k} was not chosen in the file dialog`);
    }
    return { pass: msg };
  }

  /** obj[key], if set, must be a path the user chose; otherwise ask now, and put the answer in its place. */
  private async path(obj: Record<string, unknown>, key: string, what: string): Promise<boolean> {
    const v = obj[key];
    if (v === undefined || v === '' || v === null) return true;
    if (typeof v !== 'string') return false;
    if (this.chosen.has(v)) return true;
    const picked = await this.ask.pickFile(`Choose the ${what} (${key})`, v);
    if (!picked) return false;
    this.chosen.add(picked);
    obj[key] = picked;
    return true;
  }
}
