// Decoded packet fields as an expandable tree; clicking a field highlights its bytes in the hex view.
import { useEffect, useState } from 'react';
import type { FieldNode } from '../../shared/contract/types';

interface Props {
  fields: FieldNode[];
  selected?: FieldNode | null;
  onSelect?(f: FieldNode): void;
  /** Right-click on a field (e.g. "Filter on this value"). */
  onContext?(f: FieldNode, at: { x: number; y: number }): void;
  testId?: string;
}

function contains(node: FieldNode, target: FieldNode | null | undefined): boolean {
  if (!target) return false;
  return (node.children ?? []).some((k) => k === target || contains(k, target));
}

type NodeProps = { node: FieldNode; depth: number; selected?: FieldNode | null; onSelect?(f: FieldNode): void; onContext?: Props['onContext'] };

function Node({ node, depth, selected, onSelect, onContext }: NodeProps) {
  const [open, setOpen] = useState(depth < 2);
  const kids = node.children ?? [];
  // A field selected from elsewhere (a clicked byte) is shown: its ancestors open.
  useEffect(() => { if (!open && contains(node, selected)) setOpen(true); }, [selected]);
  return (
    <li>
      <div className={'ft-row' + (selected === node ? ' selected' : '') + (node.problem ? ' problem' : '')}
        style={{ paddingLeft: depth * 14 + 4 }} onClick={() => onSelect?.(node)} data-testid="field-row" data-name={node.name}
        data-selected={selected === node ? 'true' : undefined}
        ref={(el) => { if (el && selected === node) el.scrollIntoView({ block: 'nearest' }); }}
        onContextMenu={onContext ? (e) => { e.preventDefault(); onSelect?.(node); onContext(node, { x: e.clientX, y: e.clientY }); } : undefined}>
        <span className="ft-twisty" onClick={(e) => { e.stopPropagation(); setOpen(!open); }}>
          {kids.length ? (open ? '▾' : '▸') : ''}
        </span>
        <span className="ft-name">{node.name}</span>
        {node.value !== undefined ? <span className="ft-value mono">{node.value}</span> : null}
        <span className="ft-range muted mono">[{node.offset}+{node.length}]</span>
        {node.problem ? <span className="ft-problem">⚠ {node.problem}</span> : null}
      </div>
      {open && kids.length ? (
        <ul>{kids.map((k, i) => <Node key={i} node={k} depth={depth + 1} selected={selected} onSelect={onSelect} onContext={onContext} />)}</ul>
      ) : null}
    </li>
  );
}

export function FieldTree({ fields, selected, onSelect, onContext, testId }: Props) {
  return (
    <ul className="fieldtree" data-testid={testId}>
      {fields.map((f, i) => <Node key={i} node={f} depth={0} selected={selected} onSelect={onSelect} onContext={onContext} />)}
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
