// A message-list header cell with a drag handle on its right edge: dragging sets the column's width
// (remembered); a double click gives the column back its automatic width.
import type { ReactNode } from 'react';

interface Props { id: string; className: string; width?: number; onWidth(px: number | null): void; children?: ReactNode }

export function ColumnHeader({ id, className, width, onWidth, children }: Props) {
  const onPointerDown = (e: React.PointerEvent<HTMLSpanElement>) => {
    e.preventDefault();
    e.stopPropagation();
    const cell = (e.currentTarget.parentElement as HTMLElement);
    const startX = e.clientX;
    const startW = cell.getBoundingClientRect().width;
    const move = (ev: PointerEvent) => onWidth(startW + ev.clientX - startX);
    const up = () => { window.removeEventListener('pointermove', move); window.removeEventListener('pointerup', up); };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  return (
    <span className={`${className} col-head`} style={width ? { flex: `0 0 ${width}px` } : undefined} data-col={id}>
      {children}
      <span className="col-resize" onPointerDown={onPointerDown} onDoubleClick={() => onWidth(null)} data-testid={`msg-col-resize-${id}`} title="Drag to resize; double-click for automatic width" />
    </span>
  );
}
