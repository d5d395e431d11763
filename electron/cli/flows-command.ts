// `mqscope flows FILE.mqtrace [--json] [--stalled-ms N]`: the QoS flows and message journeys of a saved
// trace, as a table or as one JSON object (schema in README.md, "mqscope flows --json").
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { toFlow } from '../../shared/flows/flow-record';
import { allJourneys } from '../../shared/flows/queries';
import type { Flow, Journey } from '../../shared/flows/types';
import { FlowIndex } from '../core/flows/flow-index';
import { loadTraceFile } from '../core/trace/trace-load';

export const FLOWS_USAGE = `usage: mqscope flows FILE.mqtrace [--json] [--stalled-ms N]
  --json              print one JSON object { "flows": [...], "journeys": [...] }
  --stalled-ms N      an exchange with no answer for N ms is stalled (default 5000; "now" is the last frame)`;

export interface FlowsReport { flows: Flow[]; journeys: Journey[] }

/** Flows (all steps, oldest first) and journeys of a trace file's bytes. */
export async function flowsOfTrace(file: Buffer, stalledMs?: number): Promise<FlowsReport & { warning?: string }> {
  const { recorder, warning } = await loadTraceFile(file);
  const index = new FlowIndex(recorder);
  try {
    if (stalledMs !== undefined) index.setStalledMs(stalledMs);
    index.update(false, Infinity);
    const e = index.engine;
    return { flows: [...e.flows.values()].map((r) => toFlow(r)), journeys: allJourneys(e), ...(warning ? { warning } : {}) };
  } finally {
    index.dispose();
    recorder.dispose();
  }
}

function duration(us: number): string {
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (i === r.length - 1 ? 0 : r[i].length))));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
}

export function formatFlows(report: FlowsReport): string[] {
  const rows = [['FLOW', 'CONN', 'CLIENT', 'KIND', 'ID', 'STATE', 'STEPS', 'TIME', 'TOPIC / PROBLEM']];
  for (const f of report.flows) {
    const steps = f.steps.map((s) => `${s.type}${s.dup ? '(dup)' : ''}`).join('→');
    const state = f.state + (f.retransmitted && f.state !== 'retransmitted' ? ' (retransmitted)' : '');
    const what = [f.topic !== undefined ? `'${f.topic}'` : '', f.problem ?? ''].filter(Boolean).join('  ');
    rows.push([String(f.id), `${f.side === 'broker' ? 'B' : 'C'}${f.conn}`, f.clientId ?? '-', f.kind, f.packetId ? String(f.packetId) : '-', state, steps, duration(f.durationUs), what]);
  }
  const out = table(rows);
  out.push('', `${report.journeys.length} journey${report.journeys.length === 1 ? '' : 's'}`);
  for (const j of report.journeys) {
    const from = j.publisher ? `${j.publisher.clientId ?? `conn ${j.publisher.conn}`}${j.inboundFlow ? ` (flow ${j.inboundFlow})` : ' (will)'}` : 'publish not in the trace';
    const to = j.deliveries.length === 0 ? 'delivered to nobody'
      : j.deliveries.map((d) => `${d.clientId ?? `conn ${d.conn}`} q${d.qos} ${d.state}${d.cause === 'publish' ? '' : ` [${d.cause}]`} (flow ${d.flow})`).join(', ');
    out.push(`  #${j.id} '${j.topic}' q${j.qos}${j.retain ? ' retained' : ''} ${j.payloadSize} B  ${from} → ${to}`);
  }
  return out;
}

export async function runFlows(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, 'stalled-ms': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) { console.log(FLOWS_USAGE); return; }
  const file = positionals[0];
  if (!file) throw new Error(`needs a trace FILE\n${FLOWS_USAGE}`);
  if (positionals.length > 1) throw new Error(`unexpected argument "${positionals[1]}"`);
  let stalledMs: number | undefined;
  if (values['stalled-ms'] !== undefined) {
    stalledMs = Number(values['stalled-ms']);
    if (!Number.isInteger(stalledMs) || stalledMs < 1) throw new Error(`--stalled-ms must be a whole number of milliseconds ≥ 1, got "${values['stalled-ms']}"`);
  }
  const bytes = await readFile(file).catch((e) => { throw new Error(`cannot read ${file}: ${e.code ?? e.message}`); });
  const { warning, ...report } = await flowsOfTrace(bytes, stalledMs);
  // `mqscope flows x | head` closes the pipe early: stop writing, quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
  const text = values.json ? JSON.stringify(report) + '\n' : formatFlows(report).join('\n') + '\n';
  await new Promise<void>((resolve) => { process.stdout.write(text, () => resolve()); });
  if (warning) console.error(`warning: ${warning}`);
}
