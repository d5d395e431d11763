// Virtualized hex dump (offset | 16 bytes | ASCII) of any size, with an optional highlighted byte range.
// Never truncates: every byte is reachable by scrolling.
import { hexByte } from '../app/bytes';
import { VirtualList } from './VirtualList';

interface Props {
  bytes: Uint8Array;
  highlight?: { offset: number; length: number } | null;
  testId?: string;
  /** A byte was clicked (its offset): the inspector selects the field that owns it. */
  onByteClick?(offset: number): void;
}

const PER_ROW = 16;

function ascii(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·';
}

export function HexView({ bytes, highlight, testId, onByteClick }: Props) {
  const rows = Math.ceil(bytes.length / PER_ROW);
  const hl = highlight && highlight.length > 0 ? highlight : null;
  const inHl = (i: number) => !!hl && i >= hl.offset && i < hl.offset + hl.length;
  const renderRow = (r: number) => {
    const start = r * PER_ROW;
    const cells = [];
    const chars = [];
    for (let i = start; i < start + PER_ROW; i++) {
      if (i < bytes.length) {
        const cls = inHl(i) ? 'hx hl' : 'hx';
        const click = onByteClick ? () => onByteClick(i) : undefined;
        cells.push(<span key={i} className={cls} data-offset={i} onClick={click}>{hexByte(bytes[i])}</span>);
        chars.push(<span key={i} className={inHl(i) ? 'hl' : undefined} data-offset={i} onClick={click}>{ascii(bytes[i])}</span>);
      } else {
        cells.push(<span key={i} className="hx">{'  '}</span>);
      }
    }
    return (
      <div className="hex-row mono">
        <span className="hex-off">{start.toString(16).padStart(8, '0')}</span>
        <span className="hex-bytes">{cells}</span>
        <span className="hex-ascii">{chars}</span>
      </div>
    );
  };
  return (
    <div className="hexview" data-testid={testId} data-length={bytes.length}>
      <VirtualList count={rows} rowHeight={18} renderRow={renderRow} version={hl ? hl.offset * 7 + hl.length : 0}
        empty={<span className="muted">No bytes</span>} />
    </div>
  );
}
