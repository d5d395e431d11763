// Contract shapes of an opened trace file's message list (the Messages view following a file document).
// Plain data only.
import type { FrameSummary, Side } from './types';

/** One page of a file's message list. */
export interface DocMessagesParams {
  doc: string;
  /** Index into the list (0 = oldest message). */
  offset: number;
  limit: number;
  /**
   * Whose messages: 'client' = PUBLISH frames a session of the capturing app received (client tap,
   * server→client); 'broker' = PUBLISH frames the embedded broker delivered (broker tap, server→client).
   * Default: 'client' when the file has any, else 'broker'.
   */
  side?: Side;
}

export interface DocMessage {
  frame: FrameSummary;
  /** The client that received it (the connection's client id), when the connection said one. */
  clientId?: string;
  /** One-line payload preview by the topic's codec; hex when it did not decode. */
  preview: { codec: string; text: string; error?: string };
}

export interface DocMessagesResult {
  side: Side;
  /** Messages on that side (the list's length). */
  total: number;
  /** How many messages each side holds (lets the view offer the other one). */
  counts: { client: number; broker: number };
  offset: number;
  messages: DocMessage[];
}
