// Timed publishing: the current draft every N ms, `count` times (0 = until stopped), with {{seq}}, {{now}},
// {{random}}… expanded in topic and payload for each message. One run at a time. Stop sends nothing more; a
// message already handed to core still goes out, so the run ends (and its count is final) when that one is done.
import { create } from 'zustand';
import { publishDraft } from './publish-action';
import { usePublish } from './publish-state';
import { expandVars } from './template-vars';

interface PeriodicState {
  intervalMs: number;
  count: number;
  running: boolean;
  /** Stop was pressed while a message was on its way: the run ends when it is done. */
  stopping: boolean;
  sent: number;
  failed: number;
  last: string;
  set(patch: Partial<Pick<PeriodicState, 'intervalMs' | 'count'>>): void;
  start(sessionId: string): void;
  stop(): void;
}

let runId = 0;
/** The current run was asked to stop. */
let stopped = true;
/** A message of the current run is on its way (no new run can start meanwhile: `running` is still true). */
let busy = false;

export const usePeriodic = create<PeriodicState>((set, get) => ({
  intervalMs: 1000,
  count: 10,
  running: false,
  stopping: false,
  sent: 0,
  failed: 0,
  last: '',
  set: (patch) => set(patch),
  stop: () => {
    stopped = true;
    set(busy ? { stopping: true } : { running: false, stopping: false });
  },
  start: (sessionId) => {
    const id = ++runId;
    stopped = false;
    const { intervalMs, count } = get();
    set({ running: true, stopping: false, sent: 0, failed: 0, last: '' });
    const base = usePublish.getState().draft;
    const step = async (seq: number) => {
      if (id !== runId || stopped) return;
      const started = Date.now();
      busy = true;
      let r: Awaited<ReturnType<typeof publishDraft>>;
      try {
        r = await publishDraft(sessionId, { override: { topic: expandVars(base.topic, seq), text: expandVars(base.text, seq) }, noHistory: true });
      } finally {
        busy = false;
      }
      set((s) => ({ sent: s.sent + (r.ok ? 1 : 0), failed: s.failed + (r.ok ? 0 : 1), last: r.text }));
      // A message that cannot be sent (not connected, bad field) stops the run: repeating it would only repeat the error.
      if (stopped || !r.ok || (count > 0 && seq >= count)) { set({ running: false, stopping: false }); return; }
      setTimeout(() => void step(seq + 1), Math.max(0, intervalMs - (Date.now() - started)));
    };
    void step(1);
  },
}));
