import { applySynonyms, compileSynonyms, stem, tokenize, type SynonymRule } from './normalize.js';
import { SpellingCorrector } from './spelling.js';
import type { TrainingData } from './trainingData.js';

export interface Analysis {
  readonly tokens: readonly string[];
  readonly corrections: readonly { from: string; to: string }[];
  readonly synonyms: readonly { from: string; to: string }[];
  readonly stems: readonly string[];
}

/**
 * Text → stems, the same way for training examples and for customers' messages, except that
 * messages also get spelling correction (examples are assumed to be spelt as intended).
 */
export class TextAnalyzer {
  private readonly rules: Map<string, SynonymRule[]>;
  private readonly speller: SpellingCorrector;

  constructor(data: TrainingData) {
    this.rules = compileSynonyms(data.synonyms);
    // Misspellings are corrected only towards the vocabulary of topics: correcting towards small
    // talk or out-of-scope words turns unknown words ("leaking") into false matches ("leaving").
    const targets = new Map<string, number>();
    const count = (words: readonly string[]) => words.forEach((word) => targets.set(word, (targets.get(word) ?? 0) + 1));
    for (const { canonical, variants } of data.synonyms) [canonical, ...variants].forEach((phrase) => count(tokenize(phrase)));
    const known = new Set<string>();
    for (const intent of data.intents) {
      for (const example of intent.examples) {
        const tokens = tokenize(example);
        if (intent.kind === 'topic') count(tokens);
        tokens.forEach((token) => known.add(token));
      }
    }
    // "They're all mine" answers a walk-through's question: corrected to "mini", it matched a topic.
    for (const text of data.vocabulary ?? []) tokenize(text).forEach((token) => known.add(token));
    this.speller = new SpellingCorrector(targets, known, data.dictionary);
  }

  analyze(text: string, correct: boolean): Analysis {
    const raw = tokenize(text);
    const corrections: { from: string; to: string }[] = [];
    const tokens = raw.map((token) => {
      const fixed = correct ? this.speller.correct(token) : null;
      if (!fixed) return token;
      corrections.push({ from: token, to: fixed });
      return fixed;
    });
    const replaced = applySynonyms(tokens, this.rules);
    return { tokens: raw, corrections, synonyms: replaced.applied, stems: replaced.tokens.map(stem) };
  }
}
