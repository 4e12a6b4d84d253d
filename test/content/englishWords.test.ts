import { describe, expect, it } from 'vitest';
import { englishWords } from '../../src/content/englishWords.js';

describe('English words', () => {
  it('holds the single-word lemmas of WordNet, and no typo or compound', () => {
    const words = englishWords();
    expect(words.size).toBeGreaterThan(80_000);
    for (const word of ['least', 'ancient', 'meanwhile', 'restore', 'backup']) expect(words.has(word), word).toBe(true);
    for (const typo of ['resotre', 'bakup', 'iclod', 'storge', 'ice_cream']) expect(words.has(typo), typo).toBe(false);
  });

  it('reads the files once per process', () => {
    expect(englishWords()).toBe(englishWords());
  });
});
