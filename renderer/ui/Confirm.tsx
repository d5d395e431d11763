// A small modal asking to confirm a destructive action, in plain words.
import type { ReactNode } from 'react';

interface Props {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
  testId?: string;
}

export function Confirm({ title, children, confirmLabel, onConfirm, onCancel, testId }: Props) {
  return (
    <div className="modal-backdrop" onMouseDown={onCancel}>
      <div className="modal" role="dialog" aria-label={title} data-testid={testId} onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
        <h3>{title}</h3>
        <div className="modal-body">{children}</div>
        <div className="modal-actions">
          <button onClick={onCancel} data-testid="confirm-cancel">Cancel</button>
          <button className="danger" onClick={onConfirm} data-testid="confirm-ok" autoFocus>{confirmLabel}</button>
        </div>
      </div>
    </div>
  );
}
