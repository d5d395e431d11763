// One traced connection: what the store needs per frame (ConnCtx) and what the UI lists (info).
import type { ConnectionInfo } from '../../../shared/contract/types';
import type { ConnCtx } from './trace-store';

/**
 * A class, every field set in the constructor in one order: the store reads these fields for every frame,
 * and records built as literals that gained lastSeq, abort, partialSinceMs or lastProblem later, each at its
 * own moment, came in several hidden shapes, so those reads were polymorphic (V8's IC log).
 */
export class ConnRecord implements ConnCtx {
  sawConnect: boolean;
  packetsIn = 0;
  packetsOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  lastSeq = -1;
  lastProblem: string | undefined = undefined;
  abort: ((reason: string) => void) | undefined = undefined;
  partialSinceMs: number | undefined = undefined;
  readonly clientSide: boolean;
  version: number;

  /** imported: frames re-read from a file, the connection closed and its CONNECT checked when captured. */
  constructor(readonly id: number, public info: ConnectionInfo, readonly imported: boolean) {
    this.clientSide = info.side === 'client';
    this.version = info.protocolVersion ?? 4;
    this.sawConnect = imported;
  }

  onConnect(level: number, clientId: string | null): void {
    if (this.imported) return;
    if (level === 3 || level === 4 || level === 5) this.info.protocolVersion = level;
    if (clientId !== null && this.info.clientId === undefined) this.info.clientId = clientId;
  }
}
