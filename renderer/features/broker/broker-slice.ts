// Broker status as core last announced it.
import type { StateCreator } from 'zustand';
import type { BrokerStatus } from '../../../shared/contract/types';
import type { AppState } from '../../app/store';

export interface BrokerSlice {
  broker: BrokerStatus | null;
  /** Bumped on every brokerChanged event, per table, so tables refetch. */
  brokerEpoch: Record<'clients' | 'subscriptions' | 'retained' | 'offline', number>;
  setBroker(status: BrokerStatus): void;
  bumpBroker(what: ('clients' | 'subscriptions' | 'retained' | 'offline')[]): void;
}

export const createBrokerSlice: StateCreator<AppState, [], [], BrokerSlice> = (set, get) => ({
  broker: null,
  brokerEpoch: { clients: 0, subscriptions: 0, retained: 0, offline: 0 },
  setBroker: (broker) => set({ broker }),
  bumpBroker: (what) => {
    const next = { ...get().brokerEpoch };
    for (const w of what) next[w]++;
    set({ brokerEpoch: next });
  },
});
