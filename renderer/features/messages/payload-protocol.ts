// Messages between the page and the payload worker (payload-worker.ts): the bytes go in once, then
// views (text / JSON / base64 laid out in rows) and searches come back. Plain data only.

export type LargeMode = 'text' | 'json' | 'hex' | 'base64';
/** Characters per row: longer lines wrap, so a one-line 5 MB JSON is still rows a list can virtualize. */
export const ROW_CHARS = 160;

export type ToWorker =
  | { kind: 'load'; bytes: ArrayBuffer }
  | { kind: 'view'; id: number; mode: Exclude<LargeMode, 'hex'> }
  | { kind: 'search'; id: number; mode: Exclude<LargeMode, 'hex'>; query: string };

export type FromWorker =
  | { kind: 'loaded'; size: number; guess: LargeMode }
  | { kind: 'view'; id: number; mode: LargeMode; text: string; rows: Uint32Array; error?: string }
  | { kind: 'search'; id: number; query: string; offsets: Uint32Array; total: number };

/** At most this many match offsets come back (the count is always exact). */
export const SEARCH_MAX = 10_000;
