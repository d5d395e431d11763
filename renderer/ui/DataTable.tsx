// A plain dense table for small live sets (broker clients, subscriptions, retained, offline sessions).
import type { ReactNode } from 'react';

export interface Column<T> { key: string; title: string; render(row: T): ReactNode; className?: string; width?: number }

interface Props<T> {
  rows: T[];
  columns: Column<T>[];
  rowKey(row: T): string;
  testId: string;
  empty: string;
  selectedKey?: string | null;
  onSelect?(row: T): void;
}

export function DataTable<T>({ rows, columns, rowKey, testId, empty, selectedKey, onSelect }: Props<T>) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid={testId} data-count={rows.length}>
        <thead>
          <tr>{columns.map((c) => <th key={c.key} style={c.width ? { width: c.width } : undefined}>{c.title}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const k = rowKey(r);
            return (
              <tr key={k} data-testid={`${testId}-row`} data-key={k} className={k === selectedKey ? 'selected' : undefined} onClick={onSelect ? () => onSelect(r) : undefined}>
                {columns.map((c) => <td key={c.key} className={c.className}>{c.render(r)}</td>)}
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 ? <div className="muted pad" data-testid={`${testId}-empty`}>{empty}</div> : null}
    </div>
  );
}
