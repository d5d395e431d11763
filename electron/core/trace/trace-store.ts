// Append-only, sequence-numbered frame store bounded by a byte budget. The oldest frames are evicted
// (and counted) when the budget is exceeded; nothing else is ever dropped.
import type { Dir, FrameKind, FrameSummary, PacketType, Side, TraceStats } from '../../../shared/contract/types';
import { PACKET_TYPES } from '../../../shared/contract/types';
import { BLOCK, BLOCK_BYTES, BYTES_PER_FRAME, Block, META_CLIENT_SIDE, META_KIND_SHIFT, META_S2C, NO_REASON, TOPIC_PENDING, TOPIC_PENDING_MAX_START } from './frame-index';
import { PayloadDedupe } from './payload-dedupe';
import { idOf, SLAB_SIZE, SlabPool } from './slab-pool';
import { newSummary, summarize } from './summarize';
import { TopicTable } from './topic-table';
import { memOf, offsetOf } from './view-of';
import { frameTimeUs } from './wire-clock';

export const DEFAULT_BUDGET = 256 * 2 ** 20;
const KINDS: FrameKind[] = ['packet', 'malformed', 'event'];
// Below this a payload is simply stored again: a copy costs no more than its wire bytes, and hashing it
// would cost more CPU than the memory is worth. Identical Buffers (fan-out) are shared at any size.
const MIN_DEDUPE = 256;
/** From this many blocks' worth of budget on, evicting a whole block (1/16 of the trace or less) is a small step. */
const MIN_BLOCKS = 16;

/** What the store needs to know about the connection a frame belongs to. */
export interface ConnCtx {
  id: number;
  clientSide: boolean;
  version: number;
  sawConnect: boolean;
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Newest frame of this connection (lets closed connections be forgotten once all their frames are evicted). */
  lastSeq?: number;
  /** The last rule a client broke on this connection (lets the broker act on what the tap saw). */
  lastProblem?: string;
  /** Frames re-read from a file: the per-connection order rules were checked when they were captured. */
  imported?: boolean;
  /** Close the connection (set by whoever owns its stream): the tap saw something it must not keep taking. */
  abort?(reason: string): void;
  /** When the packet this connection left unfinished last got a byte (undefined: none unfinished). */
  partialSinceMs?: number;
  onConnect(level: number, clientId: string | null): void;
}

/** A byte range of a larger array (see payloadSpan). */
export interface PayloadSpan { bytes: Uint8Array; from: number; to: number }

const EMPTY_BYTES = new Uint8Array(0);

/** Columns layoutOf fills, CHUNK long. */
export interface FrameLayout { topic: Uint32Array; slab: Uint8Array[]; start: Int32Array; end: Int32Array; sharedPos: Float64Array }

export class TraceStore {
  private blocks: Block[] = [];
  /**
   * Blocks eviction emptied, for the next ones the index needs: at the budget a block is emptied for every
   * one filled, and a fresh one was ~0.7 MB zeroed by calloc and ArrayBuffers for the GC to track. All of
   * them, while the budget has room: eviction down to its 95 % target empties several at once (two kept
   * meant the rest dropped and as many made new a moment later); evict() lets go of them before live frames.
   */
  private spareBlocks: Block[] = [];
  private pool = new SlabPool();
  private notes = new Map<number, string>();
  private notesBytes = 0;
  private topics = new TopicTable();
  private dedupe = new PayloadDedupe(this.pool);
  private scratch = newSummary();
  firstSeq = 0;
  nextSeq = 0;
  evictedFrames = 0;
  evictedBytes = 0;
  malformed = 0;
  /** Bytes of packets still arriving, held by framers outside the slabs (counted against the budget). */
  partialBytes = 0;

  /**
   * Memory others keep beside the frames, so the budget bounds it too: per frame held (the flow and filter
   * indexes: evicting frames lowers it at once, before the owner has forgotten what went with them), or as
   * a whole (the topic tree). Each owner's charge replaces its previous one; 0 releases it. A rise is
   * charged at once: it may evict frames.
   */
  chargePerFrame(owner: object, perFrame: number): void {
    this.attached += replaceCharge(this.perFrameCharges, owner, perFrame);
    if (this.bytes > this.budgetBytes) this.evict();
  }
  chargeBytes(owner: object, bytes: number): void {
    this.attachedFixed += replaceCharge(this.wholeCharges, owner, bytes);
    if (this.bytes > this.budgetBytes) this.evict();
  }
  get attachedPerFrame(): number { return this.attached; }
  get attachedBytes(): number { return this.attachedFixed; }
  private perFrameCharges = new Map<object, number>();
  private wholeCharges = new Map<object, number>();
  // The sums, kept as they change: `bytes` is read for every frame stored.
  private attached = 0;
  private attachedFixed = 0;
  /** The last Clear removed frames [fromSeq, toSeq): gone because someone cleared them, not evicted. */
  private cleared: { fromSeq: number; toSeq: number } | null = null;

  /** originMs: wall clock of timeUs = 0 (a trace file's own, from its header, for an opened file). */
  constructor(public budgetBytes = DEFAULT_BUDGET, readonly originMs = performance.timeOrigin) {}

  /** An empty store numbers its frames from `seq` (an opened file keeps its own frame numbers). */
  startAt(seq: number): void {
    if (this.nextSeq !== this.firstSeq || this.blocks.length) throw new Error('startAt needs an empty store');
    this.firstSeq = this.nextSeq = seq;
  }

  /**
   * About how many more frames fit before eviction starts, at the bytes a frame takes now (Infinity while the
   * store is empty). Work that reads frames later (flows, topic counts) must not let eviction overtake it.
   */
  framesUntilEviction(): number {
    const held = this.nextSeq - this.firstSeq;
    return held > 0 ? (this.budgetBytes - this.bytes) / (this.bytes / held) : Infinity;
  }

  get bytes(): number {
    return this.pool.bytes + (this.blocks.length + this.spareBlocks.length) * BLOCK_BYTES + this.notesBytes + this.topics.bytes + this.partialBytes
      + (this.nextSeq - this.firstSeq) * this.attachedPerFrame + this.attachedFixed;
  }

  /** Unfinished packets of all connections together may hold at most this much. */
  get partialLimit(): number { return Math.floor(this.budgetBytes / 2); }

  /** Bytes really in use: filled slab bytes + the index of live frames + strings (the bench reports this). */
  usedBytes(): number {
    return this.pool.used + (this.nextSeq - this.firstSeq) * BYTES_PER_FRAME + this.notesBytes + this.topics.bytes;
  }

  // ---- writing (hot path) ----

  reserve(n: number): number {
    // At the budget, make room before taking a slab: then the slab the oldest frames held is the one
    // reused, instead of fresh memory now and eviction after.
    if (this.pool.spareBytes === 0 && this.bytes + SLAB_SIZE > this.budgetBytes && this.budgetBytes >= 8 * SLAB_SIZE && this.pool.needsSlab(n)) {
      // Until a slab is spare, or the budget has room for a new one: when the oldest frames are big payloads
      // (slabs of their own, freed rather than kept) waiting for a spare slab evicted every frame.
      while (this.pool.spareBytes === 0 && this.bytes + SLAB_SIZE > this.budgetBytes && this.nextSeq > this.firstSeq) this.evictSome(this.framesFor(SLAB_SIZE, 256));
    }
    return this.pool.reserve(n);
  }
  /** Room for `count` whole packets, n bytes in all, in the slab being filled; -1 when it has none (see SlabPool). */
  reserveRun(n: number, count: number): number { return this.pool.reserveRun(n, count); }
  bufferAt(pos: number): Buffer { return this.pool.buffer(pos); }
  offsetAt(pos: number): number { return this.pool.offset(pos); }
  /** The buffer and offset of the last reserve/reserveRun (what bufferAt/offsetAt of its position return). */
  get reservedBuf(): Buffer { return this.pool.reservedBuf; }
  get reservedOff(): number { return this.pool.reservedOff; }
  /** Give back a reservation that will not become a frame; frees its slab if nothing else holds it. */
  cancel(pos: number, reserved: number): void {
    this.pool.settle(pos, -1, 0, reserved);
    this.pool.release(this.firstSeq);
  }

  /**
   * A complete packet of `len` bytes sits at pos; `fixed` is its fixed-header size. Returns its seq.
   * With `shared` >= 0 only the first `have` bytes are at pos and the rest is the payload already stored
   * at `shared` (the broker writing one payload Buffer to many subscribers); returns -1, changing nothing,
   * if the packet turns out not to be a PUBLISH whose payload starts at `have`.
   */
  commitPacket(ctx: ConnCtx, s2c: boolean, pos: number, len: number, fixed: number, shared = -1, have = len): number {
    return this.commitAt(ctx, s2c, pos, this.pool.buffer(pos), this.pool.offset(pos), len, fixed, shared, have);
  }

  /** commitPacket for a caller that has the packet's buffer and offset at hand (bufferAt/offsetAt of pos). */
  commitAt(ctx: ConnCtx, s2c: boolean, pos: number, buf: Buffer, off: number, len: number, fixed: number, shared = -1, have = len): number {
    const s = this.scratch;
    const c2s = !s2c;
    const type = buf[off] >> 4;
    let version = ctx.version;
    if (type === 1 && c2s) version = 0; // CONNECT carries its own level
    summarize(s, buf, off, shared >= 0 ? have : len, fixed, version);
    if (shared >= 0 && (type !== 3 || s.problem !== null || s.head !== have || (c2s && !ctx.sawConnect))) return -1;
    if (shared >= 0) s.head = have;
    if (c2s && !ctx.imported) {
      if (type === 1) {
        if (ctx.sawConnect) s.problem ??= 'second CONNECT on one connection [MQTT-3.1.0-2]';
        else {
          ctx.sawConnect = true;
          ctx.version = s.level;
          ctx.onConnect(s.level, s.clientId);
        }
      } else if (!ctx.sawConnect) {
        s.problem ??= 'first packet from a client must be CONNECT [MQTT-3.1.0-1]';
      }
    }
    if (s2c === ctx.clientSide) { ctx.packetsIn++; ctx.bytesIn += len; } else { ctx.packetsOut++; ctx.bytesOut += len; }
    const seq = this.nextSeq++;
    ctx.lastSeq = seq;
    const b = this.tail();
    const i = b.count++;
    b.timeUs[i] = frameTimeUs();
    b.conn[i] = ctx.id;
    b.pos[i] = pos;
    b.len[i] = len;
    b.head[i] = s.head;
    b.b0[i] = buf[off];
    b.packetId[i] = s.packetId;
    b.reason[i] = s.reason;
    b.topic[i] = s.topicStart < 0 ? 0
      : s.topicStart <= TOPIC_PENDING_MAX_START ? TOPIC_PENDING | (s.topicStart << 16) | s.topicLen
      : this.topics.idAt(buf, off + s.topicStart, s.topicLen);
    let keep = len;
    b.payPos[i] = -1;
    if (s.problem !== null) {
      if (c2s) ctx.lastProblem = s.problem;
      b.meta[i] = this.metaOf(ctx, s2c, 1);
      this.note(seq, s.problem);
      this.malformed++;
    } else if (shared >= 0) {
      b.meta[i] = this.metaOf(ctx, s2c, 0);
      b.payPos[i] = shared;
      keep = have;
      this.pool.reference(shared, seq);
    } else {
      b.meta[i] = this.metaOf(ctx, s2c, 0);
      if (type === 3 && len - s.head >= MIN_DEDUPE) {
        const shared = this.dedupe.find(buf, off + s.head, off + len, pos + s.head, seq);
        if (shared >= 0) { b.payPos[i] = shared; keep = s.head; }
      }
      if (type === 3 && s2c === ctx.clientSide) this.dedupe.noteReceived(b.payPos[i] >= 0 ? b.payPos[i] : pos + s.head, len - s.head);
    }
    this.pool.settle(pos, seq, keep, len);
    if (this.bytes > this.budgetBytes) this.evict();
    return seq;
  }

  /** Where the payload of the newest frame is stored, if that frame is a PUBLISH whose payload is the last `n` bytes. */
  payloadPosOfNewest(n: number): number {
    const b = this.lastBlock();
    if (!b || b.count === 0) return -1;
    const i = b.count - 1;
    if ((b.b0[i] >> 4) !== 3 || b.len[i] - b.head[i] !== n || ((b.meta[i] >> META_KIND_SHIFT) & 3) !== 0) return -1;
    return b.payPos[i] >= 0 ? b.payPos[i] : b.pos[i] + b.head[i];
  }

  /** Payload Buffers the broker writes to many subscribers, by identity: no hashing, no compare, no copy. */
  sharedPayload(chunk: Buffer): number {
    const p = this.dedupe.sameBuffer(chunk);
    if (p >= 0) return p;
    let q = this.dedupe.byView(chunk);
    if (q < 0) q = this.dedupe.sameAsReceived(chunk);
    if (q >= 0) this.dedupe.rememberBuffer(chunk, q);
    return q;
  }
  rememberPayload(chunk: Buffer, pos: number): void { this.dedupe.rememberBuffer(chunk, pos); }

  /**
   * Frame `seq` was received whole in `chunk`, starting at `at`: if it is a PUBLISH with a payload
   * worth sharing, remember where its payload sits in the read's memory (see PayloadDedupe.byView).
   */
  receivedWhole(seq: number, chunk: Buffer, at: number): void {
    const b = this.blockOf(seq);
    if (!b) return;
    const i = seq - b.firstSeq;
    const plen = b.len[i] - b.head[i];
    if ((b.b0[i] >> 4) !== 3 || plen < MIN_DEDUPE || ((b.meta[i] >> META_KIND_SHIFT) & 3) !== 0) return;
    this.dedupe.noteView(memOf(chunk), offsetOf(chunk) + at + b.head[i], plen, b.payPos[i] >= 0 ? b.payPos[i] : b.pos[i] + b.head[i]);
  }

  /** A socket read delivered this chunk (see PayloadDedupe.sawRead). */
  sawRead(chunk: Buffer): void { this.dedupe.sawRead(memOf(chunk)); }

  /**
   * Once per batch tick, off the socket path. Topics interned by reads since the last commit count against
   * the budget too (readers are never evicted under: they hold seqs), so an overshoot ends here.
   */
  tick(): void {
    this.dedupe.idle();
    if (this.bytes > this.budgetBytes) this.evict();
  }

  /** Bytes that cannot be a packet (kept as they were) with the reason. */
  commitMalformed(ctx: ConnCtx, s2c: boolean, pos: number, len: number, reserved: number, reason: string): number {
    const b0 = len > 0 ? this.pool.buffer(pos)[this.pool.offset(pos)] : 0;
    const seq = this.commitNoted(ctx, s2c, 1, len > 0 ? pos : -1, len, b0, reason);
    this.malformed++;
    if (reserved > 0) this.pool.settle(pos, seq, len, reserved);
    if (this.bytes > this.budgetBytes) this.evict();
    return seq;
  }

  /** Something that happened to a connection, with no bytes. */
  commitEvent(ctx: ConnCtx, s2c: boolean, text: string): number {
    const seq = this.commitNoted(ctx, s2c, 2, -1, 0, 0, text);
    if (this.bytes > this.budgetBytes) this.evict();
    return seq;
  }

  /** A row with no summary fields, only a note: a malformed record (kind 1) or an event (kind 2). */
  private commitNoted(ctx: ConnCtx, s2c: boolean, kind: 1 | 2, pos: number, len: number, b0: number, note: string): number {
    const seq = this.nextSeq++;
    ctx.lastSeq = seq;
    const b = this.tail();
    const i = b.count++;
    b.timeUs[i] = performance.now() * 1000;
    b.conn[i] = ctx.id;
    b.pos[i] = pos;
    b.len[i] = len;
    b.head[i] = len;
    b.payPos[i] = -1;
    b.b0[i] = b0;
    b.meta[i] = this.metaOf(ctx, s2c, kind);
    b.packetId[i] = 0;
    b.reason[i] = NO_REASON;
    b.topic[i] = 0;
    this.note(seq, note);
    return seq;
  }

  /** Re-add a frame read from a trace file (keeps its time). */
  importFrame(ctx: ConnCtx, s2c: boolean, kind: FrameKind, timeUs: number, bytes: Uint8Array, note: string | null): number {
    let seq: number;
    if (kind === 'event') seq = this.commitEvent(ctx, s2c, note ?? '');
    else {
      const pos = this.pool.reserve(Math.max(bytes.length, 1));
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).copy(this.pool.buffer(pos), this.pool.offset(pos));
      if (kind === 'malformed' || bytes.length < 2) seq = this.commitMalformed(ctx, s2c, pos, bytes.length, Math.max(bytes.length, 1), note ?? 'malformed');
      else seq = this.commitPacket(ctx, s2c, pos, bytes.length, fixedHeaderSize(bytes));
    }
    const b = this.blockOf(seq);
    if (b) b.timeUs[seq - b.firstSeq] = timeUs;
    return seq;
  }

  // ---- reading ----

  has(seq: number): boolean { return seq >= this.firstSeq && seq < this.nextSeq; }

  blockOf(seq: number): Block | undefined {
    if (!this.has(seq) || this.blocks.length === 0) return undefined;
    const b = this.blocks[Math.floor((seq - this.blocks[0].firstSeq) / BLOCK)];
    return b;
  }

  summary(seq: number): FrameSummary | null {
    const b = this.blockOf(seq);
    if (!b) return null;
    const i = seq - b.firstSeq;
    const meta = b.meta[i];
    const kind = KINDS[(meta >> META_KIND_SHIFT) & 3];
    const len = b.len[i];
    const b0 = b.b0[i];
    const typeNum = b0 >> 4;
    const type: PacketType | null = kind === 'event' || len === 0 ? null : PACKET_TYPES[typeNum];
    const out: FrameSummary = {
      seq,
      timeUs: b.timeUs[i],
      wallMs: this.wallUs(b.timeUs[i]) / 1000,
      conn: b.conn[i],
      side: (meta & META_CLIENT_SIDE ? 'client' : 'broker') as Side,
      dir: (meta & META_S2C ? 's2c' : 'c2s') as Dir,
      kind,
      type,
      flags: b0 & 15,
      length: len,
    };
    if (b.packetId[i]) out.packetId = b.packetId[i];
    if (b.reason[i] !== NO_REASON) out.reasonCode = b.reason[i];
    const topic = this.topicIdAt(b, i);
    if (topic) out.topic = this.topics.get(topic);
    if (typeNum === 3 && type) {
      const qos = (b0 >> 1) & 3;
      if (qos <= 2) out.qos = qos as 0 | 1 | 2;
      out.retain = (b0 & 1) === 1;
      out.dup = (b0 & 8) === 8;
      out.payloadSize = len - b.head[i];
    }
    const note = this.notes.get(seq);
    if (note !== undefined) out.note = note;
    return out;
  }

  /** The frame's wire bytes (a copy). */
  bytesOf(seq: number): Buffer | null {
    const b = this.blockOf(seq);
    if (!b) return null;
    const i = seq - b.firstSeq;
    const len = b.len[i];
    if (b.pos[i] < 0) return Buffer.alloc(0);
    const out = Buffer.allocUnsafe(len);
    const head = b.payPos[i] >= 0 ? b.head[i] : len;
    this.pool.buffer(b.pos[i]).copy(out, 0, this.pool.offset(b.pos[i]), this.pool.offset(b.pos[i]) + head);
    if (head < len) {
      const pp = b.payPos[i];
      const o = this.pool.offset(pp);
      this.pool.buffer(pp).copy(out, head, o, o + len - head);
    }
    return out;
  }

  /** View (no copy) of the frame's bytes up to its payload: enough for its header and properties. */
  headerOf(seq: number): Buffer | null {
    const b = this.blockOf(seq);
    if (!b) return null;
    const i = seq - b.firstSeq;
    if (b.pos[i] < 0) return null;
    const n = b.payPos[i] >= 0 ? b.head[i] : b.len[i];
    const o = this.pool.offset(b.pos[i]);
    return this.pool.buffer(b.pos[i]).subarray(o, o + n);
  }

  /** Payload view of a PUBLISH without copying the header (for text search). */
  payloadOf(seq: number): Buffer | null {
    const b = this.blockOf(seq);
    if (!b) return null;
    const i = seq - b.firstSeq;
    if (b.pos[i] < 0 || (b.b0[i] >> 4) !== 3) return null;
    const plen = b.len[i] - b.head[i];
    const at = b.payPos[i] >= 0 ? b.payPos[i] : b.pos[i] + b.head[i];
    const o = this.pool.offset(at);
    return this.pool.buffer(at).subarray(o, o + plen);
  }

  /**
   * Where a PUBLISH's payload sits, without allocating a view (payload search runs this per frame): fills
   * `at` with the slab and the byte range and returns true, or false when the frame has no payload bytes.
   */
  payloadSpan(seq: number, at: PayloadSpan): boolean {
    const b = this.blockOf(seq);
    if (!b) return false;
    const i = seq - b.firstSeq;
    if (b.pos[i] < 0 || (b.b0[i] >> 4) !== 3) return false;
    const p = b.payPos[i] >= 0 ? b.payPos[i] : b.pos[i] + b.head[i];
    const o = this.pool.offset(p);
    at.bytes = this.pool.buffer(p);
    at.from = o;
    at.to = o + b.len[i] - b.head[i];
    return true;
  }

  /**
   * What a text search reads of frames [from, to) (at most CHUNK of them, all stored), in one pass over the
   * columns: topic ids, and for a PUBLISH with stored payload bytes the slab, the byte range and, when the
   * bytes are a deduplicated payload other frames point at too, its position (else -1).
   */
  layoutOf(from: number, to: number, out: FrameLayout): void {
    if (from >= to) return; // nothing stored there (a Clear while a scan yielded)
    let b = this.blockOf(from)!;
    let end = b.firstSeq + b.count;
    let lastId = -1;
    let lastBuf: Uint8Array = EMPTY_BYTES;
    for (let s = from, k = 0; s < to; s++, k++) {
      if (s >= end) { b = this.blockOf(s)!; end = b.firstSeq + b.count; }
      const i = s - b.firstSeq;
      out.topic[k] = this.topicIdAt(b, i);
      out.slab[k] = EMPTY_BYTES;
      out.sharedPos[k] = -1;
      if (b.pos[i] < 0 || (b.b0[i] >> 4) !== 3) continue;
      const shared = b.payPos[i] >= 0;
      const p = shared ? b.payPos[i] : b.pos[i] + b.head[i];
      const id = idOf(p);
      if (id !== lastId) { lastId = id; lastBuf = this.pool.buffer(p); }
      const o = this.pool.offset(p);
      out.slab[k] = lastBuf;
      out.start[k] = o;
      out.end[k] = o + b.len[i] - b.head[i];
      if (shared) out.sharedPos[k] = p;
    }
  }

  /** Whole microseconds since the epoch of a frame time: the one rounding every view and export shares. */
  wallUs(timeUs: number): number { return Math.floor(this.originMs * 1000 + timeUs); }

  /**
   * The first frame below `upTo` recorded at or after `wallMs` ("Go to 13:46:42.5"), or `upTo` when none is.
   * Frames are stored in the order they were recorded; times compare in whole microseconds, what a frame
   * records.
   */
  firstAtOrAfterWall(wallMs: number, upTo = this.nextSeq): number {
    const want = Math.round(wallMs * 1000);
    let lo = this.firstSeq;
    let hi = Math.min(upTo, this.nextSeq);
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const b = this.blockOf(mid);
      if (b && this.wallUs(b.timeUs[mid - b.firstSeq]) < want) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  topicOf(seq: number): string | undefined {
    const b = this.blockOf(seq);
    if (!b) return undefined;
    const t = this.topicIdAt(b, seq - b.firstSeq);
    return t ? this.topics.get(t) : undefined;
  }

  /**
   * Intern every pending topic now and keep the budget (a store with no batch tick: an opened file, whose
   * frames were all read in at once).
   */
  internAllTopics(): void {
    for (const b of this.blocks) for (let i = 0; i < b.count; i++) this.topicIdAt(b, i);
    if (this.bytes > this.budgetBytes) this.evict();
  }

  /** Topic id of frame i of block b (0: none), interned now if the socket path left it pending. */
  topicIdAt(b: Block, i: number): number {
    const t = b.topic[i];
    if (t < TOPIC_PENDING) return t;
    const pos = b.pos[i];
    const id = this.topics.idAt(this.pool.buffer(pos), this.pool.offset(pos) + ((t >>> 16) & TOPIC_PENDING_MAX_START), t & 0xffff);
    b.topic[i] = id;
    return id;
  }

  topicName(id: number): string { return this.topics.get(id); }

  /** Bumped whenever topic ids (the topic column, layoutOf) are renumbered or forgotten: Clear, compaction. */
  topicEpoch = 0;

  noteOf(seq: number): string | undefined { return this.notes.get(seq); }

  get hasNotes(): boolean { return this.notes.size > 0; }

  stats(): TraceStats {
    return {
      frames: this.nextSeq - this.firstSeq,
      bytes: this.bytes,
      budgetBytes: this.budgetBytes,
      evictedFrames: this.evictedFrames,
      evictedBytes: this.evictedBytes,
      firstSeq: this.firstSeq,
      nextSeq: this.nextSeq,
      malformed: this.malformed,
      ...(this.cleared ? { cleared: { ...this.cleared } } : {}),
    };
  }

  setBudget(bytes: number): void {
    this.budgetBytes = bytes;
    if (this.bytes > bytes) this.evict();
  }

  clear(): void {
    this.cleared = { fromSeq: this.firstSeq, toSeq: this.nextSeq };
    this.blocks = [];
    this.spareBlocks = [];
    this.pool.clear();
    this.notes.clear();
    this.notesBytes = 0;
    this.topics.clear();
    this.topicEpoch++;
    this.dedupe.clear();
    this.firstSeq = this.nextSeq;
  }

  // ---- internals ----

  private metaOf(ctx: ConnCtx, s2c: boolean, kind: number): number {
    return (ctx.clientSide ? META_CLIENT_SIDE : 0) | (s2c ? META_S2C : 0) | (kind << META_KIND_SHIFT);
  }

  /** The newest block. Never blocks[-1]: a key that is no array index turns the load megamorphic for good. */
  private lastBlock(): Block | undefined {
    const n = this.blocks.length;
    return n > 0 ? this.blocks[n - 1] : undefined;
  }

  private tail(): Block {
    let b = this.lastBlock();
    if (!b || b.count === BLOCK) {
      const first = this.nextSeq - 1; // called after nextSeq++ for the frame being added
      // At the budget the oldest block's frames make room for the next block, as reserve() does for slabs:
      // a fresh block was ~0.7 MB of new memory for every block eviction then dropped (5 a second at QoS 2
      // 4 KiB, and each made V8 count more external memory toward its next full collection).
      if (this.spareBlocks.length === 0 && this.blocks.length > 1 && this.budgetBytes >= MIN_BLOCKS * BLOCK_BYTES && this.bytes + BLOCK_BYTES > this.budgetBytes) {
        this.evictSome(BLOCK);
      }
      b = this.spareBlocks.pop()?.reuse(first) ?? new Block(first);
      this.blocks.push(b);
    }
    return b;
  }

  private note(seq: number, text: string): void {
    this.notes.set(seq, text);
    this.notesBytes += 64 + text.length * 2;
  }


  private evict(): void {
    const target = this.budgetBytes * 0.95;
    // Slabs freed here are kept as spares for the frames that follow (SlabPool), so what counts toward
    // the target is what live frames hold; the spares then fill the gap up to the budget, never beyond it.
    // Spare blocks likewise, and before spare slabs: the slabs are trimmed to what live frames and spare blocks leave.
    let over: number;
    while ((over = this.bytes - this.pool.spareBytes - this.spareBlocks.length * BLOCK_BYTES - target) > 0 && this.nextSeq - this.firstSeq > 0) {
      this.evictSome(this.framesFor(over, 4096));
    }
    this.pool.trimSpare(Math.max(0, this.budgetBytes - (this.bytes - this.pool.spareBytes)));
    while (this.spareBlocks.length && this.bytes > this.budgetBytes) this.spareBlocks.pop();
  }

  /**
   * About how many of the oldest frames hold `bytes`, at what a frame holds on average (at least 1, at most
   * `max`): a fixed step of 4,096 frames evicted a whole trace of 600 KiB payloads, the newest frame included.
   */
  private framesFor(bytes: number, max: number): number {
    const held = this.nextSeq - this.firstSeq;
    return Math.max(1, Math.min(max, Math.ceil(bytes / (this.bytes / held))));
  }

  /** Evict the oldest frames (up to `max`, within one block) and free what only they held. */
  private evictSome(max: number): void {
    const b = this.blocks[0];
    const upto = Math.min(b.firstSeq + b.count, this.firstSeq + max);
    for (let s = this.firstSeq; s < upto; s++) this.evictedBytes += b.len[s - b.firstSeq];
    this.evictedFrames += upto - this.firstSeq;
    this.firstSeq = upto;
    for (const [seq, text] of this.notes) {
      if (seq >= upto) break;
      this.notes.delete(seq);
      this.notesBytes -= 64 + text.length * 2;
    }
    if (upto === b.firstSeq + BLOCK || (upto === b.firstSeq + b.count && this.blocks.length === 1)) {
      // The block is empty (or everything is gone: the next frame starts a new block).
      const empty = this.blocks.shift()!;
      this.spareBlocks.push(empty);
    }
    this.pool.release(this.firstSeq);
    if (this.topics.bytes > this.budgetBytes / 8) this.compactTopics();
  }

  /** Forget topics no live frame uses (they would otherwise grow without bound under unique topics). Pending topics hold no id. */
  private compactTopics(): void {
    const used = new Set<number>();
    for (const b of this.blocks) for (let i = 0; i < b.count; i++) { const t = b.topic[i]; if (t !== 0 && t < TOPIC_PENDING) used.add(t); }
    const remap = this.topics.compact(used);
    this.topicEpoch++;
    for (const b of this.blocks) for (let i = 0; i < b.count; i++) { const t = b.topic[i]; if (t !== 0 && t < TOPIC_PENDING) b.topic[i] = remap.get(t)!; }
  }
}

export function fixedHeaderSize(bytes: Uint8Array): number {
  let i = 1;
  while (i < 5 && i < bytes.length && bytes[i] & 0x80) i++;
  return i + 1;
}

/** Sets `owner`'s charge in `charges` (0 removes it); returns the change to the sum. */
function replaceCharge(charges: Map<object, number>, owner: object, bytes: number): number {
  const before = charges.get(owner) ?? 0;
  if (bytes > 0) charges.set(owner, bytes); else charges.delete(owner);
  return bytes - before;
}
