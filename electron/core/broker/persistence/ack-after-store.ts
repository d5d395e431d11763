// aedes answers a QoS 1 PUBLISH with PUBACK before it stores the message for the subscribers' sessions.
// With persistence on, a broker killed in between would have acknowledged a message it then loses. This
// holds the PUBACK in the connection (cork) until aedes reports the message published (stored for every
// persistent session, handed to every online one), then lets it go. QoS 2 needs nothing: aedes stores
// the message before its PUBREC, and PUBCOMP only ends the flow.
import type { Client, PublishPacket } from 'aedes';
import type { Writable } from 'node:stream';

export class AckAfterStore {
  private held = new WeakMap<object, Writable>();

  /** Call once the PUBLISH is authorized, before aedes writes its PUBACK. */
  hold(client: Client | null, packet: PublishPacket & { _notAuthorized?: boolean }): void {
    if (!client || packet.qos !== 1 || packet._notAuthorized) return;
    const conn = (client as unknown as { conn?: Writable }).conn;
    if (!conn || conn.destroyed) return;
    conn.cork();
    this.held.set(packet, conn);
  }

  /** aedes' `published` hook: the message is stored and routed. */
  published = (packet: PublishPacket, _client: Client | null, done: (err?: Error | null) => void): void => {
    const conn = this.held.get(packet);
    if (conn) {
      this.held.delete(packet);
      conn.uncork();
    }
    done(null);
  };
}
