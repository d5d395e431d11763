// What the flow engine remembers per connection while folding: open exchanges by packet id, the
// connection's client id, will, Receive Maximum values, topic aliases and its loopback twin.
import type { Dir, Side } from '../contract/types';
import type { FrameExtras } from './frame';
import type { FlowRec } from './flow-record';

/** What the host knows about a connection (ConnectionInfo satisfies it). */
export interface ConnMeta {
  side: Side;
  local?: string;
  remote?: string;
  clientId?: string;
}

export const DEFAULT_RECEIVE_MAXIMUM = 65535;

export class ConnState {
  clientId: string | undefined;
  version = 4;
  /** Saw the connection open (or its CONNECT): an ack for an unknown id is then really unknown. */
  sawStart = false;
  closed = false;
  /** Sent DISCONNECT (without reason 0x04), so the broker must not publish the will [MQTT-3.1.2-10]. */
  graceful = false;
  will: FrameExtras['will'];
  connectUs = -1;
  sessionPresent = false;
  lastSubscribeUs = -1;
  /** Receive Maximum of the server (limits c2s publishes) and of the client (limits s2c). */
  rmC2S = DEFAULT_RECEIVE_MAXIMUM;
  rmS2C = DEFAULT_RECEIVE_MAXIMUM;
  /** Open flows keyed by originDir<<16 | packetId (each direction has its own id space). */
  readonly open = new Map<number, FlowRec>();
  connectFlow: FlowRec | null = null;
  authFlow: FlowRec | null = null;
  readonly pings: FlowRec[] = [];
  /** Topic aliases per direction [MQTT-3.3.2-12]. */
  readonly aliases: [Map<number, string>, Map<number, string>] = [new Map(), new Map()];
  /** The other tap's connection for the same TCP connection (client tap ↔ broker tap), 0 if none. */
  pair = 0;
  pairKey: string | null = null;
  /** Flows not yet matched with the twin's, by kind|origin|packetId, oldest first. */
  readonly unpeered = new Map<string, FlowRec[]>();
  lastSeq = -1;
  /** Publish flows finished on this connection (last 1024), and those of the client's previous
   *  connection: a resend after reconnect may answer an exchange that completed on the wire. */
  done = new Map<number, FlowRec>();
  prevDone: Map<number, FlowRec> | null = null;

  constructor(readonly id: number, readonly side: Side) {}
}

export function idKey(origin: Dir, packetId: number): number {
  return (origin === 's2c' ? 1 << 16 : 0) | packetId;
}

export function opposite(d: Dir): Dir { return d === 'c2s' ? 's2c' : 'c2s'; }

/** Cite a rule by its id in the connection's protocol version (5.0 renumbered them). */
export function rule(c: ConnState, v5: string, v311: string): string {
  return `[MQTT-${c.version === 5 ? v5 : v311}]`;
}
