// The topic tree, codec and chart methods of the contract (issue 10), spread into core's api.
import type { CoreApi } from '../../../shared/contract/api';
import { bytesToBase64 } from '../../../shared/util/base64';
import type { PayloadCodecs } from '../codecs/payload-codecs';
import type { DocStore } from '../docs/doc-store';
import type { TraceRecorder } from '../trace/recorder';
import type { EmbeddedBroker } from '../broker/broker';
import { TopicFeed } from './topic-feed';
import { queryTopicTree } from './topic-tree-query';

type TopicMethods = Pick<CoreApi, 'topicTree' | 'payloadPreview' | 'codecSettings' | 'codecSettingsSet' | 'payloadEncode' | 'topicSeries' | 'retainedPreview' | 'retainedRestore'>;

export interface TopicsPart {
  feed: TopicFeed;
  /** The codecs, their libraries loaded on first use (protobufjs, cbor-x, msgpack, fflate: a headless broker never needs them). */
  codecs: () => Promise<PayloadCodecs>;
  methods: TopicMethods;
}

/** Properties came back through JSON: Buffers arrive as { type: 'Buffer', data: [...] }. */
function reviveBuffers(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) {
    const b = v as { type?: unknown; data?: unknown };
    out[k] = b && b.type === 'Buffer' && Array.isArray(b.data) ? Buffer.from(b.data as number[]) : v;
  }
  return out;
}

/**
 * wanted: whether the batch tick should index (someone watches the trace). A headless broker nobody watches
 * indexes nothing at its ticks; a topicTree query indexes what the store still holds, then ticks keep up.
 * inBurst: whether the broker is in a burst (trace/burst-watch.ts); then the ticks leave the counting to the
 * first quiet tick or query, as long as it can wait (TopicFeed.canWait).
 */
export function createTopics(recorder: TraceRecorder, docs: DocStore, broker: EmbeddedBroker, wanted: () => boolean = () => true,
  inBurst: () => boolean = () => false): TopicsPart {
  const feed = new TopicFeed(recorder);
  let loading: Promise<PayloadCodecs> | null = null;
  const loadCodecs = () => (loading ??= import('../codecs/payload-codecs').then(async ({ PayloadCodecs }) => {
    const c = new PayloadCodecs(recorder.store, docs);
    await c.ready();
    return c;
  }));
  recorder.flushHooks.push(() => {
    if (!wanted()) return;
    if (!inBurst() || !feed.canWait()) feed.catchUp();
    // A window watches: its message lists will ask for previews. Load the codecs now, between ticks, not on
    // the first preview, which in a burst comes while the broker has the least time to spare.
    if (!loading) setImmediate(() => { loadCodecs().catch(() => undefined); });
  });
  const methods: TopicMethods = {
    topicTree: async (p) => {
      const codecs = await loadCodecs();
      feed.catchUp();
      return queryTopicTree(feed.stats, p, performance.now() * 1000, (seq) => {
        const r = codecs.preview(seq);
        return r.gone ? undefined : r.text;
      });
    },
    payloadPreview: async ({ seqs, full }) => {
      const codecs = await loadCodecs();
      return seqs.map((seq) => codecs.preview(seq, full));
    },
    codecSettings: async () => (await loadCodecs()).info(),
    codecSettingsSet: async ({ rules, protoText }) => (await loadCodecs()).set({ rules, protoText }),
    payloadEncode: async ({ topic, text, choice }) => {
      const codecs = await loadCodecs();
      return { payloadB64: bytesToBase64(codecs.encode(topic, text, choice)) };
    },
    topicSeries: async (p) => {
      const codecs = await loadCodecs();
      return codecs.series(p, (seq) => feed.counts(seq));
    },
    retainedPreview: async ({ topics }) => {
      const codecs = await loadCodecs();
      const out = [];
      for (const topic of topics) {
        const p = await broker.retainedPayload(topic);
        out.push({ topic, preview: p ? codecs.previewBytes(-1, topic, p) : null });
      }
      return out;
    },
    retainedRestore: async ({ topic, payloadB64, qos, properties }) => {
      await broker.republishRetained(topic, Buffer.from(payloadB64, 'base64'), qos, properties ? reviveBuffers(properties) : undefined);
      return { ok: true as const };
    },
  };
  return { feed, codecs: loadCodecs, methods };
}
