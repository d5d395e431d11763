// The contract's session schema (zod and every method's schema with it, ~190 KB) is loaded when a profile is
// first checked, not with the profile form: the form is on the first screen, and evaluating zod's schemas
// there held the page's start for ~100 ms.
import type { sessionOptions } from '../../../shared/contract/schemas';

export type SessionSchema = typeof sessionOptions;

let loaded: SessionSchema | null = null;
let loading: Promise<SessionSchema> | null = null;

/** The schema if it has been loaded already (live re-checks while typing use it when there). */
export function loadedSessionSchema(): SessionSchema | null { return loaded; }

export function loadSessionSchema(): Promise<SessionSchema> {
  loading ??= import('../../../shared/contract/schemas').then((m) => (loaded = m.sessionOptions));
  return loading;
}
