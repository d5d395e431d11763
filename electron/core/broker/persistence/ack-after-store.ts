// aedes answers a QoS 1 PUBLISH with PUBACK before it stores the message for the subscribers' sessions.
// With persistence on, a broker killed in between would have acknowledged a message it then loses. This
// holds the PUBACK in the connection (cork) until aedes reports the message published (stored for every
// persistent session, handed to every online one), then lets it go. QoS 2 needs nothing: aedes stores
// the message before its PUBREC, and PUBCOMP only ends the flow.
// A corked connection must not fill up: publishing waits for every delivery, also one to the publisher
// itself, and a delivery waits for 'drain'. So once the connection's buffer is full, the hold ends at once
// (the PUBACK may then leave before the message is stored, as without this).
import type { Client, PublishPacket } from 'aedes';
import type { Writable } from 'node:stream';

interface Held { holds: number; write: Writable['write']; own: boolean }

export class AckAfterStore {
  private packets = new WeakMap<object, Writable>();
  private conns = new Map<Writable, Held>();

  /** Call once the PUBLISH is authorized, before aedes writes its PUBACK. */
  hold(client: Client | null, packet: PublishPacket & { _notAuthorized?: boolean }): void {
    if (!client || packet.qos !== 1 || packet._notAuthorized) return;
    const conn = (client as unknown as { conn?: Writable }).conn;
    if (!conn || conn.destroyed) return;
    let held = this.conns.get(conn);
    if (!held) {
      const write = conn.write;
      held = { holds: 0, write, own: Object.prototype.hasOwnProperty.call(conn, 'write') };
      this.conns.set(conn, held);
      conn.write = ((...args: Parameters<Writable['write']>) => {
        const ok = write.apply(conn, args);
        if (!ok) this.release(conn);
        return ok;
      }) as Writable['write'];
    }
    held.holds++;
    conn.cork();
    this.packets.set(packet, conn);
  }

  /** aedes' `published` hook: the message is stored and routed. */
  published = (packet: PublishPacket, _client: Client | null, done: (err?: Error | null) => void): void => {
    const conn = this.packets.get(packet);
    if (conn) {
      this.packets.delete(packet);
      const held = this.conns.get(conn);
      if (held) {
        held.holds--;
        conn.uncork();
        if (held.holds === 0) this.restore(conn, held);
      }
    }
    done(null);
  };

  private release(conn: Writable): void {
    const held = this.conns.get(conn);
    if (!held) return;
    for (; held.holds > 0; held.holds--) conn.uncork();
    this.restore(conn, held);
  }

  private restore(conn: Writable, held: Held): void {
    if (held.own) conn.write = held.write;
    else delete (conn as { write?: unknown }).write;
    this.conns.delete(conn);
  }
}
