// Step mode: the steps of QoS flows that a session would otherwise take by itself wait here for the user.
// An incoming PUBLISH (QoS 1/2), PUBREC or PUBREL is handled at once (delivered, state advanced) but its
// acknowledgement is held; an incoming PUBACK or PUBCOMP is held before it is applied, so the flow stays
// open. The user sends, delays, duplicates or drops each held step. Held steps belong to one connection:
// when it closes they are discarded (the resumed session resends what MQTT says must be resent).
import type { StepAction, StepItem, StepState } from '../../../shared/contract/types';
import type { WireConnection } from '../trace/wire';
import { SessionError } from './errors';

interface Held {
  item: StepItem;
  wire: WireConnection;
  run: () => void;
  timer?: NodeJS.Timeout;
}

export type StepInfo = Omit<StepItem, 'id' | 'heldAtMs' | 'dueAtMs'>;

export class StepQueue {
  private enabled = false;
  private readonly held = new Map<number, Held>();
  private nextId = 1;

  constructor(private readonly sessionId: string, private readonly changed: (state: StepState) => void) {}

  get on(): boolean {
    return this.enabled;
  }

  state(): StepState {
    return { sessionId: this.sessionId, on: this.enabled, items: [...this.held.values()].map((h) => ({ ...h.item })) };
  }

  /** Turning step mode off lets every held step go, in order, as the session would have. */
  setOn(on: boolean, wire: WireConnection | null): void {
    if (on === this.enabled) return;
    this.enabled = on;
    wire?.event(on ? 'step mode on: acknowledgements wait for the user' : `step mode off${this.held.size ? `: releasing ${this.held.size} held step(s)` : ''}`);
    if (!on) {
      for (const h of [...this.held.values()]) {
        if (h.timer) continue; // a delayed step keeps its time
        this.held.delete(h.item.id);
        h.run();
      }
    }
    this.emit();
  }

  hold(wire: WireConnection, info: StepInfo, run: () => void): void {
    const item: StepItem = { ...info, id: this.nextId++, heldAtMs: Date.now() };
    this.held.set(item.id, { item, wire, run });
    this.emit();
  }

  act(id: number, action: StepAction, delayMs = 0): void {
    const h = this.held.get(id);
    if (!h) throw new SessionError(`step ${id} is not waiting (already handled, or its connection closed)`);
    if (h.timer) throw new SessionError(`step ${id} is already delayed; it goes out by itself`);
    const what = describe(h.item);
    switch (action) {
      case 'send':
        this.held.delete(id);
        h.wire.event(`step mode: ${what} — ${h.item.reply ? 'sent' : 'applied'} by the user`);
        h.run();
        break;
      case 'duplicate':
        this.held.delete(id);
        h.wire.event(`step mode: ${what} — ${h.item.reply ? 'sent twice' : 'applied twice'} by the user`);
        h.run();
        h.run();
        break;
      case 'drop':
        this.held.delete(id);
        h.wire.event(`step mode: ${what} — dropped by the user (${h.item.reply ? 'never sent' : 'never applied'})`);
        break;
      case 'delay':
        h.item.dueAtMs = Date.now() + delayMs;
        h.wire.event(`step mode: ${what} — delayed by ${delayMs} ms`);
        h.timer = setTimeout(() => {
          if (this.held.get(id) !== h) return;
          this.held.delete(id);
          h.run();
          this.emit();
        }, delayMs);
        break;
    }
    this.emit();
  }

  /** The connection closed: its held steps can no longer go out on it. */
  forgetConnection(conn: number): void {
    let n = 0;
    let wire: WireConnection | null = null;
    for (const h of [...this.held.values()]) {
      if (h.item.conn !== conn) continue;
      if (h.timer) clearTimeout(h.timer);
      this.held.delete(h.item.id);
      wire = h.wire;
      n++;
    }
    if (!n) return;
    wire?.event(`step mode: the connection closed with ${n} held step(s); they are discarded`);
    this.emit();
  }

  dispose(): void {
    for (const h of this.held.values()) if (h.timer) clearTimeout(h.timer);
    this.held.clear();
  }

  private emit(): void {
    this.changed(this.state());
  }
}

function describe(item: StepItem): string {
  return item.reply ? `${item.reply} for ${item.received} id ${item.packetId}` : `incoming ${item.received} id ${item.packetId}`;
}
