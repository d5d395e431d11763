// QoS 1 and QoS 2 state machines, both directions [MQTT-4.3].
//   outgoing QoS 1: PUBLISH -> PUBACK
//   outgoing QoS 2: PUBLISH -> PUBREC -> PUBREL -> PUBCOMP
//   incoming QoS 2: PUBLISH -> PUBREC (id remembered) ... PUBREL -> PUBCOMP (id forgotten); a PUBLISH with a
//                   remembered id is a duplicate and is not delivered again [MQTT-4.3.3-2 method B].
// No I/O here: handlers return the packet to send, so the machine is easy to reason about and to test.
import type {
  IPubackPacket, IPubcompPacket, IPublishPacket, IPubrecPacket, IPubrelPacket, Packet,
} from 'mqtt-packet';
import type { AckResult, ProtocolVersion } from '../../../shared/contract/types';
import { reasonText, type AckKind } from './errors';
import { PacketIds } from './packet-ids';

export interface Deferred {
  resolve(result: AckResult): void;
  reject(err: Error): void;
}

interface OutgoingFlow {
  /** As it must be resent: full topic, no alias (aliases do not survive a reconnect [MQTT-3.3.2-7]). */
  resend: IPublishPacket;
  stage: 'publish' | 'pubrel';
  reasonCodes: number[];
  reasons: string[];
  done: Deferred;
}

export interface AckOutcome {
  reply?: Packet;
  /** Something odd worth an event in the trace (ack for an unknown id, ...). */
  note?: string;
}

export class Inflight {
  readonly ids = new PacketIds();
  private readonly outgoing = new Map<number, OutgoingFlow>();
  private readonly incoming = new Set<number>();

  constructor(private version: ProtocolVersion) {}

  setVersion(version: ProtocolVersion): void {
    this.version = version;
  }

  /** Outgoing QoS 1/2 flows not yet complete. */
  get count(): number {
    return this.outgoing.size;
  }

  /** Start tracking an outgoing QoS 1/2 PUBLISH whose id was allocated from `ids`. */
  track(resend: IPublishPacket, done: Deferred): void {
    const id = resend.messageId as number;
    this.outgoing.set(id, { resend, stage: 'publish', reasonCodes: [], reasons: [], done });
  }

  onPuback(p: IPubackPacket): AckOutcome {
    const id = p.messageId ?? 0;
    const flow = this.outgoing.get(id);
    if (!flow || flow.resend.qos !== 1) return { note: `PUBACK for packet id ${id}, which has no QoS 1 publish in flight` };
    this.finish(id, flow, p.reasonCode ?? 0, 'puback');
    return {};
  }

  onPubrec(p: IPubrecPacket): AckOutcome {
    const id = p.messageId ?? 0;
    const flow = this.outgoing.get(id);
    const rc = p.reasonCode ?? 0;
    if (!flow || flow.resend.qos !== 2) {
      // Answer anyway so a confused broker can finish its side; v5 says why [MQTT-4.3.3].
      return { reply: this.pubrel(id, this.version === 5 ? 0x92 : 0), note: `PUBREC for packet id ${id}, which has no QoS 2 publish in flight` };
    }
    if (flow.stage === 'pubrel') return { reply: this.pubrel(id, 0), note: `duplicate PUBREC for packet id ${id}` };
    this.note(flow, rc, 'pubrec');
    if (rc >= 0x80) {
      // A failed PUBREC ends the flow: no PUBREL follows [MQTT-4.3.3-4 (v5)].
      this.settle(id, flow);
      return {};
    }
    flow.stage = 'pubrel';
    return { reply: this.pubrel(id, 0) };
  }

  onPubcomp(p: IPubcompPacket): AckOutcome {
    const id = p.messageId ?? 0;
    const flow = this.outgoing.get(id);
    if (!flow || flow.stage !== 'pubrel') return { note: `PUBCOMP for packet id ${id}, which has no PUBREL outstanding` };
    this.finish(id, flow, p.reasonCode ?? 0, 'pubcomp');
    return {};
  }

  /** Incoming PUBLISH: whether to hand it to the user, and the ack to send. */
  onPublish(p: IPublishPacket): { deliver: boolean; reply?: Packet } {
    const id = p.messageId ?? 0;
    if (p.qos === 1) return { deliver: true, reply: { cmd: 'puback', messageId: id, reasonCode: 0 } };
    if (p.qos === 2) {
      const duplicate = this.incoming.has(id);
      this.incoming.add(id);
      return { deliver: !duplicate, reply: { cmd: 'pubrec', messageId: id, reasonCode: 0 } };
    }
    return { deliver: true };
  }

  onPubrel(p: IPubrelPacket): AckOutcome {
    const id = p.messageId ?? 0;
    const known = this.incoming.delete(id);
    const rc = known || this.version < 5 ? 0 : 0x92;
    return {
      reply: { cmd: 'pubcomp', messageId: id, reasonCode: rc },
      note: known ? undefined : `PUBREL for packet id ${id}, which has no QoS 2 message received`,
    };
  }

  /** After a reconnect with a resumed session: what to send again, oldest first [MQTT-4.4.0-1]. */
  resendPackets(): Packet[] {
    return [...this.outgoing.values()].map((flow) =>
      flow.stage === 'pubrel'
        ? this.pubrel(flow.resend.messageId as number, 0)
        : { ...flow.resend, dup: true });
  }

  /** The session state is gone (clean session, or the broker had none): fail everything in flight. */
  failAll(err: Error): void {
    const flows = [...this.outgoing.entries()];
    this.outgoing.clear();
    this.incoming.clear();
    for (const [id, flow] of flows) {
      this.ids.release(id);
      flow.done.reject(err);
    }
  }

  private pubrel(id: number, reasonCode: number): IPubrelPacket {
    return { cmd: 'pubrel', messageId: id, reasonCode };
  }

  private note(flow: OutgoingFlow, rc: number, kind: AckKind): void {
    flow.reasonCodes.push(rc);
    flow.reasons.push(reasonText(rc, kind, this.version));
  }

  private finish(id: number, flow: OutgoingFlow, rc: number, kind: AckKind): void {
    this.note(flow, rc, kind);
    this.settle(id, flow);
  }

  private settle(id: number, flow: OutgoingFlow): void {
    this.outgoing.delete(id);
    this.ids.release(id);
    flow.done.resolve({ packetId: id, reasonCodes: flow.reasonCodes, reasons: flow.reasons });
  }
}
