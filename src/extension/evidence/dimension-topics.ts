import type { Dimension } from '../../core/rubric';
import type { EvidenceTopic } from '../../protocol/server/evidence';

/**
 * Which dimensions of a rubric a topic of evidence belongs under, read from the rubric's own words (rubrics are data:
 * a grader's rubric may name its dimensions differently). Each topic has the words that name it; a dimension's score
 * for a topic counts those words in its title (×3), description (×2) and guidance (×1). A topic goes under the
 * dimensions scoring at least half the best score; a topic no dimension names goes under none (the form lists it once,
 * after the dimensions, and asks for the dimension when it is added).
 *
 * On the benchmark's rubric: the plan under "Invariant clarity and plan quality"; incident tests, test fates and test
 * results under "Correctness proof and incident preservation"; tests that reach only test doubles under that and "End-to-
 * end wiring" (both penalise tests that skip the production path); stubs and shims under "No stubs or parallel authority".
 */
export const TOPIC_WORDS: Record<EvidenceTopic, RegExp> = {
  'incident-tests': /\bincidents?\b|\bregressions?\b/gi,
  tests: /\btests?\b|\bincidents?\b|\bregressions?\b|\bparity\b/gi,
  'test-doubles': /\bproduction path\b|\btest doubles?\b|\bmocks?\b/gi,
  'test-results': /\bgreen\b|\bpass(?:es|ed|ing)?\b|\bfail(?:s|ed|ing|ures?)?\b/gi,
  stubs: /\bstubs?\b|\bshims?\b|\bparallel\b|\blegacy\b|\bsurviving\b|\bold write paths?\b/gi,
  plan: /\bplan\b|\binvariants?\b/gi,
};

const count = (text: string, words: RegExp): number => text.match(new RegExp(words.source, words.flags))?.length ?? 0;

export function topicScore(d: Dimension, topic: EvidenceTopic): number {
  const words = TOPIC_WORDS[topic];
  const guidance = [...d.guidance.rewards, ...d.guidance.penalises].join('\n');
  return 3 * count(d.title, words) + 2 * count(d.description, words) + count(guidance, words);
}

/** The dimension ids each topic goes under, in the rubric's order (empty: no dimension names it). */
export function dimensionsForTopics(dimensions: readonly Dimension[], topics: readonly EvidenceTopic[]): Map<EvidenceTopic, string[]> {
  const out = new Map<EvidenceTopic, string[]>();
  for (const topic of topics) {
    const scores = dimensions.map(d => ({ id: d.id, score: topicScore(d, topic) }));
    const best = Math.max(0, ...scores.map(s => s.score));
    out.set(topic, best === 0 ? [] : scores.filter(s => s.score * 2 >= best).map(s => s.id));
  }
  return out;
}
