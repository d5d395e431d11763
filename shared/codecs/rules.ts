// Which codec reads which topic: an ordered list of (MQTT filter → codec) rules, first match wins,
// then "auto". Saved as one document so the choice is remembered across runs.
import { topicMatches, validateTopicFilter } from '../mqtt/topic';
import { CODEC_IDS, WRAPS, type CodecChoice, type CodecRule } from './types';

export interface CodecSettings {
  rules: CodecRule[];
  /** The user's .proto text (may hold several files' messages); '' when none. */
  protoText: string;
}

export const EMPTY_CODEC_SETTINGS: CodecSettings = { rules: [], protoText: '' };
const AUTO: CodecChoice = { codec: 'auto' };

export function choiceFor(rules: readonly CodecRule[], topic: string): CodecChoice {
  for (const r of rules) if (topicMatches(r.pattern, topic)) return r;
  return AUTO;
}

/** Problems with a rule list, in plain words ('' when fine). */
export function checkRules(rules: readonly CodecRule[]): string {
  for (const [i, r] of rules.entries()) {
    const v = validateTopicFilter(r.pattern);
    if (v) return `rule ${i + 1} (${r.pattern || 'empty'}): ${v}`;
    if (!(CODEC_IDS as readonly string[]).includes(r.codec)) return `rule ${i + 1}: unknown codec ${r.codec}`;
    if (r.wrap && !(WRAPS as readonly string[]).includes(r.wrap)) return `rule ${i + 1}: unknown wrapper ${r.wrap}`;
    if (r.codec === 'protobuf' && !r.messageType) return `rule ${i + 1} (${r.pattern}): a Protobuf rule needs a message type`;
  }
  return '';
}
