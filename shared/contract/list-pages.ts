// Contract shapes of a filtered or searched list that pages like the live list (issue 11): the first answer
// carries the exact count and the newest screen; any other rows are asked for by rank ("the k-th match
// from the newest") against the snapshot the list shows, so a list of 400,000 matches never crosses whole.
import { z } from 'zod';
import { PACKET_TYPES, type FrameSummary, type TraceQuery, type TraceQueryResult, type TraceStats } from './types';

/** What decides which frames match (as in TraceQuery; bounds, order and limit do not apply to pages). */
export type TraceListConditions = Pick<TraceQuery, 'doc' | 'filter' | 'text' | 'topicFilter' | 'conns' | 'sessionId' | 'side' | 'dir' | 'kinds' | 'types'>;

/** traceList answers a TraceQuery (caller required) like traceQuery, plus how many matches are new. */
export interface TraceListResult extends TraceQueryResult {
  /**
   * Matches at or after the query's `since` (all of `matching` when not `continued`): the rows the list
   * grew by at its newest end. `frames` holds the newest `limit` of them.
   */
  added: number;
}

export interface TraceListPageParams extends TraceListConditions {
  /** The caller whose last traceList answer the list shows (same conditions). */
  caller: string;
  /** That answer's scannedTo: ranks count the matches below this seq, so newer frames shift nothing. */
  upTo: number;
  /** Rank of the first row wanted: 0 = the newest match below upTo. */
  rank?: number;
  /** Instead of rank: start at the oldest match at or after this frame ("Go to #N"). */
  seq?: number;
  /** Instead of rank: start at the oldest match recorded at or after this wall clock time (ms since the epoch; "Go to 13:46:42"). */
  wallMs?: number;
  /** Rows wanted, going older from `rank`. */
  count: number;
}

export interface TraceListPageResult {
  /** Newest first: frames[i] is the match of rank `rank + i`; fewer than asked where the list ends or frames were evicted. */
  frames: FrameSummary[];
  /** Rank of frames[0] (for `seq`/`wallMs`: of the oldest match at or after it; -1 when there is none). */
  rank: number;
  stats: TraceStats;
}

const connIds = z.array(z.number().int()).max(10_000);

export const traceListPageParams: z.ZodType<TraceListPageParams> = z.object({
  doc: z.string().min(1).max(64).optional(),
  filter: z.string().max(10000).optional(),
  text: z.string().optional(),
  topicFilter: z.string().optional(),
  conns: connIds.optional(),
  sessionId: z.string().optional(),
  side: z.enum(['broker', 'client']).optional(),
  dir: z.enum(['c2s', 's2c']).optional(),
  kinds: z.array(z.enum(['packet', 'malformed', 'event'])).optional(),
  types: z.array(z.enum(PACKET_TYPES)).optional(),
  caller: z.string().min(1, 'caller is required: a list\'s pages are kept per caller').max(64),
  upTo: z.number().int().min(0),
  rank: z.number().int().min(0).optional(),
  seq: z.number().int().min(0).optional(),
  wallMs: z.number().finite().optional(),
  count: z.number().int().min(1, 'ask for at least 1 row').max(1000, 'at most 1000 rows a page'),
}).strict().refine((p) => [p.rank, p.seq, p.wallMs].filter((x) => x !== undefined).length === 1, 'give one of rank, seq or wallMs');
