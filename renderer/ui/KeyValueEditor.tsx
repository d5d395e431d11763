// Editable list of key/value pairs (MQTT 5 user properties).
import type { UserProperty } from '../../shared/contract/types';

interface Props { value: UserProperty[]; onChange(v: UserProperty[]): void; testId: string; label?: string }

export function KeyValueEditor({ value, onChange, testId, label = 'User properties' }: Props) {
  const set = (i: number, patch: Partial<UserProperty>) => onChange(value.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <div className="frow kv" data-testid={testId}>
      <span className="flabel">{label}</span>
      <span className="fcontrol">
        {value.map((p, i) => (
          <span className="kv-row" key={i}>
            <input placeholder="key" value={p.key} data-testid={`${testId}-key-${i}`} onChange={(e) => set(i, { key: e.target.value })} />
            <input placeholder="value" value={p.value} data-testid={`${testId}-value-${i}`} onChange={(e) => set(i, { value: e.target.value })} />
            <button className="icon" title="Remove" data-testid={`${testId}-remove-${i}`} onClick={(e) => { e.preventDefault(); onChange(value.filter((_, j) => j !== i)); }}>✕</button>
          </span>
        ))}
        <button className="link" data-testid={`${testId}-add`} onClick={(e) => { e.preventDefault(); onChange([...value, { key: '', value: '' }]); }}>+ Add property</button>
      </span>
    </div>
  );
}
