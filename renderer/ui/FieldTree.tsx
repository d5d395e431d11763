// Decoded packet fields as an expandable tree; clicking a field highlights its bytes in the hex view.
import { useState } from 'react';
import type { FieldNode } from '../../shared/contract/types';

interface Props {
  fields: FieldNode[];
  selected?: FieldNode | null;
  onSelect?(f: FieldNode): void;
  testId?: string;
}

function Node({ node, depth, selected, onSelect }: { node: FieldNode; depth: number; selected?: FieldNode | null; onSelect?(f: FieldNode): void }) {
  const [open, setOpen] = useState(depth < 2);
  const kids = node.children ?? [];
  return (
    <li>
      <div className={'ft-row' + (selected === node ? ' selected' : '') + (node.problem ? ' problem' : '')}
        style={{ paddingLeft: depth * 14 + 4 }} onClick={() => onSelect?.(node)} data-testid="field-row" data-name={node.name}>
        <span className="ft-twisty" onClick={(e) => { e.stopPropagation(); setOpen(!open); }}>
          {kids.length ? (open ? '▾' : '▸') : ''}
        </span>
        <span className="ft-name">{node.name}</span>
        {node.value !== undefined ? <span className="ft-value mono">{node.value}</span> : null}
        <span className="ft-range muted mono">[{node.offset}+{node.length}]</span>
        {node.problem ? <span className="ft-problem">⚠ {node.problem}</span> : null}
      </div>
      {open && kids.length ? (
        <ul>{kids.map((k, i) => <Node key={i} node={k} depth={depth + 1} selected={selected} onSelect={onSelect} />)}</ul>
      ) : null}
    </li>
  );
}

export function FieldTree({ fields, selected, onSelect, testId }: Props) {
  return (
    <ul className="fieldtree" data-testid={testId}>
      {fields.map((f, i) => <Node key={i} node={f} depth={0} selected={selected} onSelect={onSelect} />)}
    </ul>
  );
}

/** Depth-first search for the first node whose name matches. */
export function findField(fields: FieldNode[], test: (f: FieldNode) => boolean): FieldNode | undefined {
  for (const f of fields) {
    if (test(f)) return f;
    const inner = f.children ? findField(f.children, test) : undefined;
    if (inner) return inner;
  }
  return undefined;
}
