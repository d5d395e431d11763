// The display filter bar: one input, Enter applies, the error points at the character, completion of
// fields and values (Tab takes the first), history with ↑/↓ (kept across runs via docSet).
import { useEffect, useMemo, useRef, useState } from 'react';
import { compileFilter, FilterError, type FrameFacts } from '../../../shared/filter';
import { core } from '../../app/core';
import { useApp } from '../../app/store';
import { complete, type Completion } from './filter-complete';

const HISTORY_KEY = 'traceFilterHistory';
const HISTORY_MAX = 50;

/** Parse and check a filter without running it: null when fine. */
export function checkFilter(text: string): FilterError | null {
  if (!text.trim()) return null;
  try { compileFilter(text, {} as FrameFacts); return null; } catch (e) { return e instanceof FilterError ? e : new FilterError(String(e), 0); }
}

export function FilterBar({ seen, busy }: { seen: { clients: string[]; topics: string[] }; busy: boolean }) {
  const draft = useApp((s) => s.filterDraft);
  const applied = useApp((s) => s.filterApplied);
  const { setFilterDraft, applyFilter } = useApp.getState();
  const input = useRef<HTMLInputElement>(null);
  const [history, setHistory] = useState<string[]>([]);
  const [at, setAt] = useState(-1);
  const [cursor, setCursor] = useState(0);
  const [focused, setFocused] = useState(false);
  const error = useMemo(() => checkFilter(draft), [draft]);
  const shownError = error;
  const suggestions: Completion | null = focused ? complete(draft, cursor, seen) : null;

  useEffect(() => {
    core().docGet({ key: HISTORY_KEY }).then(({ value }) => { if (Array.isArray(value)) setHistory(value.filter((v): v is string => typeof v === 'string')); }, () => {});
  }, []);

  const apply = (text: string) => {
    if (checkFilter(text)) return; // the error is already on screen
    applyFilter(text);
    const t = text.trim();
    if (!t) return;
    const next = [t, ...history.filter((h) => h !== t)].slice(0, HISTORY_MAX);
    setHistory(next);
    setAt(-1);
    void core().docSet({ key: HISTORY_KEY, value: next }).catch(() => {});
  };

  const take = (c: Completion, i: number) => {
    const text = draft.slice(0, c.from) + c.items[i].insert + draft.slice(c.to);
    setFilterDraft(text);
    const pos = c.from + c.items[i].insert.length;
    setCursor(pos);
    requestAnimationFrame(() => { input.current?.setSelectionRange(pos, pos); input.current?.focus(); });
  };

  const onKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') { e.preventDefault(); apply(draft); }
    else if (e.key === 'Tab' && suggestions) { e.preventDefault(); take(suggestions, 0); }
    else if (e.key === 'Escape') setFocused(false);
    else if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && history.length) {
      e.preventDefault();
      const next = e.key === 'ArrowUp' ? Math.min(at + 1, history.length - 1) : Math.max(at - 1, -1);
      setAt(next);
      setFilterDraft(next < 0 ? '' : history[next]);
    }
  };

  const dirty = draft.trim() !== applied;
  return (
    <div className="filter-bar" data-testid="filter-bar">
      <div className="filter-input-wrap">
        <input ref={input} className={`mono grow${shownError ? ' invalid' : dirty ? ' dirty' : applied ? ' applied' : ''}`} value={draft} spellCheck={false}
          placeholder='Display filter, e.g. type == PUBLISH && qos == 2 — Enter applies' data-testid="trace-filter"
          aria-invalid={!!shownError} onChange={(e) => { setFilterDraft(e.target.value); setCursor(e.target.selectionStart ?? e.target.value.length); }}
          onSelect={(e) => setCursor(e.currentTarget.selectionStart ?? 0)} onKeyDown={onKey}
          onFocus={() => setFocused(true)} onBlur={() => setTimeout(() => setFocused(false), 150)} />
        {suggestions ? (
          <ul className="filter-suggestions" data-testid="filter-suggestions">
            {suggestions.items.map((s, i) => <li key={s.label} onMouseDown={(e) => { e.preventDefault(); take(suggestions, i); }} data-testid="filter-suggestion">{s.label}</li>)}
          </ul>
        ) : null}
        {shownError ? (
          <div className="filter-error" data-testid="filter-error" data-pos={shownError.pos}>
            <span className="mono filter-caret" aria-hidden>{`${' '.repeat(Math.min(shownError.pos, draft.length))}^`}</span>
            <span className="ferror">{shownError.message}</span>
          </div>
        ) : null}
      </div>
      <button className="small" onClick={() => apply(draft)} disabled={!!shownError} data-testid="trace-filter-apply">{busy ? 'Filtering…' : 'Apply'}</button>
      {applied ? <button className="small" onClick={() => apply('')} data-testid="trace-filter-clear" title="Show every frame">✕</button> : null}
    </div>
  );
}
