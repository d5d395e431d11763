// Labelled form controls with an inline error in plain words. Numbers are edited as text so a bad entry
// (e.g. "99999") stays visible with its message instead of being silently clamped.
import { useEffect, useState, type ReactNode } from 'react';

interface Base { label: string; error?: string; hint?: ReactNode; testId: string }

export function Row({ label, error, hint, testId, children }: Base & { children: ReactNode }) {
  return (
    <label className={'frow' + (error ? ' has-error' : '')}>
      <span className="flabel">{label}</span>
      <span className="fcontrol">
        {children}
        {hint ? <span className="fhint">{hint}</span> : null}
        {error ? <span className="ferror" data-testid={`${testId}-error`}>{error}</span> : null}
      </span>
    </label>
  );
}

export function TextField(p: Base & { value: string; onChange(v: string): void; placeholder?: string; type?: string; list?: string; mono?: boolean }) {
  return (
    <Row {...p}>
      <input type={p.type ?? 'text'} value={p.value} placeholder={p.placeholder} list={p.list} data-testid={p.testId}
        className={p.mono ? 'mono' : undefined} spellCheck={false} onChange={(e) => p.onChange(e.target.value)} />
    </Row>
  );
}

/** Number as text. Reports NaN when empty/invalid (optional fields: undefined when empty). */
export function NumberField(p: Base & { value: number | undefined; onChange(v: number | undefined): void; optional?: boolean; placeholder?: string }) {
  const [text, setText] = useState(p.value === undefined || Number.isNaN(p.value) ? '' : String(p.value));
  useEffect(() => {
    const parsed = text.trim() === '' ? undefined : Number(text);
    if (parsed !== p.value && !(Number.isNaN(parsed) && Number.isNaN(p.value))) {
      setText(p.value === undefined || Number.isNaN(p.value) ? '' : String(p.value));
    }
  }, [p.value]);
  return (
    <Row {...p}>
      <input type="text" inputMode="numeric" value={text} placeholder={p.placeholder} data-testid={p.testId}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          p.onChange(t.trim() === '' ? (p.optional ? undefined : NaN) : Number(t));
        }} />
    </Row>
  );
}

export function CheckField(p: Base & { checked: boolean; onChange(v: boolean): void }) {
  return (
    <label className={'frow fcheck' + (p.error ? ' has-error' : '')}>
      <span className="flabel" />
      <span className="fcontrol">
        <span className="checkline">
          <input type="checkbox" checked={p.checked} data-testid={p.testId} onChange={(e) => p.onChange(e.target.checked)} />
          {p.label}
        </span>
        {p.hint ? <span className="fhint">{p.hint}</span> : null}
        {p.error ? <span className="ferror" data-testid={`${p.testId}-error`}>{p.error}</span> : null}
      </span>
    </label>
  );
}

export function SelectField<T extends string | number>(p: Base & { value: T; options: { value: T; label: string }[]; onChange(v: T): void }) {
  return (
    <Row {...p}>
      <select value={String(p.value)} data-testid={p.testId}
        onChange={(e) => {
          const opt = p.options.find((o) => String(o.value) === e.target.value);
          if (opt) p.onChange(opt.value);
        }}>
        {p.options.map((o) => <option key={String(o.value)} value={String(o.value)}>{o.label}</option>)}
      </select>
    </Row>
  );
}

export function Section({ title, children, testId, defaultOpen = true }: { title: string; children: ReactNode; testId: string; defaultOpen?: boolean }) {
  return (
    <details className="fsection" open={defaultOpen} data-testid={testId}>
      <summary>{title}</summary>
      <div className="fsection-body">{children}</div>
    </details>
  );
}
