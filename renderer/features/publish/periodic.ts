// Timed publishing: the current draft every N ms, `count` times (0 = until stopped), with {{seq}}, {{now}},
// {{random}}… expanded in topic and payload for each message. One run at a time; Stop ends it at once.
import { create } from 'zustand';
import { publishDraft } from './publish-action';
import { usePublish } from './publish-state';
import { expandVars } from './template-vars';

interface PeriodicState {
  intervalMs: number;
  count: number;
  running: boolean;
  sent: number;
  failed: number;
  last: string;
  set(patch: Partial<Pick<PeriodicState, 'intervalMs' | 'count'>>): void;
  start(sessionId: string): void;
  stop(): void;
}

let runId = 0;

export const usePeriodic = create<PeriodicState>((set, get) => ({
  intervalMs: 1000,
  count: 10,
  running: false,
  sent: 0,
  failed: 0,
  last: '',
  set: (patch) => set(patch),
  stop: () => { runId++; set({ running: false }); },
  start: (sessionId) => {
    const id = ++runId;
    const { intervalMs, count } = get();
    set({ running: true, sent: 0, failed: 0, last: '' });
    const base = usePublish.getState().draft;
    const step = async (seq: number) => {
      if (id !== runId) return;
      const started = Date.now();
      const r = await publishDraft(sessionId, { override: { topic: expandVars(base.topic, seq), text: expandVars(base.text, seq) }, noHistory: true });
      if (id !== runId) return;
      set((s) => ({ sent: s.sent + (r.ok ? 1 : 0), failed: s.failed + (r.ok ? 0 : 1), last: r.text }));
      // A message that cannot be sent (not connected, bad field) stops the run: repeating it would only repeat the error.
      if (!r.ok || (count > 0 && seq >= count)) { set({ running: false }); return; }
      setTimeout(() => void step(seq + 1), Math.max(0, intervalMs - (Date.now() - started)));
    };
    void step(1);
  },
}));
