// Small JSON documents the UI saves (connection profiles, publish templates, histories), one file per key.
// Passwords never hit the disk in plain text without the UI saying so: fields named "password" go
// through a SecretBox (Electron safeStorage when available).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SecretBox {
  kind: 'safeStorage' | 'plain';
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export const plainSecrets: SecretBox = { kind: 'plain', encrypt: (s) => s, decrypt: (s) => s };

export class DocStore {
  constructor(private dir: string, private secrets: SecretBox = plainSecrets) {}

  async get(key: string): Promise<unknown> {
    const file = this.file(key);
    let text: string;
    try { text = await readFile(file, 'utf8'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`could not read saved ${key}: ${(e as Error).message}`);
    }
    try {
      return this.open(JSON.parse(text));
    } catch (e) {
      // Keep the damaged file for the user; never overwrite it with a fresh save.
      const kept = `${file}.corrupt-${Date.now()}`;
      await rename(file, kept).catch(() => {});
      throw new Error(`saved ${key} file was damaged (${(e as Error).message}); it was kept as ${kept} and MQScope starts with an empty one`);
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(this.seal(value), null, 1), { mode: 0o600 });
    await rename(tmp, file);
  }

  private file(key: string): string { return join(this.dir, `${key}.json`); }

  private seal(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.seal(x));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        out[k] = k === 'password' && typeof x === 'string' && x !== '' ? { $secret: this.secrets.encrypt(x), kind: this.secrets.kind } : this.seal(x);
      }
      return out;
    }
    return v;
  }

  private open(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.open(x));
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$secret === 'string') {
        // Sealed by a keychain this host cannot open (e.g. saved by the desktop app, read in web mode).
        if (o.kind !== this.secrets.kind) return '';
        return this.secrets.decrypt(o.$secret);
      }
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) out[k] = this.open(x);
      return out;
    }
    return v;
  }
}
