// Cuts one direction of a byte stream into MQTT control packets, whatever the read boundaries: a packet
// split over many reads, or many packets in one read. Bytes go straight into the store's slab, once.
import type { ConnCtx, TraceStore } from './trace-store';

const MAX_REMAINING = 268_435_455;
const KEEP_OF_HUGE = 64 * 1024;
// Below this, copying the payload is cheaper than checking whether it was stored already.
const MIN_SHARED = 256;

/** Buffer.copy costs ~150 ns of call overhead; most MQTT pieces are a few dozen bytes. */
function copyBytes(src: Buffer, from: number, dst: Buffer, to: number, n: number): void {
  if (n > 96) { src.copy(dst, to, from, from + n); return; }
  for (let k = 0; k < n; k++) dst[to + k] = src[from + k];
}

export class Framer {
  /** Fixed header bytes collected so far (first byte + up to 4 length bytes). */
  private hdr = Buffer.alloc(5);
  private hdrLen = 0;
  /** The packet being filled: slab position, total length, bytes copied so far. */
  private pos = -1;
  /** The slab and offset behind pos, looked up once per packet rather than once per chunk. */
  private buf: Buffer = Buffer.alloc(0);
  private off = 0;
  private total = 0;
  private have = 0;
  private fixed = 0;
  /** Bytes of the current packet not kept because it is larger than half the budget (said in its note). */
  private skip = 0;
  /** After an unframeable header, everything else this direction sends is kept as malformed. */
  private lost: string | null = null;

  constructor(private store: TraceStore, private ctx: ConnCtx, private s2c: boolean) {}

  feed(chunk: Buffer): void {
    if (this.lost !== null) return this.keepMalformed(chunk, 0, this.lost);
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.pos >= 0) {
        const take = Math.min(this.total - this.have, n - i);
        // A chunk that is exactly the rest of the packet may be a payload Buffer written before (fan-out).
        const wholeTail = i === 0 && take === n && this.have + take === this.total && n >= MIN_SHARED && this.skip === 0;
        if (wholeTail) {
          const shared = this.store.sharedPayload(chunk);
          if (shared >= 0 && this.store.commitPacket(this.ctx, this.s2c, this.pos, this.total, this.fixed, shared, this.have) >= 0) {
            this.pos = -1;
            return;
          }
        }
        copyBytes(chunk, i, this.buf, this.off + this.have, take);
        this.have += take;
        i += take;
        if (this.have === this.total) {
          this.complete();
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
        let rem = 0, mult = 1, j = i + 1, ok = false;
        for (; j < n && j < i + 5; j++) {
          const b = chunk[j];
          rem += (b & 0x7f) * mult;
          mult *= 128;
          if ((b & 0x80) === 0) { ok = true; break; }
        }
        if (ok) {
          this.start(j + 1 - i, rem);
          continue; // the copy branch takes the header bytes from the chunk
        }
        if (j === i + 5) return this.unframeable(chunk, i);
      }
      // Slow path: header split across reads.
      this.hdr[this.hdrLen++] = chunk[i++];
      if (this.hdrLen >= 2 && (this.hdr[this.hdrLen - 1] & 0x80) === 0) {
        let rem = 0, mult = 1;
        for (let k = 1; k < this.hdrLen; k++) { rem += (this.hdr[k] & 0x7f) * mult; mult *= 128; }
        const hdrBytes = this.hdr.subarray(0, this.hdrLen);
        this.hdrLen = 0;
        this.start(hdrBytes.length, rem);
        hdrBytes.copy(this.buf, this.off);
        this.have = hdrBytes.length;
        if (this.have === this.total) this.complete();
      } else if (this.hdrLen === 5) {
        const bad = Buffer.from(this.hdr);
        this.hdrLen = 0;
        return this.unframeableBytes(bad, chunk, i);
      }
    }
  }

  /** The stream ended: a packet cut short is kept as malformed. */
  end(): void {
    if (this.pos >= 0) {
      const reason = `connection closed after ${this.have} of ${this.total} bytes of this packet`;
      this.store.commitMalformed(this.ctx, this.s2c, this.pos, this.have, this.total, reason);
      this.pos = -1;
    } else if (this.hdrLen > 0) {
      this.keepMalformed(this.hdr.subarray(0, this.hdrLen), 0, 'connection closed inside a fixed header');
      this.hdrLen = 0;
    }
  }

  private start(fixed: number, remaining: number): void {
    this.fixed = fixed;
    this.total = fixed + remaining;
    this.have = 0;
    if (this.total > this.store.budgetBytes / 2) {
      this.skip = this.total - KEEP_OF_HUGE;
      this.total = KEEP_OF_HUGE;
    }
    this.pos = this.store.reserve(this.total);
    this.buf = this.store.bufferAt(this.pos);
    this.off = this.store.offsetAt(this.pos);
  }

  /** A string written to the socket (Node sockets take strings as they are): encode it into the slab. */
  feedString(text: string, encoding: BufferEncoding): void {
    if (this.pos >= 0 && this.lost === null && (encoding === 'utf8' || encoding === 'utf-8')) {
      const n = Buffer.byteLength(text, 'utf8');
      if (n > 0 && n <= this.total - this.have) {
        this.buf.write(text, this.off + this.have, n, 'utf8');
        this.have += n;
        if (this.have === this.total) this.complete();
        return;
      }
    }
    this.feed(Buffer.from(text, encoding));
  }

  private complete(): void {
    const pos = this.pos;
    this.pos = -1;
    if (this.skip > 0) {
      const reason = `packet of ${this.total + this.skip} bytes is larger than half the trace budget: its first ${KEEP_OF_HUGE} bytes are kept, ${this.skip} are not`;
      this.store.commitMalformed(this.ctx, this.s2c, pos, this.total, this.total, reason);
    } else {
      this.store.commitPacket(this.ctx, this.s2c, pos, this.total, this.fixed);
    }
  }

  private unframeable(chunk: Buffer, at: number): void {
    this.lost = `remaining length longer than 4 bytes (over ${MAX_REMAINING}) [MQTT-1.5.5]; the rest of this direction cannot be split into packets`;
    this.keepMalformed(chunk, at, this.lost);
  }

  private unframeableBytes(head: Buffer, chunk: Buffer, at: number): void {
    this.unframeable(Buffer.concat([head, chunk.subarray(at)]), 0);
  }

  private keepMalformed(chunk: Buffer, at: number, reason: string): void {
    const len = chunk.length - at;
    if (len <= 0) return;
    const pos = this.store.reserve(len);
    chunk.copy(this.store.bufferAt(pos), this.store.offsetAt(pos), at);
    this.store.commitMalformed(this.ctx, this.s2c, pos, len, len, reason);
  }
}
