// Step mode for the selected session (Messages view): a toggle, and the queue of held flow steps with
// Send / Delay / Duplicate / Drop per step. Also opens the raw sender.
import { useState } from 'react';
import type { StepAction, StepItem } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { RawSender } from './RawSender';
import { sendWords, stepWords } from './step-words';
import { useStepQueue } from './use-step-queue';
import './provoke.css';

export function StepPanel({ sessionId }: { sessionId: string }) {
  const { state, error } = useStepQueue(sessionId);
  const [raw, setRaw] = useState(false);
  const showToast = useApp((s) => s.showToast);
  const toggle = async (on: boolean) => {
    try { await core().sessionStepMode({ id: sessionId, on }); } catch (e) { showToast(errorText(e), 'error'); }
  };
  return (
    <div className="step-panel" data-testid="step-panel">
      <div className="panel-head">
        <label className="keep-case" title="Hold acknowledgements of QoS 1/2 flows until you send, delay, duplicate or drop them">
          <input type="checkbox" checked={state.on} onChange={(e) => void toggle(e.target.checked)} data-testid="step-toggle" /> Step mode
        </label>
        {state.on ? <span className="keep-case muted" data-testid="step-count">{state.items.length} held</span> : null}
        <span className="grow" />
        <button className="small" onClick={() => setRaw(true)} data-testid="raw-open">Raw packet…</button>
      </div>
      {error ? <div className="notice error">{error}</div> : null}
      {state.on ? (
        <div className="step-list" data-testid="step-list">
          {state.items.length === 0 ? <div className="muted small" style={{ padding: '6px 10px' }}>Nothing held. Incoming PUBLISH (QoS 1/2), PUBREC, PUBREL, PUBACK and PUBCOMP wait here.</div> : null}
          {state.items.map((i) => <StepRow key={i.id} sessionId={sessionId} item={i} />)}
        </div>
      ) : null}
      {raw ? <RawSender sessionId={sessionId} onClose={() => setRaw(false)} /> : null}
    </div>
  );
}

function StepRow({ sessionId, item }: { sessionId: string; item: StepItem }) {
  const [delay, setDelay] = useState('1000');
  const [error, setError] = useState('');
  const act = async (action: StepAction) => {
    let delayMs: number | undefined;
    if (action === 'delay') {
      if (!/^\d+$/.test(delay.trim()) || Number(delay) > 600000) return setError('the delay must be a whole number of ms, at most 600000');
      delayMs = Number(delay);
    }
    try {
      await core().sessionStepAction({ id: sessionId, item: item.id, action, delayMs });
    } catch (e) {
      setError(errorText(e));
    }
  };
  const due = item.dueAtMs !== undefined;
  return (
    <div className="step-item" data-testid="step-item" data-received={item.received} data-reply={item.reply ?? ''}>
      <div className="what"><span className="mono">{stepWords(item)}</span>{due ? <span className="muted small">delayed, goes out at {new Date(item.dueAtMs!).toLocaleTimeString()}</span> : null}</div>
      {due ? null : (
        <div className="acts">
          <button className="small" onClick={() => void act('send')} data-testid="step-send">{sendWords(item)}</button>
          <input value={delay} onChange={(e) => setDelay(e.target.value)} aria-label="delay in ms" data-testid="step-delay-ms" />
          <button className="small" onClick={() => void act('delay')} data-testid="step-delay">Delay ms</button>
          <button className="small" onClick={() => void act('duplicate')} data-testid="step-duplicate">Duplicate</button>
          <button className="small danger" onClick={() => void act('drop')} data-testid="step-drop">Drop</button>
        </div>
      )}
      {error ? <div className="ferror">{error}</div> : null}
    </div>
  );
}
