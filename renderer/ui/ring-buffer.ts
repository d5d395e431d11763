// Fixed-capacity ring buffer: O(1) push and index, oldest items fall off the front (and are counted).
export class RingBuffer<T> {
  private items: (T | undefined)[];
  private head = 0;
  private size = 0;
  /** How many items fell off the front since the last clear. */
  dropped = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number { return this.size; }

  push(item: T): void {
    const idx = (this.head + this.size) % this.capacity;
    this.items[idx] = item;
    if (this.size < this.capacity) this.size++;
    else { this.head = (this.head + 1) % this.capacity; this.dropped++; }
  }

  get(i: number): T | undefined {
    if (i < 0 || i >= this.size) return undefined;
    return this.items[(this.head + i) % this.capacity];
  }

  last(): T | undefined { return this.get(this.size - 1); }

  /** Index of the first item whose key is >= k (items must be sorted by key). */
  lowerBound(key: (t: T) => number, k: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (key(this.get(mid) as T) < k) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Replace the item at `index` by `items` (O(n): for rare, user-paced edits, not per batch). */
  replaceAt(index: number, items: T[]): void {
    const all: T[] = [];
    for (let k = 0; k < this.size; k++) all.push(this.get(k) as T);
    all.splice(index, 1, ...items);
    const dropped = this.dropped;
    this.clear();
    this.dropped = dropped;
    for (const it of all) this.push(it);
  }

  clear(): void {
    this.items = new Array<T | undefined>(this.capacity);
    this.head = 0;
    this.size = 0;
    this.dropped = 0;
  }
}
