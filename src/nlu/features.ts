import { stem } from './normalize.js';
import { stopwords } from './natural.js';

/**
 * Function words that still tell topics apart here ("which backup", "not listed", "how long",
 * "stop restoring") keep full weight; the rest of natural's English stop-word list is damped.
 */
const MEANINGFUL = new Set(['which', 'how', 'why', 'where', 'when', 'not', 'no', 'never', 'cannot', 'stop', 'again', 'other', 'another', 'same', 'more', 'most', 'only', 'still', 'before', 'after', 'during', 'long', 'over', 'off', 'up', 'out', 'each', 'few', 'all', 'three']);
export const STOPWORDS: ReadonlySet<string> = new Set(stopwords.filter((word) => !MEANINGFUL.has(word)));
const STOPWORD_STEMS = new Set([...STOPWORDS].map(stem));

export interface FeatureOptions {
  /** Weight of a feature made only of damped function words, relative to a content word's. */
  readonly functionWordWeight: number;
  /** Character n-gram lengths added for the linear model (typos, word forms); empty for none. */
  readonly charNgrams: readonly number[];
  readonly charNgramWeight: number;
  /** Word-order features for the linear model: the first stem's position and stems two apart. */
  readonly wordOrder: boolean;
  /** Character n-grams also across word boundaries ("t re", "p re"), function words included. */
  readonly crossWordChars: boolean;
}

/** Stems plus adjacent pairs: "not restor" and "restor slow" carry meaning single words miss. */
export function wordFeatures(stems: readonly string[]): string[] {
  const pairs = stems.slice(1).map((word, index) => `${stems[index]} ${word}`);
  return [...stems, ...pairs];
}

export function charFeatures(tokens: readonly string[], sizes: readonly number[]): string[] {
  const grams: string[] = [];
  for (const token of tokens) {
    if (STOPWORDS.has(token)) continue;
    const padded = `<${token}>`;
    for (const size of sizes) {
      for (let start = 0; start + size <= padded.length; start += 1) grams.push(`#${padded.slice(start, start + size)}`);
    }
  }
  return grams;
}

/**
 * Order that adjacent pairs miss: how a message opens ("how do…", "can i…" ask different things
 * than "…how") and pairs with one word between ("restor _ backup" in "restore my backup").
 */
export function orderFeatures(stems: readonly string[]): string[] {
  const skips = stems.slice(2).map((word, index) => `${stems[index]} _ ${word}`);
  return stems.length > 0 ? [`^${stems[0]}`, ...skips] : skips;
}

/** Character n-grams over the whole message, so they also span the gap between two words. */
export function phraseCharFeatures(tokens: readonly string[], sizes: readonly number[]): string[] {
  const padded = `<${tokens.join(' ')}>`;
  const grams: string[] = [];
  for (const size of sizes) {
    for (let start = 0; start + size <= padded.length; start += 1) {
      const gram = padded.slice(start, start + size);
      if (gram.includes(' ')) grams.push(`#${gram}`);
    }
  }
  return grams;
}

const isFunctionFeature = (feature: string): boolean =>
  !feature.startsWith('#') &&
  feature
    .replace(/^\^/, '')
    .split(' ')
    .every((part) => part === '_' || STOPWORD_STEMS.has(part));

/** TF-IDF weights learnt from the training examples; vectors are L2-normalised. */
export class Vectorizer {
  private readonly idf = new Map<string, number>();
  /** idf times the feature's damping, worked out once per known feature rather than per message. */
  private readonly weight = new Map<string, number>();
  readonly unknownIdf: number;

  constructor(documents: readonly (readonly string[])[], options: FeatureOptions) {
    const documentFrequency = new Map<string, number>();
    for (const doc of documents) new Set(doc).forEach((feature) => documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1));
    for (const [feature, df] of documentFrequency) {
      const idf = Math.log((documents.length + 1) / (df + 1)) + 1;
      const damping = feature.startsWith('#') ? options.charNgramWeight : isFunctionFeature(feature) ? options.functionWordWeight : 1;
      this.idf.set(feature, idf);
      this.weight.set(feature, idf * damping);
    }
    this.unknownIdf = Math.log(documents.length + 1) + 1;
  }

  idfOf(feature: string): number | undefined {
    return this.idf.get(feature);
  }

  vectorize(features: readonly string[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const feature of features) counts.set(feature, (counts.get(feature) ?? 0) + 1);
    const vector = new Map<string, number>();
    for (const [feature, count] of counts) {
      const weight = this.weight.get(feature);
      if (weight !== undefined) vector.set(feature, (1 + Math.log(count)) * weight);
    }
    return normalize(vector);
  }
}

export function normalize(vector: Map<string, number>): Map<string, number> {
  let norm = 0;
  for (const weight of vector.values()) norm += weight * weight;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [feature, weight] of vector) vector.set(feature, weight / norm);
  return vector;
}
