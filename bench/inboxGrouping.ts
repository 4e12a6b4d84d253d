import { parseArgs } from 'node:util';
import { loadContent } from '../src/content/load.js';
import { groupMessages } from '../src/insights/inbox.js';

/**
 * npx tsx bench/inboxGrouping.ts [--content DIR]
 *
 * How well the inbox's grouping by wording matches meaning, per similarity threshold: the kb's
 * held-out test questions (never trained on) are grouped as if the bot had failed them all, and
 * each pair of questions counts as put together rightly when both ask the same topic. Precision:
 * of the pairs grouped together, the share that share a topic; recall: of the pairs that share a
 * topic, the share grouped together. An inbox wants precision first (an agent assigns a whole
 * group to one topic), with groups few enough to read.
 */
const { values } = parseArgs({ options: { content: { type: 'string', default: '.' } } });
const content = loadContent(values.content);
const questions = content.intents.filter((intent) => !intent.action || intent.action === 'none').flatMap((intent) => intent.tests.map((text, index) => ({ text, topic: intent.id, index })));
const at = (index: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString();
const topicOf = new Map(questions.map((question) => [question.text, question.topic]));

console.log(`${questions.length} held-out questions over ${new Set(questions.map((question) => question.topic)).size} topics`);
console.log('similarity  groups  pairwise-precision  pairwise-recall  singletons');
for (const similarity of [0.2, 0.25, 0.3, 0.34, 0.4, 0.5, 0.6]) {
  const items = questions.map((question, index) => ({ text: question.text, at: at(index), why: 'unsure' as const }));
  const { groups } = groupMessages(items, { similarity, maxGroups: 10_000, maxExamples: 10_000 });
  let together = 0;
  let right = 0;
  for (const group of groups) {
    const topics = group.examples.map((text) => topicOf.get(text));
    for (let a = 0; a < topics.length; a += 1) for (let b = a + 1; b < topics.length; b += 1) {
      together += 1;
      if (topics[a] === topics[b]) right += 1;
    }
  }
  const byTopic = new Map<string, number>();
  for (const question of questions) byTopic.set(question.topic, (byTopic.get(question.topic) ?? 0) + 1);
  const sameTopicPairs = [...byTopic.values()].reduce((sum, count) => sum + (count * (count - 1)) / 2, 0);
  const singletons = groups.filter((group) => group.count === 1).length;
  console.log(`${similarity.toFixed(2).padStart(10)}  ${String(groups.length).padStart(6)}  ${(together ? right / together : 1).toFixed(3).padStart(18)}  ${(right / sameTopicPairs).toFixed(3).padStart(15)}  ${String(singletons).padStart(10)}`);
}
