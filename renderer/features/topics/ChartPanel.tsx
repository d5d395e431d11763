// Numeric fields over time, several series at once, live: uPlot on a canvas. Each series polls core for
// the points after the last one it has (core decodes the payloads with the topic's codec).
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { core } from '../../app/core';
import { useResolvedTheme } from '../../app/theme';
import { useTopics, type ChartSeries } from './topics-store';

const POLL_MS = 500;
const MAX_POINTS = 10_000;

interface SeriesData { lastSeq: number; xs: number[]; ys: number[] }

export function ChartPanel({ pending, onPendingDone }: { pending: string | null; onPendingDone(): void }) {
  const series = useTopics((s) => s.series);
  const { addSeries, removeSeries } = useTopics.getState();
  const [fields, setFields] = useState<string[] | null>(null);
  const [field, setField] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setFields(null);
    setError(null);
    if (!pending) return;
    core().topicSeries({ topic: pending, field: '', limit: 1 }).then((r) => {
      setFields(r.fields);
      setField(r.fields[0] ?? '');
    }, (e: Error) => setError(e.message));
  }, [pending]);

  return (
    <div className="panel chart-panel" data-testid="chart-panel">
      {pending ? (
        <div className="toolbar" data-testid="chart-add">
          <span className="mono grow ellipsis" title={pending}>{pending}</span>
          {fields === null ? <span className="muted">reading…</span> : fields.length === 0 ? (
            <span className="muted">no numeric field in its newest message</span>
          ) : (
            <select value={field} onChange={(e) => setField(e.target.value)} data-testid="chart-field">
              {fields.map((f) => <option key={f} value={f}>{f === '' ? '(the payload as a number)' : f}</option>)}
            </select>
          )}
          <button className="primary small" disabled={!fields?.length} onClick={() => { addSeries(pending, field); onPendingDone(); }} data-testid="chart-add-series">Add</button>
          <button className="small" onClick={onPendingDone}>Cancel</button>
        </div>
      ) : null}
      {error ? <div className="notice error">{error}</div> : null}
      {series.length ? (
        <>
          <div className="chart-legend">
            {series.map((s, i) => (
              <span key={`${s.topic}|${s.field}`} className="chip" data-testid="chart-series">
                <span className="dot" style={{ background: s.colour }} />
                <span className="mono">{s.topic}{s.field ? ` · ${s.field}` : ''}</span>
                <button className="icon" onClick={() => removeSeries(i)} title="Remove this series" aria-label="Remove series">×</button>
              </span>
            ))}
          </div>
          <LiveChart series={series} />
        </>
      ) : !pending ? <div className="empty-state small muted" style={{ padding: 16 }}>Pick 📈 on a topic in the tree to plot one of its numeric fields over time.</div> : null}
    </div>
  );
}

function LiveChart({ series }: { series: ChartSeries[] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useRef(new Map<string, SeriesData>());
  const [points, setPoints] = useState(0);
  const theme = useResolvedTheme();
  const key = series.map((s) => `${s.topic}|${s.field}`).join('\n');

  useLayoutEffect(() => {
    const el = box.current!;
    // From the theme itself: the CSS variables may not have switched yet when this effect runs.
    const text = theme === 'dark' ? '#8b929c' : '#6a737d';
    const grid = theme === 'dark' ? '#363a42' : '#d8dce3';
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const opts: uPlot.Options = {
      width: el.clientWidth, height: Math.max(160, el.clientHeight - 8),
      scales: { x: { time: true } },
      axes: [axis, axis],
      legend: { show: false },
      series: [{}, ...series.map((s) => ({ label: `${s.topic} ${s.field}`, stroke: s.colour, width: 1.5, spanGaps: true, points: { show: true, size: 4 } }))],
    };
    const u = new uPlot(opts, toAligned(series, data.current), el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: Math.max(160, el.clientHeight - 8) }));
    ro.observe(el);
    return () => { ro.disconnect(); u.destroy(); plot.current = null; };
  }, [key, theme]);

  useEffect(() => {
    let stop = false;
    const tick = async () => {
      for (const s of series) {
        const k = `${s.topic}|${s.field}`;
        let d = data.current.get(k);
        if (!d) data.current.set(k, (d = { lastSeq: -1, xs: [], ys: [] }));
        const r = await core().topicSeries({ topic: s.topic, field: s.field, afterSeq: d.lastSeq }).catch(() => null);
        if (!r || stop) return;
        d.lastSeq = r.lastSeq;
        for (const [x, y] of r.points) { d.xs.push(x / 1000); d.ys.push(y); }
        if (d.xs.length > MAX_POINTS) { d.xs.splice(0, d.xs.length - MAX_POINTS); d.ys.splice(0, d.ys.length - MAX_POINTS); }
      }
      if (stop) return;
      const aligned = toAligned(series, data.current);
      plot.current?.setData(aligned);
      setPoints(series.reduce((n, s) => n + (data.current.get(`${s.topic}|${s.field}`)?.xs.length ?? 0), 0));
    };
    void tick();
    const t = setInterval(() => { if (!document.hidden) void tick(); }, POLL_MS);
    return () => { stop = true; clearInterval(t); };
  }, [key]);

  return <div className="chart-box" ref={box} data-testid="chart" data-points={points} />;
}

/** uPlot wants one shared x array: the union of all series' times, nulls where a series has no point. */
function toAligned(series: ChartSeries[], data: Map<string, SeriesData>): uPlot.AlignedData {
  const all = series.map((s) => data.get(`${s.topic}|${s.field}`) ?? { lastSeq: -1, xs: [], ys: [] });
  const xs = [...new Set(all.flatMap((d) => d.xs))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = all.map((d) => {
    const col: (number | null)[] = new Array(xs.length).fill(null);
    d.xs.forEach((x, i) => { col[index.get(x)!] = d.ys[i]; });
    return col;
  });
  return [xs, ...ys] as uPlot.AlignedData;
}
