// Trace files between the browser and the web host as plain HTTP streams, not as base64 inside contract
// messages: a download is written record by record with backpressure, an upload goes to a temporary file
// and opened from there as a document of its own (streamed). Neither side ever holds the whole file, nothing is
// inflated by base64, and the 64 MiB WebSocket message limit does not apply. Guarded like the WebSocket:
// the per-run token, and for uploads (which change state) the page's own Origin.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type http from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Core } from '../core/core';
import { pcapParts } from '../core/trace/pcap-export';
import { TraceFileError } from '../core/trace/trace-file';
import { HttpError } from './static-files';

export interface TransferGuard { token(given: string): boolean; origin(origin: string | undefined): boolean }

/** Largest upload accepted (a trace file is bounded by the budget it was captured with). */
const MAX_UPLOAD = 8 * 2 ** 30;

/** Handles /trace/...; false when the request is for something else. */
export async function traceTransfer(core: Core, dataDir: string, guard: TransferGuard, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://x');
  if (!url.pathname.startsWith('/trace/')) return false;
  if (!guard.token(url.searchParams.get('token') ?? '')) throw new HttpError(401, 'missing or wrong token\n');
  // A page from another site may make the browser send a request here; it cannot read the answer, but an
  // upload would change the trace. Fetch metadata and Origin keep it to our own page.
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new HttpError(403, 'foreign site\n');
  // ?doc= names the trace document (default: the live capture); an unknown one is a plain 404.
  const doc = url.searchParams.get('doc') ?? undefined;
  const known = () => { try { core.documents.get(doc); } catch (e) { throw new HttpError(404, `${(e as Error).message}\n`); } };
  if (req.method === 'GET' && url.pathname === '/trace/capture.mqtrace') {
    known();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${fileName('mqtrace')}"`, 'cache-control': 'no-store' });
    for (const part of core.traceFileParts(doc)) {
      if (!res.write(part)) await new Promise<void>((r) => { res.once('drain', r); res.once('close', r); });
      if (res.destroyed) return true;
    }
    res.end();
    return true;
  }
  if (req.method === 'GET' && url.pathname === '/trace/capture.pcap') {
    known();
    res.writeHead(200, { 'content-type': 'application/vnd.tcpdump.pcap', 'content-disposition': `attachment; filename="${fileName('pcap')}"`, 'cache-control': 'no-store' });
    // Streamed like the .mqtrace above: the broker runs while the socket drains.
    let batch: Buffer[] = [];
    let size = 0;
    for (const part of pcapParts(core.documents.get(doc).recorder)) {
      batch.push(part);
      size += part.length;
      if (size < 1 << 18) continue;
      const more = res.write(Buffer.concat(batch));
      batch = [];
      size = 0;
      if (!more) await new Promise<void>((r) => { res.once('drain', r); res.once('close', r); });
      else await new Promise<void>((r) => setImmediate(r));
      if (res.destroyed) return true;
    }
    res.end(batch.length ? Buffer.concat(batch) : undefined);
    return true;
  }
  if (req.method === 'POST' && url.pathname === '/trace/open') {
    if (!guard.origin(req.headers.origin)) throw new HttpError(403, 'uploads only from the MQScope page itself\n');
    const size = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(size) && size > MAX_UPLOAD) throw new HttpError(413, `file too large (over ${MAX_UPLOAD} bytes)\n`);
    const dir = join(dataDir, 'uploads');
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `${randomBytes(8).toString('hex')}.mqtrace`);
    const cancel = new AbortController();
    // The browser cancelling (XHR abort) closes the request before we answered.
    res.once('close', () => { if (!res.writableEnded) cancel.abort(); });
    try {
      await pipeline(req, createWriteStream(tmp), { signal: cancel.signal });
      const name = (url.searchParams.get('name') ?? 'trace.mqtrace').slice(0, 255) || 'trace.mqtrace';
      const info = await core.openTraceFile(tmp, { signal: cancel.signal, name });
      json(res, 200, info);
    } catch (e) {
      if (cancel.signal.aborted) { res.destroy(); return true; }
      if (e instanceof TraceFileError) json(res, 400, { error: e.message });
      else throw e;
    } finally {
      await rm(tmp, { force: true });
    }
    return true;
  }
  throw new HttpError(404, 'not found\n');
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function fileName(ext: string): string {
  return `capture-${new Date().toISOString().replace(/[:.]/g, '-')}.${ext}`;
}
