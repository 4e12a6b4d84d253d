import type { RecognizerSettings } from '../content/types.js';
import { applySynonyms, compileSynonyms, stem, tokenize, type SynonymRule } from './normalize.js';
import { stopwords } from './natural.js';
import { SpellingCorrector } from './spelling.js';

export interface TrainingIntent {
  readonly id: string;
  readonly examples: readonly string[];
  /**
   * topic: knowledge the bot answers; conversation: small talk and commands; out_of_scope:
   * examples of what the bot does not cover, a real class as nlp.js treats "None".
   */
  readonly kind: 'topic' | 'conversation' | 'out_of_scope';
}

export interface TrainingData {
  readonly intents: readonly TrainingIntent[];
  readonly synonyms: readonly { canonical: string; variants: readonly string[] }[];
}

export interface ScoredIntent {
  readonly intent: string;
  readonly confidence: number;
}

export interface Explanation {
  readonly tokens: readonly string[];
  readonly corrections: readonly { from: string; to: string }[];
  readonly synonyms: readonly { from: string; to: string }[];
  readonly stems: readonly string[];
  readonly unknown: readonly string[];
  /** Share of the message's informative words that the knowledge base knows (0-1). */
  readonly coverage: number;
  readonly matched: readonly string[];
  readonly nearestExample?: string;
}

/**
 * match: one intent is clearly meant; ambiguous: the top two are too close to pick;
 * unsure: below the threshold but with plausible candidates; out_of_scope: no support in the KB.
 */
export type Verdict = 'match' | 'ambiguous' | 'unsure' | 'out_of_scope';

export interface Recognition {
  readonly verdict: Verdict;
  readonly intent?: string;
  readonly confidence: number;
  readonly candidates: readonly ScoredIntent[];
  readonly explanation: Explanation;
}

/** Weight of the best single example against the intent's centroid in an intent's score. */
const NEAREST_EXAMPLE_WEIGHT = 0.7;
/** Below this share of the threshold a message is treated as out of scope rather than unsure. */
const UNSURE_FLOOR = 0.5;
const CANDIDATES_KEPT = 5;
/**
 * Confidence blends the absolute similarity with the top intent's share of a softmax over all
 * intents (at this temperature), so a clear winner with a modest score still counts as sure.
 * Both values were picked by cross-validation on the KB (`npm run eval`).
 */
const TEMPERATURE = 0.05;
const SHARE_WEIGHT = 0.5;
/**
 * Function words that still tell topics apart here ("which backup", "not listed", "how long",
 * "stop restoring") are kept at full weight; the rest of natural's English list is damped.
 */
const MEANINGFUL = new Set(['which', 'how', 'why', 'where', 'when', 'not', 'no', 'never', 'cannot', 'stop', 'again', 'other', 'another', 'same', 'more', 'most', 'only', 'still', 'before', 'after', 'during', 'long', 'over', 'off', 'up', 'out', 'each', 'few', 'all', 'three']);
const STOPWORDS = new Set(stopwords.filter((word) => !MEANINGFUL.has(word)));
const STOPWORD_STEMS = new Set([...STOPWORDS].map(stem));
/** Weight of a feature made only of damped function words, relative to a content word's. */
const FUNCTION_WORD_WEIGHT = 0.3;

type SparseVector = Map<string, number>;
interface Posting {
  readonly index: number;
  readonly weight: number;
}

interface Analysis {
  tokens: string[];
  corrections: { from: string; to: string }[];
  synonyms: { from: string; to: string }[];
  stems: string[];
}

export class Recognizer {
  private readonly intentIds: string[];
  private readonly outOfScope: Set<string>;
  private readonly exampleIntent: number[] = [];
  private readonly exampleText: string[] = [];
  private readonly examplePostings = new Map<string, Posting[]>();
  private readonly centroidPostings = new Map<string, Posting[]>();
  private readonly idf = new Map<string, number>();
  private readonly unknownIdf: number;
  private readonly rules: Map<string, SynonymRule[]>;
  private readonly speller: SpellingCorrector;

  constructor(
    data: TrainingData,
    readonly settings: RecognizerSettings,
  ) {
    this.rules = compileSynonyms(data.synonyms);
    this.intentIds = data.intents.map((intent) => intent.id);
    this.outOfScope = new Set(data.intents.filter((intent) => intent.kind === 'out_of_scope').map((intent) => intent.id));

    // Misspellings are corrected only towards the vocabulary of topics: correcting towards small
    // talk or out-of-scope words turns unknown words ("leaking") into false matches ("leaving").
    const wordCounts = new Map<string, number>();
    const countWords = (words: readonly string[]) => words.forEach((word) => wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1));
    for (const { canonical, variants } of data.synonyms) [canonical, ...variants].forEach((phrase) => countWords(tokenize(phrase)));
    const known = new Set<string>();

    const documents: string[][] = [];
    data.intents.forEach((intent, intentIndex) => {
      for (const example of intent.examples) {
        const tokens = tokenize(example);
        if (intent.kind === 'topic') countWords(tokens);
        tokens.forEach((token) => known.add(token));
        documents.push(features(this.analyzeTokens(tokens).stems));
        this.exampleIntent.push(intentIndex);
        this.exampleText.push(example);
      }
    });
    this.speller = new SpellingCorrector(wordCounts, known);

    const documentFrequency = new Map<string, number>();
    for (const doc of documents) new Set(doc).forEach((feature) => documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1));
    for (const [feature, df] of documentFrequency) this.idf.set(feature, Math.log((documents.length + 1) / (df + 1)) + 1);
    this.unknownIdf = Math.log(documents.length + 1) + 1;

    const centroids = this.intentIds.map(() => new Map<string, number>());
    documents.forEach((doc, index) => {
      const vector = this.vectorize(doc);
      addPostings(this.examplePostings, vector, index);
      const centroid = centroids[this.exampleIntent[index] ?? 0];
      for (const [feature, weight] of vector) centroid?.set(feature, (centroid.get(feature) ?? 0) + weight);
    });
    centroids.forEach((centroid, index) => addPostings(this.centroidPostings, normalize(centroid), index));
  }

  recognize(text: string): Recognition {
    const analysis = this.analyzeTokens(tokenize(text), true);
    const query = this.vectorize(features(analysis.stems));
    const { coverage, unknown } = this.coverageOf(analysis);

    const nearest = new Float64Array(this.intentIds.length);
    const nearestExample = new Int32Array(this.intentIds.length).fill(-1);
    const exampleScores = dot(this.examplePostings, query, this.exampleText.length);
    exampleScores.forEach((score, example) => {
      const intent = this.exampleIntent[example] ?? 0;
      if (score > (nearest[intent] ?? 0)) {
        nearest[intent] = score;
        nearestExample[intent] = example;
      }
    });
    const centroidScores = dot(this.centroidPostings, query, this.intentIds.length);

    const similarity = this.intentIds.map(
      (_, index) => coverage * (NEAREST_EXAMPLE_WEIGHT * (nearest[index] ?? 0) + (1 - NEAREST_EXAMPLE_WEIGHT) * (centroidScores[index] ?? 0)),
    );
    const share = softmax(similarity, TEMPERATURE);
    const ranked = this.intentIds
      .map((intent, index) => ({
        intent,
        index,
        confidence: (similarity[index] ?? 0) ** (1 - SHARE_WEIGHT) * (share[index] ?? 0) ** SHARE_WEIGHT,
      }))
      .filter((candidate) => (similarity[candidate.index] ?? 0) > 0)
      .sort((a, b) => b.confidence - a.confidence);

    const top = ranked[0];
    const example = top ? this.exampleText[nearestExample[top.index] ?? -1] : undefined;
    const explanation: Explanation = {
      ...analysis,
      unknown,
      coverage,
      matched: example ? sharedFeatures(query, this.vectorize(features(this.analyzeTokens(tokenize(example)).stems))) : [],
      ...(example ? { nearestExample: example } : {}),
    };
    const candidates = ranked.slice(0, CANDIDATES_KEPT).map(({ intent, confidence }) => ({ intent, confidence }));
    return { ...this.decide(candidates), candidates, explanation };
  }

  private decide(candidates: readonly ScoredIntent[]): { verdict: Verdict; intent?: string; confidence: number } {
    const [first, second] = candidates;
    if (!first || this.outOfScope.has(first.intent) || first.confidence < this.settings.threshold * UNSURE_FLOOR) {
      return { verdict: 'out_of_scope', confidence: first?.confidence ?? 0 };
    }
    if (first.confidence < this.settings.threshold) return { verdict: 'unsure', confidence: first.confidence };
    if (second && !this.outOfScope.has(second.intent) && first.confidence - second.confidence < this.settings.ambiguityMargin) {
      return { verdict: 'ambiguous', intent: first.intent, confidence: first.confidence };
    }
    return { verdict: 'match', intent: first.intent, confidence: first.confidence };
  }

  private analyzeTokens(raw: readonly string[], correct = false): Analysis {
    const corrections: { from: string; to: string }[] = [];
    const tokens = raw.map((token) => {
      const fixed = correct ? this.speller.correct(token) : null;
      if (!fixed) return token;
      corrections.push({ from: token, to: fixed });
      return fixed;
    });
    const replaced = applySynonyms(tokens, this.rules);
    return { tokens: [...raw], corrections, synonyms: replaced.applied, stems: replaced.tokens.map(stem) };
  }

  private coverageOf(analysis: Analysis): { coverage: number; unknown: string[] } {
    let known = 0;
    let total = 0;
    const unknown: string[] = [];
    analysis.stems.forEach((stemmed, index) => {
      const idf = this.idf.get(stemmed);
      if (idf === undefined && STOPWORDS.has(analysis.tokens[index] ?? stemmed)) return;
      total += idf ?? this.unknownIdf;
      if (idf === undefined) unknown.push(analysis.tokens[index] ?? stemmed);
      else known += idf;
    });
    return { coverage: total === 0 ? 0 : known / total, unknown };
  }

  private vectorize(featureList: readonly string[]): SparseVector {
    const counts = new Map<string, number>();
    for (const feature of featureList) counts.set(feature, (counts.get(feature) ?? 0) + 1);
    const vector: SparseVector = new Map();
    for (const [feature, count] of counts) {
      const idf = this.idf.get(feature);
      if (idf !== undefined) vector.set(feature, (1 + Math.log(count)) * idf * (isFunctionFeature(feature) ? FUNCTION_WORD_WEIGHT : 1));
    }
    return normalize(vector);
  }
}

const isFunctionFeature = (feature: string): boolean => feature.split(' ').every((part) => STOPWORD_STEMS.has(part));

/** Stems plus adjacent pairs: "not restor" and "restor slow" carry meaning single words miss. */
function features(stems: readonly string[]): string[] {
  const pairs = stems.slice(1).map((word, index) => `${stems[index]} ${word}`);
  return [...stems, ...pairs];
}

function softmax(values: readonly number[], temperature: number): number[] {
  const top = Math.max(...values);
  const exps = values.map((value) => Math.exp((value - top) / temperature));
  const sum = exps.reduce((total, value) => total + value, 0);
  return exps.map((value) => value / sum);
}

function normalize(vector: SparseVector): SparseVector {
  let norm = 0;
  for (const weight of vector.values()) norm += weight * weight;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [feature, weight] of vector) vector.set(feature, weight / norm);
  return vector;
}

function addPostings(index: Map<string, Posting[]>, vector: SparseVector, owner: number): void {
  for (const [feature, weight] of vector) {
    const list = index.get(feature) ?? [];
    list.push({ index: owner, weight });
    index.set(feature, list);
  }
}

function dot(index: ReadonlyMap<string, readonly Posting[]>, query: SparseVector, size: number): Float64Array {
  const scores = new Float64Array(size);
  for (const [feature, weight] of query) {
    for (const posting of index.get(feature) ?? []) scores[posting.index] = (scores[posting.index] ?? 0) + weight * posting.weight;
  }
  return scores;
}

const sharedFeatures = (a: SparseVector, b: SparseVector): string[] => [...a.keys()].filter((feature) => b.has(feature));
