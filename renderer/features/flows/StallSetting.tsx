// The stall threshold: an open flow with no next step for this long counts as stalled. Kept by core.
import { useEffect, useState } from 'react';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';

export function StallSetting() {
  const [value, setValue] = useState('');
  const [saved, setSaved] = useState<number | null>(null);
  useEffect(() => {
    core().flowSettings({}).then((s) => { setSaved(s.stalledMs); setValue(String(s.stalledMs)); }, () => {});
  }, []);
  const apply = () => {
    const ms = Number(value);
    if (!Number.isInteger(ms) || ms === saved) { setValue(saved === null ? '' : String(saved)); return; }
    core().flowSettings({ stalledMs: ms }).then(
      (s) => { setSaved(s.stalledMs); setValue(String(s.stalledMs)); },
      (e) => { useApp.getState().showToast(`Stall threshold: ${errorText(e)}`, 'error'); setValue(saved === null ? '' : String(saved)); },
    );
  };
  return (
    <label className="inline small muted" title="An open flow with no next step for this long is marked stalled">
      Stalled after
      <input className="mono" type="number" min={100} step={500} value={value} style={{ width: 74 }} data-testid="flows-stalled-ms"
        onChange={(e) => setValue(e.target.value)} onBlur={apply} onKeyDown={(e) => { if (e.key === 'Enter') apply(); }} aria-label="Stall threshold in milliseconds" />
      ms
    </label>
  );
}
