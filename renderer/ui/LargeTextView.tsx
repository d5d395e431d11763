// A read-only text of any size as virtualized rows (row starts computed elsewhere, e.g. in a worker):
// only the rows in view become DOM, so megabytes never freeze the page. One search match can be marked.
import { VirtualList } from './VirtualList';

interface Props {
  text: string;
  /** Start offset of each row in `text` (ascending, first 0). */
  rows: Uint32Array;
  /** The match to show: its row is scrolled into view and the characters are marked. */
  mark?: { offset: number; length: number; row: number } | null;
  testId?: string;
}

export function LargeTextView({ text, rows, mark, testId }: Props) {
  const rowText = (r: number) => {
    const end = r + 1 < rows.length ? rows[r + 1] : text.length;
    const s = text.slice(rows[r], end);
    return s.endsWith('\n') ? s.slice(0, -1) : s;
  };
  const renderRow = (r: number) => {
    const s = rowText(r);
    if (!mark || r !== mark.row) return <span className="ltv-row mono">{s}</span>;
    const a = mark.offset - rows[r];
    const b = Math.min(s.length, a + mark.length);
    return <span className="ltv-row mono">{s.slice(0, a)}<mark data-testid={testId ? `${testId}-mark` : undefined}>{s.slice(a, b)}</mark>{s.slice(b)}</span>;
  };
  return (
    <div className="large-text" data-testid={testId} data-rows={rows.length} data-chars={text.length}>
      <VirtualList count={rows.length} rowHeight={18} renderRow={renderRow} selectedIndex={mark ? mark.row : undefined}
        version={mark ? mark.offset : -1} empty={<span className="muted">Empty</span>} />
    </div>
  );
}
