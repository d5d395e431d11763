// Observe every byte a Duplex receives (push) and sends (_write/_writev, i.e. after string encoding and
// corking, in the order the transport gets them). The tap only reads; the stream is not changed.
import type { Duplex } from 'node:stream';

type Sink = (chunk: Buffer) => void;

function asBuffer(chunk: unknown, encoding?: BufferEncoding | string): Buffer | null {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, (encoding as BufferEncoding) || 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return null;
}

export function tapStream(stream: Duplex, received: Sink, sent: Sink, closed: (reason: string) => void): void {
  const s = stream as Duplex & {
    _writev?: (chunks: { chunk: unknown; encoding: string }[], cb: (e?: Error | null) => void) => void;
  };
  const push = s.push;
  s.push = function tappedPush(chunk: unknown, encoding?: BufferEncoding) {
    if (chunk != null) {
      const b = asBuffer(chunk, encoding);
      if (b) received(b);
    }
    return push.call(this, chunk, encoding);
  };
  const write = s._write;
  s._write = function tappedWrite(chunk: unknown, encoding: BufferEncoding, cb: (e?: Error | null) => void) {
    const b = asBuffer(chunk, encoding);
    if (b) sent(b);
    return write.call(this, chunk, encoding, cb);
  };
  const writev = s._writev;
  if (typeof writev === 'function') {
    s._writev = function tappedWritev(chunks, cb) {
      for (const c of chunks) {
        const b = asBuffer(c.chunk, c.encoding);
        if (b) sent(b);
      }
      return writev.call(this, chunks, cb);
    };
  }
  let lastError = '';
  s.on('error', (e: Error & { code?: string }) => { lastError = e.code ? `${e.code}: ${e.message}` : e.message; });
  s.once('close', () => closed(lastError || 'closed'));
}
