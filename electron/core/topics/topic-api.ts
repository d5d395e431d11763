// The topic tree, codec and chart methods of the contract (issue 10), spread into core's api.
import type { CoreApi } from '../../../shared/contract/api';
import { bytesToBase64 } from '../../../shared/util/base64';
import { PayloadCodecs } from '../codecs/payload-codecs';
import type { DocStore } from '../docs/doc-store';
import type { TraceRecorder } from '../trace/recorder';
import { TopicFeed } from './topic-feed';
import { queryTopicTree } from './topic-tree-query';

type TopicMethods = Pick<CoreApi, 'topicTree' | 'payloadPreview' | 'codecSettings' | 'codecSettingsSet' | 'payloadEncode' | 'topicSeries'>;

export interface TopicsPart {
  feed: TopicFeed;
  codecs: PayloadCodecs;
  methods: TopicMethods;
}

export function createTopics(recorder: TraceRecorder, docs: DocStore): TopicsPart {
  const feed = new TopicFeed(recorder);
  const codecs = new PayloadCodecs(recorder.store, docs);
  recorder.indexers.push(() => feed.catchUp());
  const methods: TopicMethods = {
    topicTree: async (p) => {
      await codecs.ready();
      feed.catchUp();
      return queryTopicTree(feed.stats, p, performance.now() * 1000, (seq) => {
        const r = codecs.preview(seq);
        return r.gone ? undefined : r.text;
      });
    },
    payloadPreview: async ({ seqs, full }) => {
      await codecs.ready();
      return seqs.map((seq) => codecs.preview(seq, full));
    },
    codecSettings: async () => { await codecs.ready(); return codecs.info(); },
    codecSettingsSet: async ({ rules, protoText }) => codecs.set({ rules, protoText }),
    payloadEncode: async ({ topic, text, choice }) => {
      await codecs.ready();
      return { payloadB64: bytesToBase64(codecs.encode(topic, text, choice)) };
    },
    topicSeries: async (p) => {
      await codecs.ready();
      return codecs.series(p, (seq) => feed.counts(seq));
    },
  };
  return { feed, codecs, methods };
}
