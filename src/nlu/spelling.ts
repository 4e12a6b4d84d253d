import { DamerauLevenshteinDistance, stopwords } from './natural.js';

/** Shortest word worth correcting: shorter ones are too often real words one edit from another. */
const MIN_LENGTH = 4;
/** Words at least this long may be two edits away (with the same first letter). */
const TWO_EDIT_LENGTH = 7;
const CACHE_LIMIT = 5000;
/** Function words ("they"), which no dictionary of content words holds, are never typos either. */
const FUNCTION_WORDS: ReadonlySet<string> = new Set(stopwords);

/**
 * Corrects words the knowledge base never uses towards ones it does ("resotre" → "restore").
 * Ties go to the more frequent word; unknown words with no close match, and English words,
 * stay as they are.
 */
export class SpellingCorrector {
  /** Candidates by first letter and length: a typo rarely changes the first letter, and this keeps a search to a few dozen words. */
  private readonly buckets = new Map<string, { word: string; count: number }[]>();
  private readonly cache = new Map<string, string | null>();

  /**
   * @param counts words to correct towards, with how often the knowledge base uses them
   * @param known every word the recogniser has seen, which is never "corrected"
   * @param english English words, never "corrected" either ("least" is no typo of "last")
   */
  constructor(
    private readonly counts: ReadonlyMap<string, number>,
    private readonly known: ReadonlySet<string>,
    private readonly english: ReadonlySet<string> = new Set(),
  ) {
    for (const [word, count] of counts) {
      if (word.length < MIN_LENGTH - 1 || /\d/.test(word)) continue;
      const key = bucketKey(word[0] ?? '', word.length);
      const bucket = this.buckets.get(key) ?? [];
      bucket.push({ word, count });
      this.buckets.set(key, bucket);
    }
  }

  knows(word: string): boolean {
    return this.counts.has(word) || this.known.has(word) || this.english.has(word) || FUNCTION_WORDS.has(word);
  }

  correct(word: string): string | null {
    if (this.knows(word) || word.length < MIN_LENGTH || /\d/.test(word)) return null;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const best = this.search(word);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, best);
    return best;
  }

  private search(word: string): string | null {
    const maxEdits = word.length >= TWO_EDIT_LENGTH ? 2 : 1;
    let best: { word: string; count: number; distance: number } | null = null;
    for (let length = word.length - maxEdits; length <= word.length + maxEdits; length += 1) {
      for (const candidate of this.buckets.get(bucketKey(word[0] ?? '', length)) ?? []) {
        const distance = DamerauLevenshteinDistance(word, candidate.word);
        if (distance > maxEdits) continue;
        if (!best || distance < best.distance || (distance === best.distance && candidate.count > best.count)) {
          best = { ...candidate, distance };
        }
      }
    }
    return best?.word ?? null;
  }
}

const bucketKey = (first: string, length: number): string => `${first}:${length}`;
