// Search/filter of a session's messages, run in core (text and topic filter over its connections' inbound
// PUBLISHes) and paged like the live list (../trace/use-paged-query.ts): the count is exact, rows load as they
// scroll into view, a refresh at most once a second scans only what was recorded since the last.
import type { TraceListConditions } from '../../../shared/contract/list-pages';
import { useTraceVersion } from '../trace/use-trace-version';
import { callerOf } from '../trace/query-refresh';
import { usePagedQuery, type PagedQuery } from '../trace/use-paged-query';

const CALLER = callerOf('message-search');

export function useMessageSearch(conns: number[], text: string, topicFilter: string, active: boolean): PagedQuery {
  const version = useTraceVersion();
  const conditions: TraceListConditions | null = active ? {
    conns, side: 'client', dir: 's2c', types: ['PUBLISH'], kinds: ['packet'],
    ...(text ? { text } : {}), ...(topicFilter ? { topicFilter } : {}),
  } : null;
  return usePagedQuery(conditions, `${conns.join(',')}|${text}|${topicFilter}`, CALLER, version, 150);
}
