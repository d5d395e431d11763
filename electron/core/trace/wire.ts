// What a connection owner (broker listener or client session) needs from the trace: register a connection,
// attach its byte stream to the tap, keep its metadata current. Implemented by TraceRecorder.
import type { Duplex } from 'node:stream';
import type { ConnectionInfo } from '../../../shared/contract/types';

export type NewConnection = Pick<ConnectionInfo, 'side' | 'transport' | 'remote' | 'local'> &
  Partial<Pick<ConnectionInfo, 'clientId' | 'sessionId' | 'protocolVersion'>>;

export interface WireRecorder {
  /** Register a connection; the returned handle records everything about it. */
  openConnection(info: NewConnection): WireConnection;
}

export interface WireConnection {
  readonly id: number;
  /**
   * Tap a stream: every byte pushed into its readable side (received) and every byte written to it (sent)
   * is framed and recorded, without changing a byte. For side 'broker' received = c2s; for 'client' sent = c2s.
   * The connection is closed in the trace when the stream closes.
   */
  attach(stream: Duplex): void;
  /** Update metadata (client id once CONNECT is seen, protocol version, ...). */
  update(patch: Partial<Pick<ConnectionInfo, 'clientId' | 'protocolVersion' | 'remote' | 'local' | 'sessionId'>>): void;
  /** Record an event on this connection (no bytes), e.g. "TLS handshake failed: ...". */
  event(text: string): void;
  /** Why this connection is about to close, when the owner knows better than the socket (e.g. aedes' reason). */
  closing(reason: string): void;
  /** Mark closed (idempotent); attach() does this on stream close by itself. */
  close(reason?: string): void;
}
