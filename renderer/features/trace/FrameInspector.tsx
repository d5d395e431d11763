// One frame in depth: decoded field tree beside its hex, linked both ways (click a field: its bytes;
// click a byte: the field that owns it). Right-click a field to filter on its value.
import { useMemo, useState } from 'react';
import type { FieldNode, FrameDetail } from '../../../shared/contract/types';
import { base64ToBytes, looksLikeText, utf8Decode } from '../../app/bytes';
import { useApp } from '../../app/store';
import { FieldTree } from '../../ui/FieldTree';
import { HexView } from '../../ui/HexView';
import { SplitPane } from '../../ui/SplitPane';
import { combineFilter, fieldAt, filterForField } from './filter-from-field';

export function FrameInspector({ detail }: { detail: FrameDetail }) {
  const bytes = useMemo(() => base64ToBytes(detail.bytesB64), [detail]);
  const [sel, setSel] = useState<FieldNode | null>(null);
  const [menu, setMenu] = useState<{ node: FieldNode; x: number; y: number } | null>(null);
  const { applyFilter } = useApp.getState();

  const payloadText = (n: FieldNode) => {
    const b = bytes.subarray(n.offset, n.offset + n.length);
    return looksLikeText(b) ? utf8Decode(b) : undefined;
  };
  const expr = menu ? filterForField(menu.node, menu.node.name === 'Payload' ? payloadText(menu.node) : undefined) : null;
  const filterOn = (how: 'only' | 'and' | 'andNot') => {
    if (!expr) return;
    applyFilter(combineFilter(useApp.getState().filterApplied, expr, how));
    setMenu(null);
  };

  return (
    <div className="frame-inspector" data-testid="frame-inspector" onClick={() => setMenu(null)}>
      <SplitPane id="trace.fieldsHex" direction="row" initial={420}>
        <div className="panel scroll">
          {detail.summary.note ? <div className="notice">{detail.summary.note}</div> : null}
          {detail.fields.length ? <FieldTree fields={detail.fields} selected={sel} onSelect={setSel} testId="frame-fields"
            onContext={(node, at) => setMenu({ node, ...at })} />
            : <p className="pad muted">No decoded fields{detail.summary.kind === 'event' ? ' (connection event, no bytes)' : ''}.</p>}
        </div>
        <div className="panel">
          <HexView bytes={bytes} highlight={sel ? { offset: sel.offset, length: sel.length } : null} testId="frame-hex"
            onByteClick={(o) => setSel(fieldAt(detail.fields, o))} />
        </div>
      </SplitPane>
      {menu ? (
        <div className="ctx-menu" style={{ left: menu.x, top: menu.y }} data-testid="field-menu" onClick={(e) => e.stopPropagation()}>
          {expr ? (
            <>
              <button onClick={() => filterOn('only')} data-testid="field-filter-only">Filter on this value <span className="muted mono">{expr}</span></button>
              <button onClick={() => filterOn('and')} data-testid="field-filter-and">…and this value</button>
              <button onClick={() => filterOn('andNot')} data-testid="field-filter-and-not">…and not this value</button>
            </>
          ) : <button disabled>No filter field for “{menu.node.name}”</button>}
        </div>
      ) : null}
    </div>
  );
}
