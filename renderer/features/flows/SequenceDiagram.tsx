// Draws a DiagramLayout as SVG: lanes, one arrow per packet with its time and delta, marks in words.
// Ctrl+wheel (or a pinch) zooms around the pointer, the wheel and drag pan, buttons and keys (+ − 0,
// arrows) do the same; every arrow is a button (click, Enter or Space) that opens its frame, and is
// panned into view when it gets the keyboard focus.
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { formatUs, GEOM, type Arrow, type DiagramLayout } from './diagram-layout';

interface Props {
  layout: DiagramLayout;
  selectedSeq?: number | null;
  onOpenFrame(seq: number): void;
  /** Zoom and pan go back to "fit" when this changes (a new flow or journey), not on live updates. */
  resetKey?: string;
  testId?: string;
}

interface View { k: number; tx: number; ty: number }
const MIN_K = 0.25;
const MAX_K = 4;
const clampK = (k: number) => Math.min(MAX_K, Math.max(MIN_K, k));

const TAP_R = 4.5;

/** The head ends at the lane, or at the edge of the client-tap dot when that sits on the receiving end. */
function arrowHead(a: Arrow): string {
  const s = a.x2 > a.x1 ? -1 : 1;
  const tip = a.x2 + (a.tapSeq !== undefined && a.dir === 's2c' ? s * (TAP_R + 1) : 0);
  return `${tip},${a.y} ${tip + s * 9},${a.y - 4.5} ${tip + s * 9},${a.y + 4.5}`;
}

/** Where an arrow's label sits: over the span next to the broker, so long arrows never write over other lanes' labels. */
function labelX(a: Arrow, layout: DiagramLayout): number {
  const broker = layout.lanes.find((l) => l.role === 'broker');
  if (!broker) return (a.x1 + a.x2) / 2;
  const other = a.x1 === broker.x ? a.x2 : a.x1;
  return other > broker.x ? broker.x + GEOM.laneGap / 2 : broker.x - GEOM.laneGap / 2;
}

function tone(a: Arrow): string {
  if (a.marks.includes('refused') || a.marks.includes('broken')) return 'danger';
  if (a.marks.includes('dup') || a.marks.includes('resend')) return 'warn';
  return a.dir;
}

export function SequenceDiagram({ layout, selectedSeq, onOpenFrame, resetKey, testId = 'seq-diagram' }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<View>({ k: 1, tx: 0, ty: 0 });
  const drag = useRef<{ x: number; y: number; tx: number; ty: number } | null>(null);

  // Fit the width; fit the height too when that costs little, so a journey is seen whole at a readable size.
  const fit = () => {
    const el = box.current;
    if (!el) { setView({ k: 1, tx: 8, ty: 0 }); return; }
    const kw = Math.min(1, (el.clientWidth - 16) / layout.width);
    const kh = el.clientHeight / layout.height;
    setView({ k: clampK(kh >= 0.8 ? Math.min(kw, kh) : kw), tx: 8, ty: 0 });
  };
  useEffect(fit, [resetKey]);

  const zoomAt = (factor: number, cx?: number, cy?: number) => setView((v) => {
    const el = box.current;
    const px = cx ?? (el ? el.clientWidth / 2 : 0);
    const py = cy ?? (el ? el.clientHeight / 2 : 0);
    const k = clampK(v.k * factor);
    return { k, tx: px - ((px - v.tx) * k) / v.k, ty: py - ((py - v.ty) * k) / v.k };
  });

  // React's onWheel is passive; the wheel must not scroll the page, so listen natively.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      if (e.ctrlKey || e.metaKey) {
        const r = el.getBoundingClientRect();
        zoomAt(Math.exp(-e.deltaY * 0.004), e.clientX - r.left, e.clientY - r.top);
      } else {
        const dx = e.shiftKey ? e.deltaY : e.deltaX;
        const dy = e.shiftKey ? 0 : e.deltaY;
        setView((v) => ({ ...v, tx: v.tx - dx, ty: v.ty - dy }));
      }
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0 || (e.target as Element).closest('[data-arrow]')) return;
    drag.current = { x: e.clientX, y: e.clientY, tx: view.tx, ty: view.ty };
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (d) setView((v) => ({ ...v, tx: d.tx + e.clientX - d.x, ty: d.ty + e.clientY - d.y }));
  };
  const onPointerUp = () => { drag.current = null; };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    const step = 60;
    const pan: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (e.key === '+' || e.key === '=') zoomAt(1.25);
    else if (e.key === '-') zoomAt(0.8);
    else if (e.key === '0') fit();
    else if (pan[e.key]) setView((v) => ({ ...v, tx: v.tx + pan[e.key][0], ty: v.ty + pan[e.key][1] }));
    else return;
    e.preventDefault();
  };

  /** Keyboard focus on an arrow that is out of view pans it into view. */
  const reveal = (a: Arrow) => setView((v) => {
    const el = box.current;
    if (!el) return v;
    const y = a.y * v.k + v.ty;
    const x1 = Math.min(a.x1, a.x2) * v.k + v.tx;
    const x2 = Math.max(a.x1, a.x2) * v.k + v.tx;
    const margin = GEOM.rowH * v.k;
    let { tx, ty } = v;
    if (y < margin) ty += margin - y;
    else if (y > el.clientHeight - margin) ty -= y - (el.clientHeight - margin);
    if (x2 > el.clientWidth) tx -= Math.min(x2 - el.clientWidth + 20, x1 - 20);
    else if (x1 < 0) tx -= x1 - 20;
    return tx === v.tx && ty === v.ty ? v : { ...v, tx, ty };
  });

  const openKey = (seq: number) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onOpenFrame(seq); }
  };

  const bottom = layout.height - GEOM.padBottom / 2;
  return (
    <div className="seq-wrap" data-testid={testId}>
      <div className="seq-tools">
        <button className="small" onClick={() => zoomAt(0.8)} data-testid="seq-zoom-out" title="Zoom out (−)" aria-label="Zoom out">−</button>
        <span className="seq-zoom mono" data-testid="seq-zoom">{Math.round(view.k * 100)}%</span>
        <button className="small" onClick={() => zoomAt(1.25)} data-testid="seq-zoom-in" title="Zoom in (+)" aria-label="Zoom in">+</button>
        <button className="small" onClick={fit} data-testid="seq-reset" title="Fit to width (0)">Reset</button>
        <span className="seq-legend small" aria-hidden>
          <span><i className="sw c2s" />client → broker</span><span><i className="sw s2c" />broker → client</span>
          <span><i className="sw warn dashed" />DUP / resent</span><span><i className="sw danger" />refused / broken</span>
          {layout.arrows.some((a) => a.tapSeq !== undefined) ? <span><i className="tapdot" />client tap's copy</span> : null}
        </span>
        <span className="muted small seq-hint">wheel or drag pans · Ctrl+wheel zooms · click an arrow to open its frame in the Trace</span>
      </div>
      <div className="seq-canvas" ref={box} tabIndex={0} onKeyDown={onKeyDown} onPointerDown={onPointerDown} onPointerMove={onPointerMove}
        onPointerUp={onPointerUp} onPointerCancel={onPointerUp} aria-label="Sequence diagram: arrow keys pan, + and − zoom, 0 resets, Tab moves through the packets">
        <svg className="seq-svg" width="100%" height="100%" data-testid="seq-svg" data-arrows={layout.arrows.length}>
          <g transform={`translate(${view.tx} ${view.ty}) scale(${view.k})`} data-testid="seq-content">
            {layout.lanes.map((l) => (
              <g key={l.key} className={`seq-lane role-${l.role}`} data-testid="seq-lane" data-role={l.role} data-title={l.title}>
                <line x1={l.x} x2={l.x} y1={GEOM.headerH - 4} y2={bottom} className="seq-lifeline" />
                <rect x={l.x - GEOM.laneGap / 2 + 12} y={4} width={GEOM.laneGap - 24} height={GEOM.headerH - 12} rx={5} className="seq-lane-box" />
                <text x={l.x} y={21} className="seq-lane-title" textAnchor="middle">{l.title}</text>
                <text x={l.x} y={36} className="seq-lane-sub" textAnchor="middle">{l.subtitle}</text>
                <text x={l.x} y={49} className="seq-lane-sub mono" textAnchor="middle">{l.detail}</text>
                {l.tap ? <text x={l.x} y={62} className="seq-lane-tap" textAnchor="middle">○ {l.tap}</text> : null}
              </g>
            ))}
            <text x={8} y={GEOM.headerH - 22} className="seq-time-head">time</text>
            <text x={8} y={GEOM.headerH - 9} className="seq-time-head">Δ previous</text>
            {layout.gaps.map((g) => (
              <g key={g.key} className="seq-gap" data-testid="seq-gap">
                <line x1={8} x2={layout.width - GEOM.padRight} y1={g.y} y2={g.y} />
                <text x={GEOM.timeCol + 4} y={g.y + 3.5}>⋯ {g.text}</text>
              </g>
            ))}
            {layout.arrows.map((a, i) => {
              const lx = labelX(a, layout);
              const selected = selectedSeq === a.seq || (a.tapSeq !== undefined && selectedSeq === a.tapSeq);
              const tapX = a.dir === 'c2s' ? a.x1 : a.x2;
              return (
                <g key={a.key} className={`seq-arrow tone-${tone(a)}${selected ? ' selected' : ''}${a.marks.length ? ' marked' : ''}`}
                  data-testid="seq-arrow" data-arrow data-seq={a.seq} data-tap-seq={a.tapSeq} data-type={a.type} data-dir={a.dir}
                  data-from={layout.lanes[a.fromLane].title} data-to={layout.lanes[a.toLane].title} data-marks={a.marks.join(' ')} data-index={i}
                  role="button" tabIndex={0} aria-label={`${a.label} from ${layout.lanes[a.fromLane].title} to ${layout.lanes[a.toLane].title}, ${formatUs(a.relUs)}${a.markText ? `, ${a.markText}` : ''}: open frame #${a.seq}`}
                  onClick={() => onOpenFrame(a.seq)} onKeyDown={openKey(a.seq)} onFocus={() => reveal(a)}>
                  <title>{`#${a.seq}${a.tapSeq !== undefined ? ` (client tap #${a.tapSeq})` : ''} ${a.label}${a.markText ? ` — ${a.markText}` : ''}`}</title>
                  <text x={8} y={a.y - 3} className="seq-time mono">+{formatUs(a.relUs)}</text>
                  {i > 0 ? <text x={8} y={a.y + 10} className="seq-delta mono">Δ {formatUs(a.deltaUs)}</text> : null}
                  <line x1={a.x1} x2={a.x2} y1={a.y} y2={a.y} className="seq-hit" />
                  <line x1={a.x1} x2={a.x2} y1={a.y} y2={a.y} className={`seq-line${a.marks.some((m) => m !== 'refused' && m !== 'note') ? ' dashed' : ''}`} />
                  <polygon points={arrowHead(a)} className="seq-head" />
                  <text x={lx} y={a.y - 6} className="seq-label" textAnchor="middle">{a.label}<tspan className="seq-seq"> #{a.seq}</tspan></text>
                  {a.markText ? <text x={lx} y={a.y + 14} className="seq-mark" textAnchor="middle" data-testid="seq-mark">{markPrefix(a)}{a.markText}</text> : null}
                  {a.tapSeq !== undefined ? (
                    <circle cx={tapX} cy={a.y} r={TAP_R} className="seq-tap" data-testid="seq-tap" data-seq={a.tapSeq}
                      onClick={(e) => { e.stopPropagation(); onOpenFrame(a.tapSeq!); }}>
                      <title>{`Open the client tap's copy, frame #${a.tapSeq}`}</title>
                    </circle>
                  ) : null}
                </g>
              );
            })}
            {layout.notes.map((n) => (
              <text key={n.key} x={n.x} y={n.y} className={`seq-note tone-${n.tone}`} textAnchor="middle" data-testid="seq-note">
                {n.tone === 'muted' ? '… ' : '⚠ '}{n.text}
              </text>
            ))}
          </g>
        </svg>
      </div>
    </div>
  );
}

function markPrefix(a: Arrow): string {
  if (a.marks.includes('refused')) return '✕ ';
  if (a.marks.includes('broken')) return '⚠ ';
  if (a.marks.includes('dup') || a.marks.includes('resend')) return '↻ ';
  return 'ℹ ';
}
