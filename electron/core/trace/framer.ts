// Cuts one direction of a byte stream into MQTT control packets, whatever the read boundaries: a packet
// split over many reads, or many packets in one read.
//
// Memory is charged for bytes actually received, never for the length a peer claims. A packet whose bytes
// are all in hand (this chunk plus `ahead`, the bytes that follow in the same tap call) goes straight into
// the store's slab, once. A packet still arriving waits in a small buffer of this framer that grows with
// what arrives, counted in the store's bytes; it moves into the slab when its last byte is in hand. So no
// slab reservation outlives a tap call: a stalled peer can neither pin slabs (which would stop eviction)
// nor make the store allocate what it only claims to send.
import type { ConnCtx, TraceStore } from './trace-store';

const MAX_REMAINING = 268_435_455;
const KEEP_OF_HUGE = 64 * 1024;
// Below this, copying the payload is cheaper than checking whether it was stored already.
const MIN_SHARED = 256;
const MIN_PART = 64;
const EMPTY = Buffer.alloc(0);
/**
 * Whole packets at a packet boundary of a chunk are copied into the slab together, with one native copy,
 * when there are at least RUN_MIN of them, each under RUN_PACKET bytes, at most RUN_MAX at once. So small
 * that no payload is one the store would deduplicate (which needs a reservation of its own to give back) or
 * remember by where it sits in a read. A broker's coalesced writev is tens of small PUBLISHes the tap
 * gathers into one chunk, and a read often holds as many; copying each on its own was a reservation and a
 * byte loop per packet.
 */
const RUN_MIN = 2;
const RUN_PACKET = 256;
const RUN_MAX = 64;
const runAt = new Int32Array(RUN_MAX);
const runFixed = new Uint8Array(RUN_MAX);

/** What fixedHeaderAt read last (a module scratch: no object per packet). */
const header = { remaining: 0 };
/**
 * The fixed header at chunk[at]: its size (first byte + remaining length) with the remaining length in
 * `header`, when it is whole before `end`; 0 when the chunk ends inside it; -1 when its length runs past the
 * four bytes MQTT allows.
 */
function fixedHeaderAt(chunk: Buffer, at: number, end: number): number {
  let rem = 0, mult = 1;
  for (let j = at + 1; j < end && j < at + 5; j++) {
    const b = chunk[j];
    rem += (b & 0x7f) * mult;
    mult *= 128;
    if ((b & 0x80) === 0) { header.remaining = rem; return j + 1 - at; }
  }
  return end >= at + 5 ? -1 : 0;
}

/** Buffer.copy costs ~150 ns of call overhead; most MQTT pieces are a few dozen bytes. */
function copyBytes(src: Buffer, from: number, dst: Buffer, to: number, n: number): void {
  if (n > 96) { src.copy(dst, to, from, from + n); return; }
  for (let k = 0; k < n; k++) dst[to + k] = src[from + k];
}

export class Framer {
  /** Fixed header bytes collected so far (first byte + up to 4 length bytes). */
  private hdr = Buffer.alloc(5);
  private hdrLen = 0;
  /** The packet being filled in the slab: position, total length, bytes copied so far. */
  private pos = -1;
  /** The slab and offset behind pos, looked up once per packet rather than once per chunk. */
  private buf: Buffer = Buffer.alloc(0);
  private off = 0;
  private total = 0;
  private have = 0;
  private fixed = 0;
  /** A packet still arriving: its bytes so far (have of them), outside the slabs. */
  private part: Buffer | null = null;
  /** Bytes of the current packet not kept because it is larger than half the budget (said in its note). */
  private skip = 0;
  /** After an unframeable header, everything else this direction sends is kept as malformed. */
  private lost: string | null = null;
  /** After the unfinished-packet limit cut this connection: bytes still arriving until it closes. */
  private cut: string | null = null;
  private cutBytes = 0;

  /** This direction is what the peer sends (not what we write). */
  private readonly received: boolean;
  /** The read the current packet arrived whole in, and where in it the packet starts (else null). */
  private wholeIn: Buffer | null = null;
  private wholeAt = 0;

  constructor(private store: TraceStore, private ctx: ConnCtx, private s2c: boolean) {
    this.received = s2c === ctx.clientSide;
  }

  /**
   * `ahead`: bytes that follow this chunk in the same synchronous call (a writev), 0 if this is the last.
   * `end` ≥ 0: only chunk[0, end) is fed, from the tap's scratch buffer (see Sink.feed).
   */
  feed(chunk: Buffer, ahead = 0, end = -1): void {
    const scratch = end >= 0;
    const n = scratch ? end : chunk.length;
    if (this.received && !scratch) this.store.sawRead(chunk);
    if (this.cut !== null) { this.cutBytes += n; return; }
    if (this.lost !== null) return this.keepMalformed(chunk, 0, this.lost, n);
    let i = 0;
    while (i < n) {
      if (this.part !== null) {
        if (this.total - this.have <= n - i + ahead) { this.promote(); continue; }
        if (!this.append(chunk, i, n - i)) return;
        i = n;
        continue;
      }
      if (this.pos >= 0) {
        const take = Math.min(this.total - this.have, n - i);
        // A chunk that is exactly the rest of the packet may be a payload Buffer written before (fan-out).
        const wholeTail = i === 0 && take === n && this.have + take === this.total && n >= MIN_SHARED && this.skip === 0 && !scratch;
        if (wholeTail) {
          const shared = this.store.sharedPayload(chunk);
          if (shared >= 0 && this.store.commitAt(this.ctx, this.s2c, this.pos, this.buf, this.off, this.total, this.fixed, shared, this.have) >= 0) {
            this.pos = -1;
            return;
          }
        }
        copyBytes(chunk, i, this.buf, this.off + this.have, take);
        this.have += take;
        i += take;
        if (this.have === this.total) {
          const seq = this.complete();
          if (this.wholeIn === chunk) {
            this.wholeIn = null;
            if (seq >= 0) this.store.receivedWhole(seq, chunk, this.wholeAt);
          }
          if (wholeTail) {
            const p = this.store.payloadPosOfNewest(n);
            if (p >= 0) this.store.rememberPayload(chunk, p);
          }
        }
        continue;
      }
      if (this.skip > 0) {
        const take = Math.min(this.skip, n - i);
        this.skip -= take;
        i += take;
        continue;
      }
      // Fast path: a whole fixed header in this chunk.
      if (this.hdrLen === 0) {
        const h = fixedHeaderAt(chunk, i, n);
        if (h > 0) {
          const rem = header.remaining;
          // At a packet boundary (nothing pending): a small whole packet may start a run (see RUN_MIN).
          if (h + rem < RUN_PACKET && i + h + rem <= n) {
            const j = this.wholeRun(chunk, i, n, h, rem);
            if (j > i) { i = j; continue; }
          }
          this.start(h, rem, n - i + ahead);
          // A received PUBLISH whole in this read: its payload may be forwarded as a view of this read.
          if (this.received && !scratch && this.pos >= 0 && this.total <= n - i && (chunk[i] >> 4) === 3) {
            this.wholeIn = chunk;
            this.wholeAt = i;
          }
          continue; // the copy branches take the header bytes from the chunk
        }
        if (h < 0) return this.unframeable(chunk, i, n);
      }
      // Slow path: header split across reads.
      this.hdr[this.hdrLen++] = chunk[i++];
      if (this.hdrLen >= 2 && (this.hdr[this.hdrLen - 1] & 0x80) === 0) {
        let rem = 0, mult = 1;
        for (let k = 1; k < this.hdrLen; k++) { rem += (this.hdr[k] & 0x7f) * mult; mult *= 128; }
        const h = this.hdrLen;
        this.hdrLen = 0;
        this.start(h, rem, h + n - i + ahead);
        if (this.pos >= 0) {
          this.hdr.copy(this.buf, this.off, 0, h);
          this.have = h;
          if (this.have === this.total) this.complete();
        } else if (!this.append(this.hdr, 0, h)) return;
      } else if (this.hdrLen === 5) {
        const bad = Buffer.from(this.hdr);
        this.hdrLen = 0;
        return this.unframeableBytes(bad, chunk, i, n);
      }
    }
    // The call ends with a packet unfinished: its bytes leave the slab (see the file comment).
    if (this.pos >= 0 && ahead === 0) this.park();
    // Lets the broker's inactivity limit see a packet left unfinished (only what the peer sends counts).
    if (this.received && ahead === 0) {
      if (this.part !== null || this.hdrLen > 0) this.ctx.partialSinceMs = performance.now();
      else if (this.ctx.partialSinceMs !== undefined) this.ctx.partialSinceMs = undefined;
    }
  }

  /**
   * At a packet boundary, where a small packet (fixed header `fixed` bytes, `rem` more) lies whole: it and
   * the whole small packets after it (see RUN_MIN), copied into the slab at once and committed one by one.
   * Returns where they end, or `i` when there is no such run (or no room for it in the slab being filled):
   * then the packets take the usual way.
   */
  private wholeRun(chunk: Buffer, i: number, n: number, fixed: number, rem: number): number {
    runAt[0] = i;
    runFixed[0] = fixed;
    let count = 1;
    let j = i + fixed + rem;
    while (count < RUN_MAX && j + 1 < n) {
      const f = fixedHeaderAt(chunk, j, n);
      const r = header.remaining;
      if (f <= 0 || f + r >= RUN_PACKET || j + f + r > n) break;
      runAt[count] = j;
      runFixed[count] = f;
      count++;
      j += f + r;
    }
    if (count < RUN_MIN) return i;
    const pos = this.store.reserveRun(j - i, count);
    if (pos < 0) return i;
    const buf = this.store.reservedBuf;
    const off = this.store.reservedOff;
    chunk.copy(buf, off, i, j);
    for (let c = 0; c < count; c++) {
      const at = runAt[c];
      const end = c + 1 < count ? runAt[c + 1] : j;
      this.store.commitAt(this.ctx, this.s2c, pos + (at - i), buf, off + (at - i), end - at, runFixed[c]);
    }
    return j;
  }

  /**
   * A packet whose first `headLen` bytes are in the tap's scratch `head` and whose rest is `body`, a Buffer
   * written as it is: a broker writing one payload to many subscribers. When this framer is between packets
   * and `body` is a payload stored already, only the head is copied, into a reservation of its own size (the
   * usual way reserves the whole packet first and gives the payload's share back). Returns false, having
   * stored nothing, otherwise; the caller then feeds the two as usual.
   */
  feedHeadAndBody(head: Buffer, headLen: number, body: Buffer): boolean {
    if (this.pos >= 0 || this.part !== null || this.hdrLen > 0 || this.skip > 0 || this.lost !== null || this.cut !== null) return false;
    const n = body.length;
    if (n < MIN_SHARED) return false;
    const h = fixedHeaderAt(head, 0, headLen);
    const total = headLen + n;
    if (h <= 0 || h + header.remaining !== total || total > this.store.budgetBytes / 2) return false;
    const shared = this.store.sharedPayload(body);
    if (shared < 0) return false;
    const pos = this.store.reserve(headLen);
    const buf = this.store.reservedBuf;
    const off = this.store.reservedOff;
    copyBytes(head, 0, buf, off, headLen);
    if (this.store.commitAt(this.ctx, this.s2c, pos, buf, off, total, h, shared, headLen) >= 0) return true;
    this.store.cancel(pos, headLen);
    return false;
  }

  /** The stream ended: a packet cut short is kept as malformed, and its memory is returned now. */
  end(): void {
    if (this.part !== null) {
      const reason = `connection closed after ${this.have} of ${this.total} bytes of this packet`;
      this.keepMalformed(this.part, 0, reason, this.have);
      this.dropPart();
    } else if (this.pos >= 0) {
      const reason = `connection closed after ${this.have} of ${this.total} bytes of this packet`;
      this.store.commitMalformed(this.ctx, this.s2c, this.pos, this.have, this.total, reason);
      this.pos = -1;
    } else if (this.hdrLen > 0) {
      this.keepMalformed(this.hdr, 0, 'connection closed inside a fixed header', this.hdrLen);
      this.hdrLen = 0;
    }
    if (this.cutBytes > 0) {
      this.store.commitEvent(this.ctx, this.s2c, `${this.cutBytes} bytes arrived after the connection was cut for its unfinished packet and were not kept`);
      this.cutBytes = 0;
    }
  }

  /** `available`: bytes of this packet in hand now, counted from its first header byte. */
  private start(fixed: number, remaining: number, available: number): void {
    this.fixed = fixed;
    this.total = fixed + remaining;
    this.have = 0;
    this.wholeIn = null;
    if (this.total > this.store.budgetBytes / 2) {
      this.skip = this.total - KEEP_OF_HUGE;
      this.total = KEEP_OF_HUGE;
    }
    if (this.total <= available) this.reserveSlab();
    else this.part = EMPTY; // grows in append() with what arrives
  }

  private reserveSlab(): void {
    this.pos = this.store.reserve(this.total);
    this.buf = this.store.reservedBuf;
    this.off = this.store.reservedOff;
  }

  /** The rest of the waiting packet is in hand: move it into the slab. */
  private promote(): void {
    const part = this.part!;
    this.dropPart();
    this.reserveSlab();
    copyBytes(part, 0, this.buf, this.off, this.have);
  }

  /** An unfinished packet at the end of a call: copy it out of the slab and cancel the reservation. */
  private park(): void {
    this.part = Buffer.allocUnsafe(Math.max(MIN_PART, Math.min(this.total, this.have * 2)));
    this.store.partialBytes += this.part.length;
    copyBytes(this.buf, this.off, this.part, 0, this.have);
    this.store.cancel(this.pos, this.total);
    this.pos = -1;
  }

  /** Add bytes to the waiting packet; false when the unfinished-packet limit cut the connection. */
  private append(src: Buffer, from: number, n: number): boolean {
    let part = this.part!;
    if (this.have + n > part.length) {
      const size = Math.min(this.total, Math.max(part.length * 2, this.have + n, MIN_PART));
      const grow = size - part.length;
      if (this.store.partialBytes + grow > this.store.partialLimit) {
        this.cutConnection(n);
        return false;
      }
      const bigger = Buffer.allocUnsafe(size);
      part.copy(bigger, 0, 0, this.have);
      this.store.partialBytes += grow;
      this.part = part = bigger;
    }
    copyBytes(src, from, part, this.have, n);
    this.have += n;
    return true;
  }

  private dropPart(): void {
    if (this.part !== null) this.store.partialBytes -= this.part.length;
    this.part = null;
  }

  /**
   * Unfinished packets would take more than their share of the budget: this one is kept as malformed with
   * what arrived, and the connection is closed (the owner of the stream does it, see ConnCtx.abort).
   */
  private cutConnection(n: number): void {
    const reason = `unfinished packet: ${this.have + n} of ${this.total} bytes arrived, and unfinished packets would hold more than ` +
      `${this.store.partialLimit} bytes (half the trace budget); the connection is closed`;
    this.keepMalformed(this.part!, 0, reason, this.have);
    this.dropPart();
    this.cut = reason;
    this.cutBytes = n;
    this.ctx.lastProblem = reason;
    this.ctx.abort?.(reason);
  }

  /** A string written to the socket (Node sockets take strings as they are): encode it into the slab. */
  feedString(text: string, encoding: BufferEncoding, ahead = 0): void {
    if (this.pos >= 0 && this.lost === null && this.cut === null && (encoding === 'utf8' || encoding === 'utf-8')) {
      const n = Buffer.byteLength(text, 'utf8');
      if (n > 0 && n <= this.total - this.have) {
        this.buf.write(text, this.off + this.have, n, 'utf8');
        this.have += n;
        if (this.have === this.total) this.complete();
        else if (ahead === 0) this.park();
        return;
      }
    }
    this.feed(Buffer.from(text, encoding), ahead);
  }

  /** Commits the packet filled in the slab; returns its seq when it is a packet (not kept as malformed), else -1. */
  private complete(): number {
    const pos = this.pos;
    this.pos = -1;
    if (this.skip > 0) {
      const reason = `packet of ${this.total + this.skip} bytes is larger than half the trace budget: its first ${KEEP_OF_HUGE} bytes are kept, ${this.skip} are not`;
      this.store.commitMalformed(this.ctx, this.s2c, pos, this.total, this.total, reason);
      return -1;
    }
    return this.store.commitAt(this.ctx, this.s2c, pos, this.buf, this.off, this.total, this.fixed);
  }

  private unframeable(chunk: Buffer, at: number, end: number): void {
    this.lost = `remaining length longer than 4 bytes (over ${MAX_REMAINING}) [MQTT-1.5.5]; the rest of this direction cannot be split into packets`;
    this.keepMalformed(chunk, at, this.lost, end);
  }

  private unframeableBytes(head: Buffer, chunk: Buffer, at: number, end: number): void {
    const joined = Buffer.concat([head, chunk.subarray(at, end)]);
    this.unframeable(joined, 0, joined.length);
  }

  private keepMalformed(chunk: Buffer, at: number, reason: string, end = chunk.length): void {
    const len = end - at;
    if (len <= 0) return;
    const pos = this.store.reserve(len);
    chunk.copy(this.store.bufferAt(pos), this.store.offsetAt(pos), at, end);
    this.store.commitMalformed(this.ctx, this.s2c, pos, len, len, reason);
  }
}
