// Query callers: core keeps one running query and one list's counts per caller (filter-query.ts), so each
// list names itself, per page.

/** One page's name for a query caller: pages sharing a core (several browser tabs) never cancel each other. */
const PAGE = Math.random().toString(36).slice(2, 10);
export const callerOf = (name: string): string => `${name}@${PAGE}`;
