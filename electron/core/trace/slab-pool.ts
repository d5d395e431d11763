// Wire bytes live in a few large slabs instead of one Buffer per frame: that is what keeps a frame's
// overhead to a few dozen bytes. A position packs (slab id, offset) into one number.
export const SLAB_SIZE = 1 << 20;
const BIG = SLAB_SIZE >> 2;
const ID_SCALE = 2 ** 32;
// Multiplying by an exact power of two beats float division and fmod on the hot path.
const INV_SCALE = 2 ** -32;
export const idOf = (pos: number) => Math.floor(pos * INV_SCALE);

const EMPTY = Buffer.alloc(0);
/** Freed slabs kept in the list behind the one being filled before that one is retired (see release). */
const MAX_HOLES = 256;

interface Slab {
  id: number;
  buf: Buffer;
  used: number;
  /** Newest frame that references bytes in this slab; the slab can go once every frame up to it is evicted. */
  lastSeq: number;
  /** Reservations not yet committed (a packet still arriving). */
  pending: number;
  /** Its frames are all evicted and its memory is gone, but an older slab still lives (see release). */
  freed: boolean;
}

export class SlabPool {
  private slabs: Slab[] = [];
  private nextId = 0;
  private current: Slab | null = null;
  /**
   * Slabs whose frames were all evicted, kept for the next slabs instead of being freed: at the budget a
   * trace evicts as fast as it records, and a fresh 1 MiB slab each time meant page faults and garbage
   * collections driven by external memory on the broker's socket path. A reused slab gets a new id, so
   * no position stored before (a frame's, the payload dedupe's) can ever point into it.
   */
  private spare: Buffer[] = [];
  /** Capacity allocated, the figure counted against the budget (spare slabs included: they are held). */
  bytes = 0;
  /** Of `bytes`, the spare slabs. */
  spareBytes = 0;
  /**
   * Where the last reserve/reserveRun put its bytes: the buffer and the offset in it. Read right after the
   * call instead of buffer(pos)/offset(pos), which look the slab up again (a frame took five such lookups).
   */
  reservedBuf: Buffer = EMPTY;
  reservedOff = 0;
  /**
   * The oldest slab a new frame may point into (see referable): the slab being filled. A slab goes only
   * when every frame up to its newest reference is evicted, so a payload stored once and referenced by every
   * later frame (a device repeating the same status) pinned its slab, the oldest, for good: eviction emptied
   * the whole trace before it could free a byte. The slab being filled (and a big
   * payload's own slab made since it began) holds frames as new as any reference, so pointing there pins
   * nothing longer than its own frames do; a copy in an older slab is stored again, once per slab.
   */
  private refFloor = 0;
  /** Freed slabs still in the list (behind a live one). */
  private holes = 0;

  /** Reserve n bytes; returns a position. The caller copies into buffer(pos) at offset(pos). */
  reserve(n: number): number {
    let slab: Slab;
    if (n > BIG) {
      slab = this.add(n);
    } else {
      if (!this.current || this.current.used + n > this.current.buf.length) {
        this.current = this.add(SLAB_SIZE);
        this.refFloor = this.current.id;
      }
      slab = this.current;
    }
    const off = slab.used;
    slab.used += n;
    slab.pending++;
    this.reservedBuf = slab.buf;
    this.reservedOff = off;
    return slab.id * ID_SCALE + off;
  }

  /**
   * Reserve n bytes for `count` frames that will each settle their own part (a run of whole packets copied
   * at once); -1, reserving nothing, unless they fit in the slab being filled.
   */
  reserveRun(n: number, count: number): number {
    const slab = this.current;
    if (slab === null || slab.used + n > slab.buf.length) return -1;
    const off = slab.used;
    slab.used += n;
    slab.pending += count;
    this.reservedBuf = slab.buf;
    this.reservedOff = off;
    return slab.id * ID_SCALE + off;
  }

  /** Whether reserve(n) would take a new 1 MiB slab (a spare one, or fresh memory). */
  needsSlab(n: number): boolean {
    return n <= BIG && (!this.current || this.current.used + n > this.current.buf.length);
  }

  /** The reservation at pos is complete (or abandoned); `seq` is the frame that now holds it. */
  settle(pos: number, seq: number, keep: number, reserved: number): void {
    const slab = this.slab(pos)!;
    slab.pending--;
    if (seq > slab.lastSeq) slab.lastSeq = seq;
    // Give back an unused tail when nothing was reserved after it (the usual case).
    const off = pos - slab.id * ID_SCALE;
    if (keep < reserved && slab.used === off + reserved) slab.used = off + keep;
  }

  /** A later frame points at bytes stored for an earlier one (deduplicated payload). */
  reference(pos: number, seq: number): boolean {
    const slab = this.slab(pos);
    if (!slab) return false;
    if (seq > slab.lastSeq) slab.lastSeq = seq;
    return true;
  }

  /** Bytes actually filled (for measurements; the budget counts capacity). */
  get used(): number {
    let n = 0;
    for (const s of this.slabs) n += s.used;
    return n;
  }

  buffer(pos: number): Buffer { return this.slab(pos)!.buf; }
  offset(pos: number): number { return pos - idOf(pos) * ID_SCALE; }
  /** Whether a new frame may point at the bytes at pos: in the slab being filled or a newer one (see refFloor). */
  referable(pos: number): boolean {
    const id = idOf(pos);
    return id >= this.refFloor && id < this.nextId;
  }

  /**
   * Free slabs whose every frame has been evicted (all frames < firstLiveSeq are gone). Not only from the
   * oldest on: the slab being filled can be older than many others (small frames between big payloads, which
   * get slabs of their own: a camera's images and its status messages), and freeing strictly in order then
   * freed nothing while it was filled: eviction emptied the trace and memory grew past the budget (615 MB at
   * 16 MiB). A slab freed behind a live one stays in the list, empty, until it reaches the front, so that a
   * slab's index in the list stays its id's distance from the first; past MAX_HOLES of them the slab being
   * filled is retired, so that it can go with its frames and the run leave the list.
   */
  release(firstLiveSeq: number): void {
    const slabs = this.slabs;
    let live = 0;
    for (let k = 0; k < slabs.length; k++) {
      const s = slabs[k];
      if (s.freed) continue;
      if (s === this.current || s.pending > 0 || s.lastSeq >= firstLiveSeq) {
        // The slab being filled and the one filled before it can be older than slabs behind them (see above);
        // past a third slab still in use the rest are newer still.
        if (++live > 2) break;
        continue;
      }
      this.free(s);
    }
    let gone = 0;
    while (gone < slabs.length && slabs[gone].freed) gone++;
    if (gone > 0) {
      slabs.splice(0, gone);
      this.holes -= gone;
    }
    // Each release looks through the freed run: a new slab takes the small frames from here on.
    if (this.holes > MAX_HOLES && slabs[0] === this.current) this.current = null;
  }

  private free(s: Slab): void {
    s.freed = true;
    this.holes++;
    if (s.buf.length === SLAB_SIZE) {
      this.spare.push(s.buf);
      this.spareBytes += SLAB_SIZE;
    } else {
      this.bytes -= s.buf.length;
    }
    s.buf = EMPTY;
    s.used = 0;
    // A slab at or above the floor (a big payload's, made since the slab being filled began) is no longer referable.
    if (this.refFloor <= s.id) this.refFloor = s.id + 1;
  }

  /** Free spare slabs until at most `keep` bytes of them are left. */
  trimSpare(keep: number): void {
    while (this.spareBytes > keep && this.spare.length) {
      this.spare.pop();
      this.spareBytes -= SLAB_SIZE;
      this.bytes -= SLAB_SIZE;
    }
  }

  clear(): void {
    this.slabs = [];
    this.spare = [];
    this.current = null;
    this.reservedBuf = EMPTY; // else it would hold a cleared slab's memory
    this.bytes = 0;
    this.spareBytes = 0;
    this.refFloor = this.nextId;
    this.holes = 0;
  }

  private add(size: number): Slab {
    let buf = size === SLAB_SIZE ? this.spare.pop() : undefined;
    if (buf !== undefined) {
      this.spareBytes -= SLAB_SIZE;
    } else {
      buf = Buffer.allocUnsafeSlow(size);
      this.bytes += size;
    }
    const slab: Slab = { id: this.nextId++, buf, used: 0, lastSeq: -1, pending: 0, freed: false };
    this.slabs.push(slab);
    return slab;
  }

  private slab(pos: number): Slab | undefined {
    const id = idOf(pos);
    // Nearly every lookup is of the slab being filled.
    const c = this.current;
    if (c !== null && c.id === id) return c;
    const first = this.slabs[0];
    if (!first) return undefined;
    // Slabs are created in id order and leave the list from its front (see release), so the index is the id
    // distance from the oldest. A position whose slab is gone (a stale dedupe candidate) gives a negative
    // index: checked first, because an array read at a negative index is a property lookup by name, which
    // turned the callers' loads megamorphic.
    const k = id - first.id;
    if (k < 0 || k >= this.slabs.length) return undefined;
    const s = this.slabs[k];
    return s.id === id && !s.freed ? s : undefined;
  }
}
