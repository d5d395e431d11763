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

  get(id: number): string { return this.topics[id]; }

  /** Id of the topic stored as UTF-8 at buf[at, at + n). */
  idAt(buf: Buffer, at: number, n: number): number {
    if (n === this.lastLen) {
      let k = 0;
      const last = this.last;
      while (k < n && last[k] === buf[at + k]) k++;
      if (k === n) return this.lastId;
    }
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
  }
}
