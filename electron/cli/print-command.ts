// `mqscope print FILE [--filter EXPR]` and `mqscope decode FILE [--filter EXPR] [--json]`: a saved trace
// (or a pcap written by `mqscope pcap`), one line per frame or every decoded field, with the display
// filter language of the Trace view. Frame numbers and times are the trace's own, as the UI shows them.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { FieldNode } from '../../shared/contract/types';
import { compileFilter, FilterError } from '../../shared/filter';
import { dissect } from '../../shared/mqtt/dissect';
import { isoUs } from '../../shared/util/clock';
import { exportPcap } from '../core/trace/pcap-export';
import { PcapError } from '../core/trace/pcap-read';
import { SummaryFacts } from '../core/trace/summary-facts';
import { TraceFileError } from '../core/trace/trace-file';
import { loadTraceFile } from '../core/trace/trace-load';
import { openSource, type SourceFrame } from './decode-source';
import { formatFrame } from './format';
import { LineWriter, UsageError } from './output';

export const DECODE_USAGE = `usage: mqscope decode FILE [--filter EXPR] [--json]
  FILE            a .mqtrace, or a pcap written by mqscope pcap
  -f, --filter    display filter, e.g. 'type == PUBLISH && qos == 2' (the Trace view's language)
  --json          one JSON object per frame per line`;

async function readInput(path: string | undefined, what: string): Promise<Buffer> {
  if (!path) throw new UsageError(`${what} needs a trace FILE`);
  return readFile(path).catch((e: NodeJS.ErrnoException) => { throw new UsageError(`cannot read ${path}: ${e.code ?? e.message}`); });
}

async function source(file: Buffer, path: string) {
  try {
    return await openSource(file);
  } catch (e) {
    if (e instanceof TraceFileError || e instanceof PcapError) throw new UsageError(`${path}: ${e.message}`);
    throw e;
  }
}

/** The frames of a file that pass `filter` (all without one). */
function* selected(frames: Iterable<SourceFrame>, filter: string | undefined): Iterable<SourceFrame> {
  const facts = new SummaryFacts();
  let test: () => boolean = () => true;
  if (filter !== undefined) {
    try { test = compileFilter(filter, facts); } catch (e) {
      if (e instanceof FilterError) throw new UsageError(`bad filter: ${e.message}\n  ${filter}\n  ${' '.repeat(e.pos)}^`);
      throw e;
    }
  }
  for (const f of frames) {
    facts.set(f.summary, f.bytes, f.conn);
    if (test()) yield f;
  }
}

function fieldLines(nodes: FieldNode[], depth: number, out: LineWriter): void {
  for (const n of nodes) {
    const value = n.value !== undefined ? `: ${n.value}` : '';
    out.line(`${'    '.repeat(depth)}${n.name}${value}  [${n.offset}+${n.length}]${n.problem ? `  ⚠ ${n.problem}` : ''}`);
    if (n.children) fieldLines(n.children, depth + 1, out);
  }
}

function fieldsOf(f: SourceFrame): FieldNode[] {
  if (f.summary.kind === 'event') return [];
  return dissect(f.bytes, f.conn?.protocolVersion ?? 4);
}

export async function printTrace(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { filter: { type: 'string', short: 'f' } } });
  const path = positionals[0];
  const src = await source(await readInput(path, 'print'), path!);
  const out = new LineWriter();
  for (const f of selected(src.frames(), values.filter)) {
    out.line(formatFrame(f.summary, f.conn, f.summary.type === 'PUBLISH' ? f.bytes.subarray(f.bytes.length - (f.summary.payloadSize ?? 0)) : null));
  }
  out.flush();
  if (src.warning) console.error(`warning: ${src.warning}`);
}

export async function decodeTrace(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { filter: { type: 'string', short: 'f' }, json: { type: 'boolean', default: false } } });
  const path = positionals[0];
  const src = await source(await readInput(path, 'decode'), path!);
  const out = new LineWriter();
  for (const f of selected(src.frames(), values.filter)) {
    const s = f.summary;
    if (values.json) {
      const o: Record<string, unknown> = {
        frame: s.seq, time: isoUs(s.wallMs), conn: s.conn, clientId: f.conn?.clientId ?? null, side: s.side, dir: s.dir,
        kind: s.kind, type: s.type, length: s.length, fields: fieldsOf(f),
      };
      if (s.note !== undefined) o.note = s.note;
      out.line(JSON.stringify(o));
    } else {
      out.line(formatFrame(s, f.conn, null));
      fieldLines(fieldsOf(f), 1, out);
    }
  }
  out.flush();
  if (src.warning) console.error(`warning: ${src.warning}`);
}

/** `mqscope pcap FILE OUT`: a saved trace as pcap for Wireshark. */
export async function tracePcap(file: Buffer, out: string): Promise<number> {
  let loaded;
  try { loaded = await loadTraceFile(file); } catch (e) { if (e instanceof TraceFileError) throw new UsageError(e.message); throw e; }
  await writeFile(out, exportPcap(loaded.recorder));
  if (loaded.warning) console.error(`warning: ${loaded.warning}`);
  return loaded.store.stats().frames;
}
