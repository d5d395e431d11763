// Topics are interned: a frame stores a 4-byte id, the string is kept once.
export class TopicTable {
  private topics: string[] = [''];
  private ids = new Map<string, number>();
  /** Approximate heap bytes, counted against the trace budget. */
  bytes = 0;
  // Consecutive frames mostly share a topic (fan-out, the acks of one flow): compare bytes before decoding.
  private last = Buffer.alloc(256);
  private lastLen = -1;
  private lastId = 0;
  /**
   * Topics seen lately, by a hash of their bytes, in a fixed direct-mapped cache (~54 KB, a constant like
   * `last`): a burst over many topics interleaves them across connections, so the compare with the last
   * topic missed on most frames, and each miss decoded the topic to a string and hashed that (~0.5 µs a
   * frame; a watched message is four frames). A hit costs a hash and a compare of the bytes; a miss
   * overwrites its slot and allocates nothing more than before. slotId holds id + 1 (0: empty).
   */
  private slotId = new Int32Array(SLOTS);
  private slotLen = new Uint8Array(SLOTS);
  private slotBytes = Buffer.alloc(SLOTS * SLOT_LEN);

  get(id: number): string { return this.topics[id]; }

  /** Id of the topic stored as UTF-8 at buf[at, at + n). */
  idAt(buf: Buffer, at: number, n: number): number {
    if (n === this.lastLen) {
      let k = 0;
      const last = this.last;
      while (k < n && last[k] === buf[at + k]) k++;
      if (k === n) return this.lastId;
    }
    if (n > SLOT_LEN) return this.decode(buf, at, n);
    let h = 0x811c9dc5 ^ n;
    for (let k = 0; k < n; k++) h = Math.imul(h ^ buf[at + k], 0x01000193);
    const slot = (h >>> 7) & (SLOTS - 1);
    const cached = this.slotId[slot];
    const bytes = this.slotBytes;
    const o = slot * SLOT_LEN;
    let id: number;
    if (cached !== 0 && this.slotLen[slot] === n && sameBytes(bytes, o, buf, at, n)) id = cached - 1;
    else {
      id = this.intern(buf.toString('utf8', at, at + n));
      for (let k = 0; k < n; k++) bytes[o + k] = buf[at + k];
      this.slotLen[slot] = n;
      this.slotId[slot] = id + 1;
    }
    // Loops, not Buffer.copy: its call costs more than a topic's few dozen bytes.
    const last = this.last;
    for (let k = 0; k < n; k++) last[k] = buf[at + k];
    this.lastLen = n;
    this.lastId = id;
    return id;
  }

  /** A topic too long for the cache: decoded every time, the last one remembered. */
  private decode(buf: Buffer, at: number, n: number): number {
    const id = this.intern(buf.toString('utf8', at, at + n));
    if (n <= this.last.length) {
      buf.copy(this.last, 0, at, at + n);
      this.lastLen = n;
      this.lastId = id;
    }
    return id;
  }

  intern(topic: string): number {
    let id = this.ids.get(topic);
    if (id === undefined) {
      id = this.topics.length;
      this.topics.push(topic);
      this.ids.set(topic, id);
      this.bytes += 80 + topic.length * 2;
    }
    return id;
  }

  /** Keep only the ids in `used`; returns old id → new id for the caller to rewrite its columns. */
  compact(used: Set<number>): Map<number, number> {
    const old = this.topics;
    const remap = new Map<number, number>();
    this.clear();
    for (const id of used) remap.set(id, this.intern(old[id]));
    return remap;
  }

  clear(): void {
    this.topics = [''];
    this.ids.clear();
    this.bytes = 0;
    this.lastLen = -1;
    this.slotId.fill(0);
  }
}

/** Cache slots (a power of 2) and the longest topic cached, in bytes. */
const SLOTS = 1024;
const SLOT_LEN = 48;

function sameBytes(a: Buffer, ao: number, b: Buffer, bo: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[ao + k] !== b[bo + k]) return false;
  return true;
}
