// The page may ask core to read a file or to open the broker to the network, but in the desktop app such a
// call only goes through once the user said yes in a native dialog: a path is confirmed by choosing it in
// a file dialog (remembered for this run), an address other than loopback by an explicit question. A page
// that went rogue can then neither read ~/.ssh/id_rsa as a "TLS key" nor expose the broker on its own.
// The dialogs themselves are in consent-dialogs.ts; this file is plain logic (tested without Electron).
import { exposedHosts, pathsIn, withPath, type PathRef } from '../../shared/contract/sensitive';

export interface ConsentAsker {
  /** Resolves to the path the user chose (maybe another one), or null if they cancelled. */
  choosePath(purpose: string, kind: PathRef['kind'], suggested: string, extensions?: string[]): Promise<string | null>;
  allowExposure(hosts: string[]): Promise<boolean>;
}

export class ConsentError extends Error {}

/** Paths the user chose in this run; asking again for the same file would only train people to click yes. */
export class Consent {
  private granted = new Set<string>();
  constructor(private ask: ConsentAsker) {}

  /** Returns params to pass on (a path the user picked instead replaces the one asked for), or throws. */
  async vet(method: string, params: unknown): Promise<unknown> {
    let out = params;
    for (const ref of pathsIn(params)) {
      if (!ref.always && this.granted.has(ref.path)) continue;
      const chosen = await this.ask.choosePath(ref.purpose, ref.kind, ref.path, ref.extensions);
      if (chosen === null) {
        throw new ConsentError(`${method}: you did not ${ref.kind === 'save' ? 'choose' : 'confirm'} ${ref.purpose} (${ref.path}), so ${ref.kind === 'save' ? 'nothing was written' : 'it was not read'}`);
      }
      // A file picked in an open or save dialog for this one call is not a standing permission.
      if (!ref.always) this.granted.add(chosen);
      if (chosen !== ref.path) out = withPath(out, ref.at, chosen);
    }
    const hosts = exposedHosts(method, out);
    if (hosts.length && !(await this.ask.allowExposure(hosts))) {
      throw new ConsentError(`${method}: you kept the broker local, so it was not started on ${hosts.join(', ')}`);
    }
    return out;
  }
}
