// Parameters of the topic tree / codec / chart methods (issue 10), spread into methodParams.
import { z } from 'zod';
import { CODEC_IDS, WRAPS } from '../codecs/types';

const codecChoice = z.object({
  codec: z.enum(CODEC_IDS),
  wrap: z.enum(WRAPS).optional(),
  messageType: z.string().max(500).optional(),
});

export const topicMethodParams = {
  topicTree: z.object({
    expanded: z.array(z.string()).max(100_000),
    sort: z.enum(['name', 'rate', 'count']),
    search: z.string().max(1000).optional(),
    offset: z.number().int().min(0),
    limit: z.number().int().min(0).max(2000),
  }),
  payloadPreview: z.object({ seqs: z.array(z.number().int().min(0)).max(500), full: z.boolean().optional() }),
  codecSettings: z.object({}).strict().optional(),
  codecSettingsSet: z.object({
    rules: z.array(codecChoice.extend({ pattern: z.string().min(1, 'a rule needs a topic pattern') })).max(1000),
    protoText: z.string().max(4 * 2 ** 20, '.proto text is limited to 4 MiB'),
  }),
  payloadEncode: z.object({ topic: z.string(), text: z.string(), choice: codecChoice.optional() }),
  topicSeries: z.object({
    topic: z.string().min(1),
    field: z.string().max(500),
    afterSeq: z.number().int().min(-1).optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
  }),
  retainedPreview: z.object({ topics: z.array(z.string()).max(500) }),
  retainedRestore: z.object({
    topic: z.string().min(1),
    payloadB64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
    qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    properties: z.record(z.string(), z.unknown()).optional(),
  }),
} as const;
