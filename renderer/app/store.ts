// The one zustand store, composed of slices. Only UI state lives here: big collections (trace frames,
// messages) live in plain ring buffers outside React (features/trace/trace-model.ts).
import { create } from 'zustand';
import { createUiSlice, type UiSlice } from './ui-slice';
import { createBrokerSlice, type BrokerSlice } from '../features/broker/broker-slice';
import { createSessionsSlice, type SessionsSlice } from '../features/connections/sessions-slice';
import { createMessagesSlice, type MessagesSlice } from '../features/messages/messages-slice';
import { createTraceSlice, type TraceSlice } from '../features/trace/trace-slice';
import { createFlowsSlice, type FlowsSlice } from '../features/flows/flows-slice';
import { createSubscriptionsSlice, type SubscriptionsSlice } from '../features/subscriptions/subscriptions-slice';

export type AppState = UiSlice & BrokerSlice & SessionsSlice & MessagesSlice & TraceSlice & SubscriptionsSlice & FlowsSlice;

export const useApp = create<AppState>()((...a) => ({
  ...createUiSlice(...a),
  ...createBrokerSlice(...a),
  ...createSessionsSlice(...a),
  ...createMessagesSlice(...a),
  ...createTraceSlice(...a),
  ...createSubscriptionsSlice(...a),
  ...createFlowsSlice(...a),
}));
