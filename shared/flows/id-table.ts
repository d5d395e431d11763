// Records by sequential id in a plain array (ids are handed out in order and forgotten mostly from the
// front): a Map's hashing was a sixth of the fold. The Map subset the engine uses: get, has, set,
// delete, values (in id order), size.
export class IdTable<T extends { id: number }> {
  private items: (T | undefined)[] = [];
  /** Id of items[0]. */
  private base = 1;
  /** items[0..head) are all forgotten. */
  private head = 0;
  private count = 0;

  get size(): number { return this.count; }

  get(id: number): T | undefined { return this.items[id - this.base]; }
  has(id: number): boolean { return this.items[id - this.base] !== undefined; }

  /** Ids must be set in increasing order (a new record is always the newest). */
  set(id: number, item: T): void {
    if (this.items.length === 0) this.base = id;
    const i = id - this.base;
    if (i < 0) throw new RangeError(`id ${id} is older than the table`);
    if (this.items[i] === undefined) this.count++;
    this.items[i] = item;
  }

  delete(id: number): boolean {
    const i = id - this.base;
    if (i < 0 || this.items[i] === undefined) return false;
    this.items[i] = undefined;
    this.count--;
    const items = this.items;
    while (this.head < items.length && items[this.head] === undefined) this.head++;
    // Drop the empty front once it is a good part of the array, so memory follows what is held.
    if (this.head === items.length) {
      this.base += this.head;
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > items.length) {
      this.items = items.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
    return true;
  }

  *values(): IterableIterator<T> {
    const items = this.items;
    for (let i = this.head; i < items.length; i++) if (items[i] !== undefined) yield items[i]!;
  }
}
