// Topic rules for the UI, in plain words: the checks are shared/mqtt/topic.ts (the same code core uses);
// this file only phrases them for a form.
import { topicMatches as sharedMatches, validateTopicFilter, validateTopicName } from '../../shared/mqtt/topic';

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Problem with a topic NAME (what PUBLISH carries), or null when it is fine. */
export function topicNameProblem(topic: string): string | null {
  if (topic.length === 0) return 'Topic is required';
  const p = validateTopicName(topic);
  return p ? sentence(p) : null;
}

/** Problem with a topic FILTER (what SUBSCRIBE carries), or null when it is fine. */
export function topicFilterProblem(filter: string): string | null {
  if (filter.length === 0) return 'Topic filter is required';
  const p = validateTopicFilter(filter);
  return p ? sentence(p) : null;
}

export const topicMatches = sharedMatches;
