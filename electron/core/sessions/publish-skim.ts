// Frames what a broker sends to a session and lets QoS 0 PUBLISHes that need no work pass without being
// parsed. With nobody in the process taking messages from the session (the UI reads them from the trace,
// where the tap has already framed and summarized every byte), such a PUBLISH asks nothing of the session:
// no acknowledgement, no packet id, no state. Parsing it into an object anyway was most of a subscribed
// window's per-message cost in a burst. Everything else (and any PUBLISH this cannot vouch for) goes to
// mqtt-packet's parser as complete packets, so the parser's own framing stays in step.

/** Decides for one complete packet [start, end) of buf whether it can be skipped. */
export type SkipTest = (buf: Buffer, start: number, end: number) => boolean;

/**
 * A QoS 0 PUBLISH that carries nothing the session must track: a non-empty topic and, in MQTT 5, no
 * properties (a Topic Alias lives there [MQTT-3.3.2-12], and with it the alias map the session keeps).
 */
export function plainQos0Publish(version: number): SkipTest {
  return (buf, start, end) => {
    const first = buf[start];
    if (first >> 4 !== 3 || (first & 0x06) !== 0) return false;
    let i = start + 1;
    while (buf[i] & 0x80) i++;
    i++; // past the remaining length (already checked by the framer)
    if (i + 2 > end) return false;
    const topicLen = buf.readUInt16BE(i);
    if (topicLen === 0) return false;
    i += 2 + topicLen;
    if (i > end) return false;
    if (version < 5) return true;
    // Property Length 0 is the single byte 0 [MQTT-2.2.2.1 / §3.3.2.3.1].
    return i < end && buf[i] === 0;
  };
}

export class PublishSkim {
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** Bytes the packet at the head of `pending` needs in all (0: its header is not complete yet). */
  private need = 0;
  /** After bytes that are not MQTT framing, everything goes to the parser (which reports the error). */
  private passthrough = false;
  /** Packets skipped so far (for tests and benches). */
  skipped = 0;

  constructor(private readonly skip: SkipTest, private readonly parse: (bytes: Buffer) => void) {}

  feed(chunk: Buffer): void {
    if (this.passthrough) return this.parse(chunk);
    let from = 0;
    if (this.pendingLen) {
      // Finish the packet cut at the end of the last chunk with only the bytes it still needs: joining the
      // whole new chunk to it copied every chunk once more.
      if (!this.need) {
        const head = Buffer.concat([...this.pending, chunk.subarray(0, 5)]);
        const size = packetSize(head, 0);
        if (size === -1) return this.giveUp(chunk, 0);
        if (size === 0) { this.hold(chunk); return; }
        this.need = size;
      }
      const take = this.need - this.pendingLen;
      if (chunk.length < take) { this.hold(chunk); return; }
      const packet = Buffer.concat([...this.pending, chunk.subarray(0, take)], this.need);
      this.pending = [];
      this.pendingLen = 0;
      this.need = 0;
      if (this.skip(packet, 0, packet.length)) this.skipped++;
      else this.parse(packet);
      from = take;
    }
    this.scan(chunk, from);
  }

  private hold(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingLen += chunk.length;
  }

  /** Bytes that are not MQTT framing: what is held and the rest go to the parser, which reports them. */
  private giveUp(buf: Buffer, at: number): void {
    this.passthrough = true;
    const held = this.pendingLen ? Buffer.concat(this.pending) : null;
    this.pending = [];
    this.pendingLen = 0;
    if (held) this.parse(held);
    this.parse(buf.subarray(at));
  }

  private scan(buf: Buffer, from: number): void {
    let o = from;
    let run = from; // start of the packets waiting to go to the parser as one piece
    while (o < buf.length) {
      const size = packetSize(buf, o);
      if (size === -1) {
        if (o > run) this.parse(buf.subarray(run, o));
        return this.giveUp(buf, o);
      }
      if (size === 0 || o + size > buf.length) {
        this.need = size;
        break;
      }
      if (this.skip(buf, o, o + size)) {
        if (o > run) this.parse(buf.subarray(run, o));
        this.skipped++;
        run = o + size;
      }
      o += size;
    }
    if (o > run) this.parse(buf.subarray(run, o));
    if (o < buf.length) this.hold(buf.subarray(o));
  }
}

/** Whole size of the packet at o (fixed header + remaining length); 0: header incomplete; -1: malformed. */
function packetSize(buf: Buffer, o: number): number {
  let len = 0;
  let mul = 1;
  for (let i = 1; i <= 4; i++) {
    if (o + i >= buf.length) return 0;
    const b = buf[o + i];
    len += (b & 0x7f) * mul;
    if (!(b & 0x80)) return 1 + i + len;
    mul *= 128;
  }
  return -1; // a fifth length byte: not a valid Remaining Length [MQTT-1.5.5]
}
