// What keeps one misbehaving peer from costing the broker or its other clients anything:
// - an inactivity limit for connections that have not completed CONNECT, and for partial packets;
// - a bounded output queue per client, where QoS 0 messages are dropped (and counted) when it is full,
//   so a subscriber that does not read never holds up other clients' publishes.
import type { Duplex } from 'node:stream';
import type { TraceRecorder } from '../trace/recorder';
import type { WireConnection } from '../trace/wire';

/**
 * mosquitto gives a connection keepalive 60 until its CONNECT says otherwise, and closes a client silent
 * for 1.5 × keepalive: 90 s. The same figure here, for no CONNECT yet and for a packet left unfinished.
 */
export const DEFAULT_INACTIVITY_SEC = 90;
/** Bytes a client's socket may have queued before its QoS 0 messages are dropped. */
export const DEFAULT_OUTPUT_QUEUE_BYTES = 8 * 2 ** 20;

interface Watched { wire: WireConnection; openedMs: number }

export class InactivityGuard {
  private watched = new Map<Duplex, Watched>();
  private timer: NodeJS.Timeout | null = null;
  private readonly limitMs: number;

  constructor(private recorder: TraceRecorder, limitSec: number) {
    this.limitMs = limitSec * 1000;
  }

  watch(stream: Duplex, wire: WireConnection): void {
    if (this.limitMs <= 0) return;
    this.watched.set(stream, { wire, openedMs: performance.now() });
    stream.once('close', () => this.watched.delete(stream));
    if (!this.timer) {
      this.timer = setInterval(() => this.check(), Math.max(50, Math.min(1000, this.limitMs / 4)));
      this.timer.unref();
    }
  }

  private check(): void {
    const now = performance.now();
    for (const [stream, w] of this.watched) {
      const rec = this.recorder.conns.get(w.wire.id);
      if (!rec || rec.info.closedAtMs !== undefined) { this.watched.delete(stream); continue; }
      let why: string | null = null;
      const secs = `${this.limitMs / 1000} s`;
      if (!rec.sawConnect && now - w.openedMs > this.limitMs) why = `no CONNECT within ${secs} of opening the connection`;
      else if (rec.partialSinceMs !== undefined && now - rec.partialSinceMs > this.limitMs) why = `a packet was left unfinished: no byte of it for ${secs}`;
      if (why) {
        this.watched.delete(stream);
        const text = `broker closed the connection: ${why} (inactivity limit)`;
        w.wire.event(text);
        w.wire.closing(text);
        stream.destroy();
      }
    }
    if (this.watched.size === 0 && this.timer) { clearInterval(this.timer); this.timer = null; }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.watched.clear();
  }
}

/** The slice of an aedes client the queue bound touches. */
interface Deliverer {
  deliver0(packet: unknown, cb: () => void): void;
  conn: { writableLength?: number; destroyed?: boolean };
}

const dropped = new WeakMap<object, number>();

/** QoS 0 messages dropped for this client because its output queue was full. */
export function droppedQoS0(client: object): number { return dropped.get(client) ?? 0; }

/**
 * aedes calls deliver0's callback only once the socket drains, and the emitter waits for every
 * subscriber's callback before the next message: one subscriber that stops reading stalls every
 * publisher. Here the callback is answered at once, and while the socket holds more than `maxBytes`
 * (or `maxMessages` are still waiting to be written) further QoS 0 messages are dropped and counted.
 */
export function boundOutputQueue(client: Deliverer, maxBytes: number, maxMessages = 10_000): void {
  // aedes' deliver0 is a closure over its client (it never reads `this`): called as it is, not through a
  // bound function, which the optimizer cannot inline on this per-delivery path.
  const deliver = client.deliver0;
  let waiting = 0;
  const written = () => { waiting--; };
  client.deliver0 = (packet, cb) => {
    if (waiting >= maxMessages || (client.conn.writableLength ?? 0) >= maxBytes) {
      dropped.set(client, droppedQoS0(client) + 1);
      answerSoon(cb);
      return;
    }
    waiting++;
    deliver(packet, written);
    answerSoon(cb);
  };
}

/**
 * The callbacks answered in the next check phase, in order, from one setImmediate: one per delivery cost
 * ~0.4 µs each (an Immediate object, the timers list) on the broker's hottest path. A callback queued
 * while they run waits for the next check phase, as its own setImmediate would have.
 */
let answers: (() => void)[] = [];
function answerSoon(cb: () => void): void {
  if (answers.push(cb) === 1) setImmediate(answerAll);
}
function answerAll(): void {
  const now = answers;
  answers = [];
  let failed = false;
  let error: unknown;
  for (let i = 0; i < now.length; i++) {
    // One callback that throws must not leave the others unanswered (each had its own immediate before).
    try { now[i](); } catch (e) { if (!failed) { failed = true; error = e; } }
  }
  if (failed) throw error;
}
