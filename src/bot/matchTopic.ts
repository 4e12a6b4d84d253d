import type { Intent } from '../content/types.js';

const wordsOf = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[_\W]+/g, ' ')
    .split(' ')
    .filter((word) => word.length > 2);

/**
 * The topic an agent named ("slow restore", "cannot_restore", "Restore is taking a long time"),
 * matched against intent ids and titles only: an agent's words never go through recognition.
 */
export function matchTopic(intents: readonly Intent[], named: string): string | undefined {
  const wanted = new Set(wordsOf(named));
  if (wanted.size === 0) return undefined;
  let best: { id: string; score: number } | undefined;
  for (const intent of intents.filter((candidate) => !candidate.action)) {
    for (const label of [intent.id, intent.title]) {
      const words = wordsOf(label);
      const shared = words.filter((word) => wanted.has(word)).length;
      const score = shared / new Set([...words, ...wanted]).size;
      if (shared > 0 && (!best || score > best.score)) best = { id: intent.id, score };
    }
  }
  return best && best.score >= 0.5 ? best.id : undefined;
}
