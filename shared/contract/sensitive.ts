// Which calls of the contract reach outside the app: files they name and network exposure they ask for.
// Hosts that can ask the user (the Electron shell, with native dialogs) use this to make every such call
// pass through the user's consent first; the check lives here so a new method with a path is seen by all.

/** A file or folder a call would make core read or write, at its place in the params. */
export interface PathRef {
  /** Where it sits, e.g. "config.tls.certPath". */
  at: string;
  path: string;
  /** 'save': a file core would write, chosen in a save dialog. */
  kind: 'file' | 'folder' | 'save';
  /** What it is for, in words for a dialog title. */
  purpose: string;
  /** Ask every time, never from the paths already chosen: the dialog is how the user picks this file. */
  always?: boolean;
  /** File name extensions the dialog offers (none: any file). */
  extensions?: string[];
}

/** Keys that hold paths; `under` names the parent key where the name alone is too common (traceQuery has a `dir`). */
const PATH_KEYS: Record<string, { kind: PathRef['kind']; purpose: string; under?: string; always?: boolean; extensions?: string[] }> = {
  certPath: { kind: 'file', purpose: 'a TLS certificate' },
  keyPath: { kind: 'file', purpose: 'a TLS private key' },
  caPath: { kind: 'file', purpose: 'a TLS CA certificate' },
  passwordFile: { kind: 'file', purpose: 'a password file' },
  aclFile: { kind: 'file', purpose: 'an ACL file' },
  dir: { kind: 'folder', purpose: 'the broker persistence folder', under: 'persistence' },
  openFile: { kind: 'file', purpose: 'the trace file to open', always: true, extensions: ['mqtrace'] },
  saveFile: { kind: 'save', purpose: 'the file to save the trace in', always: true },
};

/** Every path in a call's params, found by key wherever it is nested (new config fields are covered too). */
export function pathsIn(params: unknown): PathRef[] {
  const out: PathRef[] = [];
  const walk = (v: unknown, at: string, parent: string) => {
    if (Array.isArray(v)) { v.forEach((x, i) => walk(x, `${at}[${i}]`, parent)); return; }
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const where = at ? `${at}.${k}` : k;
      const known = PATH_KEYS[k];
      if (known && typeof x === 'string' && x !== '' && (!known.under || known.under === parent)) {
        out.push({ at: where, path: x, kind: known.kind, purpose: known.purpose, ...(known.always ? { always: true } : {}), ...(known.extensions ? { extensions: known.extensions } : {}) });
      } else walk(x, where, k);
    }
  };
  walk(params, '', '');
  return out;
}

/** Replaces the path at `at` (as returned by pathsIn) in a copy of params. */
export function withPath<T>(params: T, at: string, path: string): T {
  const copy = structuredClone(params) as unknown;
  const keys = at.replace(/\[(\d+)\]/g, '.$1').split('.');
  let o = copy as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[keys[keys.length - 1]] = path;
  return copy as T;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;

/** Bind addresses a call would open to the network (anything but loopback). */
export function exposedHosts(method: string, params: unknown): string[] {
  if (method !== 'brokerStart') return [];
  const config = (params as { config?: { host?: string; extraListeners?: { host?: string }[] } } | undefined)?.config;
  if (!config) return [];
  const hosts = [config.host, ...(config.extraListeners ?? []).map((l) => l.host)].filter((h): h is string => typeof h === 'string');
  return [...new Set(hosts.filter((h) => !LOOPBACK.test(h)))];
}
