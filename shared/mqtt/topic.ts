// Topic names, topic filters and shared subscriptions (MQTT 5.0 §4.7, §4.8.2; 3.1.1 §4.7).
// Rule ids follow MQTT 5.0 numbering; 3.1.1 has the same rules (its 4.7.1-2/-3 are 5.0's 4.7.1-1/-2).
import { hasLoneSurrogate, utf8Length } from '../util/utf8';

const SHARE_PREFIX = '$share/';
const MAX_BYTES = 65535;

export interface SharedFilter {
  /** The ShareName between "$share/" and the next "/". */
  group: string;
  /** The topic filter after the ShareName. */
  filter: string;
}

/**
 * Splits "$share/<group>/<filter>". Returns null for a filter that is not a shared subscription,
 * and also for a malformed one ("$share/g" with no filter) so callers fall back to plain matching;
 * validateTopicFilter explains what is wrong with it.
 */
export function parseSharedFilter(filter: string): SharedFilter | null {
  if (!filter.startsWith(SHARE_PREFIX)) return null;
  const slash = filter.indexOf('/', SHARE_PREFIX.length);
  if (slash < 0) return null;
  return { group: filter.slice(SHARE_PREFIX.length, slash), filter: filter.slice(slash + 1) };
}

/**
 * Does `filter` match `topic`? A shared filter matches with its inner filter: which member of the
 * group receives the message is the broker's choice, not a matching rule.
 */
export function topicMatches(filter: string, topic: string): boolean {
  const shared = parseSharedFilter(filter);
  const f = shared ? shared.filter : filter;
  // [MQTT-4.7.2-1] Wildcards at the first level do not match topics starting with '$'.
  if (topic.startsWith('$') && (f.startsWith('+') || f.startsWith('#'))) return false;

  let fi = 0;
  let ti = 0;
  for (;;) {
    const fEnd = indexOrEnd(f, fi);
    const level = f.slice(fi, fEnd);
    if (level === '#') return true; // also matches the parent level: "a/#" matches "a" [§4.7.1.2]
    if (ti > topic.length) {
      // The topic ran out of levels while the filter has more.
      return false;
    }
    const tEnd = indexOrEnd(topic, ti);
    if (level !== '+' && level !== topic.slice(ti, tEnd)) return false;
    const fDone = fEnd >= f.length;
    const tDone = tEnd >= topic.length;
    if (fDone && tDone) return true;
    if (fDone) return false;
    fi = fEnd + 1;
    // When the topic is done, mark it as exhausted; only a trailing '#' can still match.
    ti = tDone ? topic.length + 1 : tEnd + 1;
  }
}

function indexOrEnd(s: string, from: number): number {
  const i = s.indexOf('/', from);
  return i < 0 ? s.length : i;
}

/** Problems every topic string shares: length and encoding. */
function commonProblem(s: string, what: string): string | null {
  if (s.length === 0) return `${what} must not be empty [MQTT-4.7.3-1]`;
  if (s.includes('\u0000')) return `${what} must not contain U+0000 [MQTT-4.7.3-2]`;
  if (hasLoneSurrogate(s)) return `${what} is not valid UTF-8 (unpaired surrogate) [MQTT-1.5.4-1]`;
  const n = utf8Length(s);
  if (n > MAX_BYTES) return `${what} is ${n} bytes in UTF-8, more than 65535 [MQTT-4.7.3-3]`;
  return null;
}

/** An error message for an invalid topic name (what PUBLISH carries), or null when it is valid. */
export function validateTopicName(name: string): string | null {
  const p = commonProblem(name, 'topic name');
  if (p) return p;
  // [MQTT-3.3.2-2] [MQTT-4.7.0-1]
  if (name.includes('+') || name.includes('#')) return "wildcards '+' and '#' are not allowed in a topic name [MQTT-3.3.2-2]";
  return null;
}

/** An error message for an invalid topic filter (what SUBSCRIBE carries), or null when it is valid. */
export function validateTopicFilter(filter: string): string | null {
  const p = commonProblem(filter, 'topic filter');
  if (p) return p;
  let inner = filter;
  if (filter.startsWith(SHARE_PREFIX)) {
    const rest = filter.slice(SHARE_PREFIX.length);
    const slash = rest.indexOf('/');
    const group = slash < 0 ? rest : rest.slice(0, slash);
    // [MQTT-4.8.2-1] the ShareName is at least one character.
    if (group.length === 0) return 'shared subscription needs a share name: $share/<name>/<filter> [MQTT-4.8.2-1]';
    // [MQTT-4.8.2-2] no '+' or '#' in the ShareName, and it is followed by '/' and a filter.
    if (group.includes('+') || group.includes('#')) return "share name must not contain '+' or '#' [MQTT-4.8.2-2]";
    if (slash < 0 || slash === rest.length - 1) return 'shared subscription needs a topic filter after the share name [MQTT-4.8.2-2]';
    inner = rest.slice(slash + 1);
  }
  const levels = inner.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level.includes('#')) {
      // [MQTT-4.7.1-1] '#' stands alone in its level and is the last character of the filter.
      if (level !== '#') return "'#' must occupy a whole level, e.g. a/# [MQTT-4.7.1-1]";
      if (i !== levels.length - 1) return "'#' must be the last level of the filter [MQTT-4.7.1-1]";
    }
    // [MQTT-4.7.1-2] '+' occupies an entire level.
    if (level.includes('+') && level !== '+') return "'+' must occupy a whole level, e.g. a/+/c [MQTT-4.7.1-2]";
  }
  return null;
}

/** True when the filter has '+' or '#' (after any $share prefix). */
export function hasWildcard(filter: string): boolean {
  const inner = parseSharedFilter(filter)?.filter ?? filter;
  return inner.includes('+') || inner.includes('#');
}
