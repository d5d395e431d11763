// Numeric fields of a decoded payload, for charts: paths like "temp", "sensors[2].value", or "" for a
// payload that is itself a number ("21.5" as text). Numeric strings count (protobuf int64 arrives as one).

function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '' || t.length > 40) return null;
    const n = Number(t);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

const STEP = /([^.[\]]+)|\[(\d+)\]/g;

export function valueAt(value: unknown, path: string): unknown {
  let cur = value;
  for (const m of path.matchAll(STEP)) {
    if (cur === null || cur === undefined) return undefined;
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    else if (cur instanceof Map) cur = cur.get(m[1]);
    else if (typeof cur === 'object') cur = (cur as Record<string, unknown>)[m[1]];
    else return undefined;
  }
  return cur;
}

/** The number at `path`, or null when there is none there. */
export function numberAt(value: unknown, path: string): number | null {
  return asNumber(path ? valueAt(value, path) : value);
}

/** Every path to a numeric leaf (first `limit`), for the field picker. */
export function numericPaths(value: unknown, limit = 200): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (out.length >= limit || depth > 12) return;
    if (asNumber(v) !== null && (typeof v !== 'string' || path === '' || /^-?\d/.test(v.trim()))) { out.push(path); return; }
    if (Array.isArray(v)) v.slice(0, 50).forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
    else if (v instanceof Map) for (const [k, x] of v) walk(x, path ? `${path}.${String(k)}` : String(k), depth + 1);
    else if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k, depth + 1);
    }
  };
  walk(value, '', 0);
  return out;
}
