// Observe every byte a Duplex receives (push) and sends (_write/_writev, i.e. after string encoding and
// corking, in the order the transport gets them). The tap only reads; the stream is not changed.
import type { Duplex } from 'node:stream';

export interface Sink {
  feed(chunk: Buffer): void;
  feedString(text: string, encoding: BufferEncoding): void;
}

function give(sink: Sink, chunk: unknown, encoding?: string): void {
  if (Buffer.isBuffer(chunk)) sink.feed(chunk);
  else if (typeof chunk === 'string') sink.feedString(chunk, (encoding as BufferEncoding) || 'utf8');
  else if (chunk instanceof Uint8Array) sink.feed(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
}

export function tapStream(stream: Duplex, received: Sink, sent: Sink, closed: (reason: string) => void): void {
  const s = stream as Duplex & {
    _writev?: (chunks: { chunk: unknown; encoding: string }[], cb: (e?: Error | null) => void) => void;
  };
  const push = s.push;
  s.push = function tappedPush(chunk: unknown, encoding?: BufferEncoding) {
    if (chunk != null) give(received, chunk, encoding);
    return push.call(this, chunk, encoding);
  };
  const write = s._write;
  s._write = function tappedWrite(chunk: unknown, encoding: BufferEncoding, cb: (e?: Error | null) => void) {
    give(sent, chunk, encoding);
    return write.call(this, chunk, encoding, cb);
  };
  const writev = s._writev;
  if (typeof writev === 'function') {
    s._writev = function tappedWritev(chunks, cb) {
      for (let k = 0; k < chunks.length; k++) give(sent, chunks[k].chunk, chunks[k].encoding);
      return writev.call(this, chunks, cb);
    };
  }
  let lastError = '';
  s.on('error', (e: Error & { code?: string }) => { lastError = e.code ? `${e.code}: ${e.message}` : e.message; });
  s.once('close', () => closed(lastError || 'closed'));
}
