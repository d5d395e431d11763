// The publish draft (UI state) plus saved templates, publish history and topic history, which persist in
// core's doc store ('publishTemplates', 'publishHistory', 'topicHistory').
import { create } from 'zustand';
import type { PublishProperties } from '../../../shared/contract/types';
import { core } from '../../app/core';

/** 'codec': JSON text encoded in core by the topic's codec rule (CBOR, MessagePack, Protobuf, Sparkplug B…). */
export type PayloadMode = 'text' | 'json' | 'hex' | 'base64' | 'file' | 'codec';

export interface PublishDraft {
  topic: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  mode: PayloadMode;
  text: string;
  props: PublishProperties & { correlationText?: string };
}

export interface PublishTemplate { id: string; name: string; draft: PublishDraft }
export interface HistoryEntry { atMs: number; sessionName: string; draft: PublishDraft; result: string }

const MAX_HISTORY = 100;
const MAX_TOPICS = 50;

interface PublishState {
  draft: PublishDraft;
  file: { name: string; bytes: Uint8Array } | null;
  templates: PublishTemplate[];
  history: HistoryEntry[];
  topics: string[];
  loaded: boolean;
  load(): Promise<void>;
  setDraft(patch: Partial<PublishDraft>): void;
  setFile(f: { name: string; bytes: Uint8Array } | null): void;
  saveTemplate(name: string): Promise<void>;
  deleteTemplate(id: string): Promise<void>;
  record(entry: HistoryEntry): Promise<void>;
  clearHistory(): Promise<void>;
}

export const emptyDraft = (): PublishDraft => ({ topic: '', qos: 0, retain: false, mode: 'text', text: '', props: {} });

export const usePublish = create<PublishState>()((set, get) => ({
  draft: emptyDraft(),
  file: null,
  templates: [],
  history: [],
  topics: [],
  loaded: false,
  load: async () => {
    const [t, h, tp] = await Promise.all([
      core().docGet({ key: 'publishTemplates' }),
      core().docGet({ key: 'publishHistory' }),
      core().docGet({ key: 'topicHistory' }),
    ]);
    set({
      templates: Array.isArray(t.value) ? (t.value as PublishTemplate[]) : [],
      history: Array.isArray(h.value) ? (h.value as HistoryEntry[]) : [],
      topics: Array.isArray(tp.value) ? (tp.value as string[]) : [],
      loaded: true,
    });
  },
  setDraft: (patch) => set({ draft: { ...get().draft, ...patch } }),
  setFile: (file) => set({ file }),
  saveTemplate: async (name) => {
    const templates = [...get().templates.filter((t) => t.name !== name), { id: `t-${Date.now().toString(36)}`, name, draft: structuredClone(get().draft) }];
    await core().docSet({ key: 'publishTemplates', value: templates });
    set({ templates });
  },
  deleteTemplate: async (id) => {
    const templates = get().templates.filter((t) => t.id !== id);
    await core().docSet({ key: 'publishTemplates', value: templates });
    set({ templates });
  },
  record: async (entry) => {
    const history = [entry, ...get().history].slice(0, MAX_HISTORY);
    const topics = [entry.draft.topic, ...get().topics.filter((t) => t !== entry.draft.topic)].slice(0, MAX_TOPICS);
    set({ history, topics });
    // File payloads are not kept in history (they can be large); text modes are.
    const stored = history.map((h) => (h.draft.mode === 'file' ? { ...h, draft: { ...h.draft, text: '' } } : h));
    await Promise.all([core().docSet({ key: 'publishHistory', value: stored }), core().docSet({ key: 'topicHistory', value: topics })]);
  },
  clearHistory: async () => {
    set({ history: [] });
    await core().docSet({ key: 'publishHistory', value: [] });
  },
}));
