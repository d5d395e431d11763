// Payload decoding for the UI, done in core where the bytes are: previews for the rows in view, the
// full text on demand, chart series. Here and not in the renderer because protobufjs compiles its
// decoders with `new Function`, which the renderer's Content-Security-Policy rightly forbids.
// The codec rules and the user's .proto are one saved document ("codecs").
import { choiceFor, checkRules, EMPTY_CODEC_SETTINGS, type CodecSettings } from '../../../shared/codecs/rules';
import { compactValue, compileProto, decodePayload, encodePayload, type CodecChoice, type ProtoSchema } from '../../../shared/codecs';
import { numberAt, numericPaths } from '../../../shared/codecs/fields';
import { toHex } from '../../../shared/mqtt/payload/hex';
import type { CodecSettingsInfo, PayloadPreview, TopicSeriesParams, TopicSeriesResult } from '../../../shared/contract/topics';
import type { DocStore } from '../docs/doc-store';
import type { TraceStore } from '../trace/trace-store';

export const CODECS_DOC = 'codecs';
const PREVIEW_CHARS = 160;
/** A preview reads at most this much of a payload (a 5 MB payload previews its start, as hex or text). */
const PREVIEW_BYTES = 64 * 1024;
const SERIES_SCAN = 200_000;

export class PayloadCodecs {
  private settings: CodecSettings = EMPTY_CODEC_SETTINGS;
  private proto: ProtoSchema | null = null;
  private loaded: Promise<void> | null = null;

  constructor(private store: TraceStore, private docs: DocStore) {}

  /** Reads the saved rules once; a damaged document leaves the defaults and says why. */
  ready(): Promise<void> {
    return (this.loaded ??= this.docs.get(CODECS_DOC).then((v) => {
      const s = v as Partial<CodecSettings> | null;
      if (!s) return;
      const rules = Array.isArray(s.rules) ? s.rules : [];
      const protoText = typeof s.protoText === 'string' ? s.protoText : '';
      if (checkRules(rules)) return;
      this.settings = { rules, protoText };
      try { this.proto = protoText ? compileProto(protoText) : null; } catch { this.proto = null; }
    }, () => {}));
  }

  info(): CodecSettingsInfo {
    return { ...this.settings, protoTypes: this.proto?.types ?? [] };
  }

  /** Validates (rules, .proto syntax, message types exist), then saves. Throws in plain words. */
  async set(next: CodecSettings): Promise<CodecSettingsInfo> {
    await this.ready();
    const problem = checkRules(next.rules);
    if (problem) throw new Error(problem);
    const proto = next.protoText.trim() ? compileProto(next.protoText) : null;
    for (const r of next.rules) {
      if (r.codec === 'protobuf' && !proto?.types.includes(r.messageType ?? '')) {
        throw new Error(`rule ${r.pattern}: message type "${r.messageType}" is not in the loaded .proto${proto ? ` (it has ${proto.types.join(', ')})` : ' (none loaded)'}`);
      }
    }
    await this.docs.set(CODECS_DOC, next);
    this.settings = { rules: next.rules, protoText: next.protoText };
    this.proto = proto;
    return this.info();
  }

  choiceFor(topic: string): CodecChoice {
    return choiceFor(this.settings.rules, topic);
  }

  preview(seq: number, full = false): PayloadPreview {
    const payload = this.store.payloadOf(seq);
    const topic = this.store.topicOf(seq) ?? '';
    if (!payload) return { seq, codec: '', text: '', size: 0, gone: true };
    return this.previewBytes(seq, topic, payload, full);
  }

  /** Preview of bytes not in the trace (a retained message in the broker); seq is -1. */
  previewBytes(seq: number, topic: string, payload: Uint8Array, full = false): PayloadPreview {
    const size = payload.length;
    const bytes = new Uint8Array(payload.buffer, payload.byteOffset, full ? size : Math.min(size, PREVIEW_BYTES));
    const cut = bytes.length < size;
    const choice = this.choiceFor(topic);
    const r = decodePayload(bytes, choice, topic, { proto: this.proto });
    if (r.ok) return { seq, codec: r.codec, text: full ? r.text : compactValue(r.value, PREVIEW_CHARS), size };
    // A preview of a cut payload fails for structured codecs only because it is cut: show hex, no error.
    const hex = toHex(full ? bytes : bytes.subarray(0, PREVIEW_CHARS / 3));
    if (cut) return { seq, codec: 'hex', text: hex, size };
    return { seq, codec: r.codec, text: hex, error: r.error, offset: r.offset, size };
  }

  /** Wire bytes for text typed in the publish editor, by the topic's codec (or the one given). */
  encode(topic: string, text: string, choice?: CodecChoice): Uint8Array {
    return encodePayload(text, choice ?? this.choiceFor(topic), topic, { proto: this.proto });
  }

  /** `counts` says whether a frame is the copy of a message that counts (see TopicFeed.counts). */
  series(p: TopicSeriesParams, counts: (seq: number) => boolean): TopicSeriesResult {
    const store = this.store;
    const limit = p.limit ?? 5000;
    const points: [number, number][] = [];
    let lastSeq = p.afterSeq ?? store.firstSeq - 1;
    let fields: string[] = [];
    const choice = this.choiceFor(p.topic);
    const from = Math.max(lastSeq + 1, store.firstSeq, store.nextSeq - SERIES_SCAN);
    for (let seq = from; seq < store.nextSeq && points.length < limit; seq++) {
      lastSeq = seq;
      if (store.topicOf(seq) !== p.topic) continue;
      if (!counts(seq)) continue;
      const f = store.summary(seq);
      if (!f) continue;
      const payload = store.payloadOf(seq);
      if (!payload) continue;
      const r = decodePayload(new Uint8Array(payload.buffer, payload.byteOffset, payload.length), choice, p.topic, { proto: this.proto });
      if (!r.ok) continue;
      fields = numericPaths(r.value, 50);
      const v = numberAt(r.value, p.field);
      if (v !== null) points.push([f.wallMs, v]);
    }
    return { points, lastSeq, fields };
  }
}
