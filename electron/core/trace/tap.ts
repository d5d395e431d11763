// Observe every byte a Duplex receives (push) and sends (_write/_writev, i.e. after corking, in the order
// the transport gets them). The tap only reads; the stream is not changed.
//
// Time of a sent frame: when its bytes were handed to the transport, not when it was encoded. The embedded
// broker coalesces its writes (aedes coalesceWrites): a connection stays corked while more deliveries to it
// are already queued, so the packets of such a run leave in one writev and share that writev's time, which
// is later than the moment the broker wrote the first of them by the time it took to write the rest. It is
// the earliest the peer could have seen them.
//
// Sockets are tapped through one hook on net.Socket.prototype that looks for a per-socket symbol, not by
// giving each socket its own push/_writev closures: per-instance closures made Node's own stream call
// sites megamorphic and alone cost ~14 % of broker throughput (measured with `npm run bench`).
// Other Duplexes (the WebSocket stream) are wrapped per instance.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { wireClock } from './wire-clock';

export interface Sink {
  /**
   * `ahead`: bytes that follow in the same synchronous call (the rest of a writev). `end` (≥ 0): only
   * chunk[0, end) is fed, from a scratch buffer the tap reuses; the sink copies what it keeps and never
   * takes the buffer for a payload it saw before (its identity means nothing). Saves a view per gathered run.
   */
  feed(chunk: Buffer, ahead?: number, end?: number): void;
  feedString(text: string, encoding: BufferEncoding, ahead?: number): void;
  /**
   * A gathered run (`head`, the scratch buffer, first `headLen` bytes) followed by `body`, a Buffer that may
   * end the packet the run begins (a PUBLISH's payload). True when the sink took both; false, having taken
   * nothing, when they are to be fed one after the other as usual.
   */
  feedHeadAndBody(head: Buffer, headLen: number, body: Buffer): boolean;
}

interface Taps { received: Sink; sent: Sink }
export type Chunks = { chunk: unknown; encoding: string }[];
type WriteCb = (e?: Error | null) => void;

const TAP = Symbol('mqscope.tap');

function give(sink: Sink, chunk: unknown, encoding?: string, ahead = 0): void {
  if (Buffer.isBuffer(chunk)) sink.feed(chunk, ahead);
  else if (typeof chunk === 'string') sink.feedString(chunk, (encoding as BufferEncoding) || 'utf8', ahead);
  else if (chunk instanceof Uint8Array) sink.feed(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), ahead);
}

/** Below this length a string is first tried as ASCII in JS: a native byteLength and write cost more. */
const ASCII_TRY = 64;

/** Whether a short string's UTF-8 bytes are its char codes (so its byte length is its length). */
function isShortAscii(text: string): boolean {
  if (text.length >= ASCII_TRY) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function sizeOf(chunk: unknown, encoding: string): number {
  if (typeof chunk === 'string') {
    // mqtt-packet writes a topic as a string. In UTF-8, and only there, a length equal to the string's means ASCII.
    if ((encoding === 'utf8' || encoding === 'utf-8') && isShortAscii(chunk)) return chunk.length;
    return Buffer.byteLength(chunk, (encoding as BufferEncoding) || 'utf8');
  }
  return chunk instanceof Uint8Array ? chunk.byteLength : 0;
}

// Sizes of the current writev's chunks, measured once (a string's byte length is not free); reused.
const sizes: number[] = [];
/**
 * Below this a writev's chunks are gathered: mqtt-packet writes a PUBLISH as five or six pieces (header byte,
 * length, topic length, topic string, packet id, payload), and framing each piece on its own cost more than
 * copying them together. Larger chunks (a payload) pass as they are: the framer recognises a payload Buffer
 * written again (fan-out) by identity, which a copy would hide. Equal to the framer's MIN_SHARED.
 */
const GATHER_BELOW = 256;
const gathered = Buffer.allocUnsafeSlow(64 * 1024);

/** Copies `n` bytes of `bytes` into the gathering buffer at `at`. */
function gatherBytes(bytes: Uint8Array, at: number, n: number): void {
  if (n > 16) gathered.set(bytes, at);
  else for (let j = 0; j < n; j++) gathered[at + j] = bytes[j]; // set() costs more than this for a few bytes
}

/**
 * A writev's chunks, each told how many bytes follow it in the same call; runs of small chunks are fed as
 * one. The framer copies what it keeps before returning, so the gathering buffer is reused.
 */
export function giveAll(sink: Sink, chunks: Chunks): void {
  if ((chunks as { allBuffers?: boolean }).allBuffers === true) return giveBuffers(sink, chunks as unknown as { chunk: Buffer }[]);
  let ahead = 0;
  for (let k = 0; k < chunks.length; k++) ahead += (sizes[k] = sizeOf(chunks[k].chunk, chunks[k].encoding));
  let run = 0;
  for (let k = 0; k < chunks.length; k++) {
    const n = sizes[k];
    const { chunk, encoding } = chunks[k];
    if (n < GATHER_BELOW && run + n <= gathered.length && (typeof chunk !== 'string' || encoding === 'utf8' || encoding === 'utf-8')) {
      if (typeof chunk === 'string') {
        // A topic: an ASCII string is copied char by char (sizeOf found it ASCII); the native write cost more.
        if (n === chunk.length && n < ASCII_TRY) for (let j = 0; j < n; j++) gathered[run + j] = chunk.charCodeAt(j);
        else gathered.write(chunk, run, n, 'utf8');
      }
      else if (chunk instanceof Uint8Array) gatherBytes(chunk, run, n);
      else continue; // not bytes: sizeOf counted 0 and give() would ignore it too
      run += n;
      ahead -= n;
      continue;
    }
    if (run > 0) { sink.feed(gathered, ahead, run); run = 0; }
    ahead -= n;
    give(sink, chunk, encoding, ahead);
  }
  if (run > 0) sink.feed(gathered, 0, run);
}

/**
 * giveAll for the usual writev, which Node marks `allBuffers`: only Buffers, so no string to measure or
 * encode, and each entry's chunk is read where it is used (a broker's writev alternates PUBLISH headers
 * and the payloads they are gathered around).
 */
function giveBuffers(sink: Sink, chunks: { chunk: Buffer }[]): void {
  const n = chunks.length;
  let ahead = 0;
  for (let k = 0; k < n; k++) ahead += chunks[k].chunk.length;
  let run = 0;
  for (let k = 0; k < n; k++) {
    const b = chunks[k].chunk;
    const len = b.length;
    ahead -= len;
    if (len < GATHER_BELOW && run + len <= gathered.length) {
      gatherBytes(b, run, len);
      run += len;
      continue;
    }
    if (run > 0) {
      const head = run;
      run = 0;
      if (sink.feedHeadAndBody(gathered, head, b)) continue;
      sink.feed(gathered, ahead + len, head);
    }
    sink.feed(b, ahead);
  }
  if (run > 0) sink.feed(gathered, 0, run);
}

function stamped(sink: Sink, chunk: unknown, encoding?: string): void {
  wireClock.us = performance.now() * 1000;
  wireClock.set = true;
  try {
    give(sink, chunk, encoding);
  } finally {
    wireClock.set = false;
  }
}

let socketHooks = false;
function installSocketHooks(): void {
  if (socketHooks) return;
  socketHooks = true;
  const proto = net.Socket.prototype as unknown as {
    push(chunk: unknown, encoding?: BufferEncoding): boolean;
    _write(chunk: unknown, encoding: BufferEncoding, cb: WriteCb): void;
    _writev(chunks: Chunks, cb: WriteCb): void;
  };
  const push = proto.push;
  const write = proto._write;
  const writev = proto._writev;
  proto.push = function tappedPush(this: { [TAP]?: Taps }, chunk: unknown, encoding?: BufferEncoding) {
    const t = this[TAP];
    if (t !== undefined && chunk != null) stamped(t.received, chunk, encoding);
    return push.call(this, chunk, encoding);
  };
  proto._write = function tappedWrite(this: { [TAP]?: Taps }, chunk: unknown, encoding: BufferEncoding, cb: WriteCb) {
    const t = this[TAP];
    if (t !== undefined) stamped(t.sent, chunk, encoding);
    return write.call(this, chunk, encoding, cb);
  };
  proto._writev = function tappedWritev(this: { [TAP]?: Taps }, chunks: Chunks, cb: WriteCb) {
    const t = this[TAP];
    if (t !== undefined) {
      wireClock.us = performance.now() * 1000;
      wireClock.set = true;
      try {
        giveAll(t.sent, chunks);
      } finally {
        wireClock.set = false;
      }
    }
    return writev.call(this, chunks, cb);
  };
}

function wrapInstance(stream: Duplex, received: Sink, sent: Sink): void {
  const s = stream as Duplex & { _writev?: (chunks: Chunks, cb: WriteCb) => void };
  const push = s.push;
  s.push = function tappedPush(chunk: unknown, encoding?: BufferEncoding) {
    if (chunk != null) stamped(received, chunk, encoding);
    return push.call(this, chunk, encoding);
  };
  const write = s._write;
  s._write = function tappedWrite(chunk: unknown, encoding: BufferEncoding, cb: WriteCb) {
    stamped(sent, chunk, encoding);
    return write.call(this, chunk, encoding, cb);
  };
  const writev = s._writev;
  if (typeof writev === 'function') {
    s._writev = function tappedWritev(chunks, cb) {
      wireClock.us = performance.now() * 1000;
      wireClock.set = true;
      try {
        giveAll(sent, chunks);
      } finally {
        wireClock.set = false;
      }
      return writev.call(this, chunks, cb);
    };
  }
}

export function tapStream(stream: Duplex, received: Sink, sent: Sink, closed: (reason: string) => void): void {
  if (stream instanceof net.Socket) {
    installSocketHooks();
    (stream as unknown as { [TAP]?: Taps })[TAP] = { received, sent };
  } else {
    wrapInstance(stream, received, sent);
  }
  let lastError = '';
  stream.on('error', (e: Error & { code?: string }) => { lastError = e.code ? `${e.code}: ${e.message}` : e.message; });
  stream.once('close', () => closed(lastError || 'closed'));
}
