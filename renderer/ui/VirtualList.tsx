// Fixed-row-height virtualized list: renders only the rows in view (plus a little overscan). Follows the
// tail while the user is at the bottom; arrow keys move the selection.
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

interface Props {
  count: number;
  rowHeight: number;
  /** Re-render trigger for content changes that keep the count. */
  version?: number;
  renderRow(index: number): ReactNode;
  selectedIndex?: number;
  onSelect?(index: number): void;
  /** Keep the last row in view while the user has not scrolled up. */
  follow?: boolean;
  testId?: string;
  header?: ReactNode;
  empty?: ReactNode;
  /** Told which rows are rendered (after scrolling settles into a new range). */
  onRange?(first: number, last: number): void;
  /** Change it to bring the selected row into view again (a "go to" of the row already selected). */
  reveal?: number;
}

const OVERSCAN = 8;

export function VirtualList({ count, rowHeight, version, renderRow, selectedIndex, onSelect, follow, testId, header, empty, onRange, reveal }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // Following the tail: only writes scrollTop. Reading clientHeight/scrollTop here would force a layout per
  // batch (the measured height and the last scroll position are known already).
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !follow || !atBottom.current) return;
    const target = Math.max(0, count * rowHeight - height);
    if (Math.abs(scrollTop - target) > 1) {
      el.scrollTop = target;
      setScrollTop(target);
    }
  }, [count, version, follow, rowHeight, height]);

  useEffect(() => {
    const el = ref.current;
    if (!el || selectedIndex === undefined || selectedIndex < 0) return;
    const top = selectedIndex * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
  }, [selectedIndex, rowHeight, reveal]);

  const onScroll = () => {
    const el = ref.current!;
    setScrollTop(el.scrollTop);
    atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight;
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!onSelect || count === 0) return;
    const cur = selectedIndex ?? -1;
    const page = Math.max(1, Math.floor(height / rowHeight) - 1);
    const next = e.key === 'ArrowDown' ? cur + 1 : e.key === 'ArrowUp' ? cur - 1
      : e.key === 'PageDown' ? cur + page : e.key === 'PageUp' ? cur - page
      : e.key === 'Home' ? 0 : e.key === 'End' ? count - 1 : null;
    if (next === null) return;
    e.preventDefault();
    onSelect(Math.max(0, Math.min(count - 1, next)));
  };

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const rangeCb = useRef(onRange);
  rangeCb.current = onRange;
  useEffect(() => { rangeCb.current?.(first, last); }, [first, last]);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        key={i}
        className={'vrow' + (i === selectedIndex ? ' selected' : '') + (i % 2 ? ' odd' : '')}
        style={{ top: i * rowHeight, height: rowHeight }}
        data-index={i}
        onMouseDown={onSelect ? () => onSelect(i) : undefined}
      >
        {renderRow(i)}
      </div>,
    );
  }

  return (
    <div className="vlist-wrap">
      {header}
      <div className="vlist" ref={ref} onScroll={onScroll} tabIndex={0} onKeyDown={onKeyDown} data-testid={testId}
        data-count={count} role="listbox">
        {count === 0 && empty ? <div className="vlist-empty">{empty}</div> : null}
        <div className="vlist-inner" style={{ height: count * rowHeight }}>{rows}</div>
      </div>
    </div>
  );
}
