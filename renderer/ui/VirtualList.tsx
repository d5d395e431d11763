// Fixed-row-height virtualized list: renders only the rows in view (plus a little overscan). Follows the
// tail while the user is at the bottom; arrow keys move the selection.
// Under a burst the window slides by hundreds of rows a frame. Rows are keyed by their place in the window,
// not by their index: the same DOM nodes stay and get new text (no remove/insert of row nodes, no
// re-creation of their layout objects), and only the block that holds them moves. While following, the
// scroll position is derived from the count in the same render, and written once, without reading layout.
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
  /** Rows never need to show or scroll to anything outside their box: each is laid out and painted on its
   * own (CSS containment), so new text in one row touches that row only. Not for lists scrolled sideways
   * (hex, long text lines): containment clips a row at the list's width. */
  containRows?: boolean;
}

const OVERSCAN = 8;

export function VirtualList({ count, rowHeight, version, renderRow, selectedIndex, onSelect, follow, testId, header, empty, onRange, reveal, containRows }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  // State, not a ref: leaving the tail must render even when the scroll position state did not change
  // (it is not updated while following).
  const [atBottom, setAtBottom] = useState(true);
  /** The scroll position the element has (the last one written or seen in a scroll event). */
  const known = useRef(0);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  const maxTop = Math.max(0, count * rowHeight - height);
  const maxRef = useRef(maxTop);
  maxRef.current = maxTop;
  const tail = !!follow && atBottom;
  const top = tail ? maxTop : Math.min(scrollTop, maxTop);

  // Following the tail: only writes scrollTop, and only when it moves (a write after DOM changes lays the
  // page out at once; here that is the layout this frame does anyway, never a second one).
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !tail || Math.abs(known.current - maxTop) <= 1) return;
    el.scrollTop = maxTop;
    known.current = maxTop;
  }, [tail, maxTop, version]);

  useEffect(() => {
    const el = ref.current;
    if (!el || selectedIndex === undefined || selectedIndex < 0) return;
    const rowTop = selectedIndex * rowHeight;
    const want = rowTop < top ? rowTop : rowTop + rowHeight > top + height ? rowTop + rowHeight - height : null;
    if (want === null) return;
    el.scrollTop = want;
  }, [selectedIndex, rowHeight, reveal]);

  const onScroll = () => {
    const st = ref.current!.scrollTop;
    // Our own write echoing back changes nothing; the user's scroll decides whether the tail is followed.
    if (Math.abs(st - known.current) <= 1 && atBottom) return;
    known.current = st;
    setAtBottom(st >= maxRef.current - rowHeight);
    setScrollTop(st);
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

  // Rows beyond the edges are there for scrolling; following the tail nothing scrolls but the list itself,
  // and under a burst every row in the window gets new content each render: only what is in view is made.
  const overscan = tail ? 0 : OVERSCAN;
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((top + height) / rowHeight) + overscan);
  const rangeCb = useRef(onRange);
  rangeCb.current = onRange;
  useEffect(() => { rangeCb.current?.(first, last); }, [first, last]);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        key={i - first}
        className={'vrow' + (i === selectedIndex ? ' selected' : '') + (i % 2 ? ' odd' : '')}
        style={{ height: rowHeight }}
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
      <div className={containRows ? 'vlist contained' : 'vlist'} ref={ref} onScroll={onScroll} tabIndex={0} onKeyDown={onKeyDown} data-testid={testId}
        data-count={count} role="listbox">
        {count === 0 && empty ? <div className="vlist-empty">{empty}</div> : null}
        <div className="vlist-inner" style={{ height: count * rowHeight }}>
          <div className="vlist-rows" style={{ top: first * rowHeight }}>{rows}</div>
        </div>
      </div>
    </div>
  );
}
