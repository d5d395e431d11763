// Per-frame facts in column blocks (typed arrays), about 45 bytes a frame. Blocks are freed whole as the
// oldest frames are evicted. No object per frame: a million frames are a few dozen typed arrays.
export const BLOCK = 16384;
export const BYTES_PER_FRAME = 8 + 4 + 8 + 4 + 4 + 8 + 1 + 1 + 2 + 1 + 4;
export const NO_REASON = 0xff;

// meta bits
export const META_CLIENT_SIDE = 1;
export const META_S2C = 2;
export const META_KIND_SHIFT = 2; // 2 bits: 0 packet, 1 malformed, 2 event

/**
 * The socket path does not intern topics: a headless broker nobody watches never needs them, and one that is
 * watched interns them in the batch tick. Interning was about a quarter of the tap's per-frame work.
 */
export const TOPIC_PENDING = 0x80000000;
/** Topics that start further into their frame than this (a SUBSCRIBE behind 32 KiB of properties) are interned at once. */
export const TOPIC_PENDING_MAX_START = 0x7fff;

export class Block {
  readonly timeUs = new Float64Array(BLOCK);
  readonly conn = new Uint32Array(BLOCK);
  /** Slab position of the stored bytes (header, and payload unless deduplicated). -1: no bytes. */
  readonly pos = new Float64Array(BLOCK);
  /** Wire length. */
  readonly len = new Uint32Array(BLOCK);
  /** PUBLISH: offset of the payload in the frame; others: len. */
  readonly head = new Uint32Array(BLOCK);
  /** Where a deduplicated payload lives, or -1 when the payload follows the header at pos. */
  readonly payPos = new Float64Array(BLOCK);
  readonly b0 = new Uint8Array(BLOCK);
  readonly meta = new Uint8Array(BLOCK);
  readonly packetId = new Uint16Array(BLOCK);
  readonly reason = new Uint8Array(BLOCK);
  /**
   * Interned topic id, 0 = none; or, with TOPIC_PENDING set, where the topic sits in the frame's bytes
   * (start << 16 | length), interned when someone first reads it (TraceStore.topicIdAt).
   */
  readonly topic = new Uint32Array(BLOCK);
  count = 0;
  constructor(public firstSeq: number) {}

  /**
   * Start over as the block of frames from `firstSeq`. Every column of a row is written when the row is
   * added, so what the block held before is never read.
   */
  reuse(firstSeq: number): this {
    this.firstSeq = firstSeq;
    this.count = 0;
    return this;
  }
}

export const BLOCK_BYTES = BLOCK * BYTES_PER_FRAME;
