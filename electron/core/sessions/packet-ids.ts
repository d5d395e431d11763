// Packet identifiers 1..65535 [MQTT-2.3.1-1], never reusing one still in use by an unacknowledged flow
// [MQTT-2.3.1-2]. Allocation walks forward from the last id so a fresh id is not immediately reused,
// which keeps traces readable (ids only repeat after a wrap).
export class PacketIds {
  private readonly used = new Set<number>();
  private last = 0;

  /** Next free id, or null when all 65535 are in use. */
  allocate(): number | null {
    if (this.used.size >= 0xffff) return null;
    let id = this.last;
    for (;;) {
      id = id >= 0xffff ? 1 : id + 1;
      if (!this.used.has(id)) break;
    }
    this.used.add(id);
    this.last = id;
    return id;
  }

  /** Mark an id as used (e.g. restored state). */
  claim(id: number): void {
    this.used.add(id);
  }

  release(id: number): void {
    this.used.delete(id);
  }

  inUse(id: number): boolean {
    return this.used.has(id);
  }

  get size(): number {
    return this.used.size;
  }

  clear(): void {
    this.used.clear();
  }
}
