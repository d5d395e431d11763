// Message export formats: CSV (RFC 4180, comma, LF), Excel-friendly CSV (UTF-8 BOM so Excel reads UTF-8,
// ';' because Excel in comma-decimal locales splits on it, CRLF) and JSON Lines (one object per message).
export type ExportFormat = 'csv' | 'excel' | 'jsonl';

export interface ExportRow {
  seq: number;
  /** ISO 8601 with microseconds. */
  time: string;
  topic: string;
  qos: number;
  retain: boolean;
  dup: boolean;
  size: number;
  codec: string;
  payload: string;
  error?: string;
}

const COLUMNS: (keyof ExportRow)[] = ['seq', 'time', 'topic', 'qos', 'retain', 'dup', 'size', 'codec', 'payload', 'error'];

function cell(v: unknown, sep: string): string {
  const s = v === undefined ? '' : String(v);
  // Quote when needed; a leading = + - @ would run as a formula in a spreadsheet, so it is quoted with a '.
  const guarded = /^[=+\-@\t\r]/.test(s) && sep === ';' ? `'${s}` : s;
  return /["\r\n]/.test(guarded) || guarded.includes(sep) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function header(format: ExportFormat): string {
  if (format === 'jsonl') return '';
  const sep = format === 'excel' ? ';' : ',';
  return (format === 'excel' ? '\ufeff' : '') + COLUMNS.join(sep) + (format === 'excel' ? '\r\n' : '\n');
}

export function formatRow(format: ExportFormat, r: ExportRow): string {
  if (format === 'jsonl') return JSON.stringify(r) + '\n';
  const sep = format === 'excel' ? ';' : ',';
  return COLUMNS.map((c) => cell(r[c], sep)).join(sep) + (format === 'excel' ? '\r\n' : '\n');
}

/** "2026-12-01T16:24:01.525154Z" from a wall-clock ms value carrying µs in its fraction. */
export function isoMicros(wallMs: number): string {
  const ms = Math.floor(wallMs);
  const us = Math.floor((wallMs - ms) * 1000);
  return new Date(ms).toISOString().replace('Z', `${String(us).padStart(3, '0')}Z`);
}

export const EXTENSION: Record<ExportFormat, string> = { csv: 'csv', excel: 'csv', jsonl: 'jsonl' };
export const MIME: Record<ExportFormat, string> = { csv: 'text/csv', excel: 'text/csv', jsonl: 'application/x-ndjson' };
