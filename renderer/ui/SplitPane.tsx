// Two panes with a draggable divider. Size (px of the first pane, or of the second when `sizeSecond`) is
// kept in the UI store under `id`, so it survives reloads.
import { useRef, type ReactNode } from 'react';
import { useApp } from '../app/store';

interface Props {
  id: string;
  direction: 'row' | 'column';
  initial: number;
  min?: number;
  /** The given size applies to the second pane (e.g. a bottom panel). */
  sizeSecond?: boolean;
  children: [ReactNode, ReactNode];
}

export function SplitPane({ id, direction, initial, min = 120, sizeSecond, children }: Props) {
  const size = useApp((s) => s.panes[id]) ?? initial;
  const setPane = useApp((s) => s.setPane);
  const box = useRef<HTMLDivElement>(null);

  const onPointerDown = (e: React.PointerEvent) => {
    e.preventDefault();
    const el = box.current!;
    const rect = el.getBoundingClientRect();
    const total = direction === 'row' ? rect.width : rect.height;
    const move = (ev: PointerEvent) => {
      const pos = direction === 'row' ? ev.clientX - rect.left : ev.clientY - rect.top;
      const first = Math.max(min, Math.min(total - min, pos));
      setPane(id, Math.round(sizeSecond ? total - first : first));
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      document.body.classList.remove('resizing');
    };
    document.body.classList.add('resizing');
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  const fixed = { flex: `0 0 ${size}px` };
  return (
    <div className={`split split-${direction}`} ref={box}>
      <div className="split-pane" style={sizeSecond ? undefined : fixed}>{children[0]}</div>
      <div className="split-divider" onPointerDown={onPointerDown} data-testid={`divider-${id}`}
        role="separator" aria-orientation={direction === 'row' ? 'vertical' : 'horizontal'} />
      <div className="split-pane" style={sizeSecond ? fixed : undefined}>{children[1]}</div>
    </div>
  );
}
