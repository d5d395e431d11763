// One frame in depth: decoded field tree beside its hex; clicking a field highlights its bytes.
import { useMemo, useState } from 'react';
import type { FieldNode, FrameDetail } from '../../../shared/contract/types';
import { base64ToBytes } from '../../app/bytes';
import { FieldTree } from '../../ui/FieldTree';
import { HexView } from '../../ui/HexView';
import { SplitPane } from '../../ui/SplitPane';

export function FrameInspector({ detail }: { detail: FrameDetail }) {
  const bytes = useMemo(() => base64ToBytes(detail.bytesB64), [detail]);
  const [sel, setSel] = useState<FieldNode | null>(null);
  return (
    <div className="frame-inspector" data-testid="frame-inspector">
      <SplitPane id="trace.fieldsHex" direction="row" initial={420}>
        <div className="panel scroll">
          {detail.summary.note ? <div className="notice">{detail.summary.note}</div> : null}
          {detail.fields.length ? <FieldTree fields={detail.fields} selected={sel} onSelect={setSel} testId="frame-fields" />
            : <p className="pad muted">No decoded fields{detail.summary.kind === 'event' ? ' (connection event, no bytes)' : ''}.</p>}
        </div>
        <div className="panel">
          <HexView bytes={bytes} highlight={sel ? { offset: sel.offset, length: sel.length } : null} testId="frame-hex" />
        </div>
      </SplitPane>
    </div>
  );
}
