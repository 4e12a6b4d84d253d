import type { RecognizerSettings } from '../content/types.js';
import { TextAnalyzer, type Analysis } from './analyzer.js';
import { charFeatures, orderFeatures, phraseCharFeatures, STOPWORDS, Vectorizer, wordFeatures, type FeatureOptions } from './features.js';
import { DEFAULT_LINEAR_OPTIONS, LinearEnsemble, type LinearModelOptions } from './linearModel.js';
import { SimilarityIndex } from './similarity.js';
import type { TrainingData } from './trainingData.js';
import { LinearSvm, type SvmOptions } from './linearSvm.js';

/** How the scores are built; the defaults were chosen by cross-validation (`npm run eval`). */
export interface RecognizerTuning extends FeatureOptions {
  /** Weight of the nearest example against the intent centroid in the similarity score. */
  readonly nearestWeight: number;
  /** Softmax temperature over similarities, and the weight of that share in their confidence. */
  readonly temperature: number;
  readonly shareWeight: number;
  /** Weight of the linear model's probability against the similarity confidence (0 = off). */
  readonly linearWeight: number;
  readonly linear: LinearModelOptions;
  /** When given, a linear SVM (order-independent, see linearSvm.ts) takes the softmax regression's place. */
  readonly svm?: SvmOptions;
}

export const DEFAULT_TUNING: RecognizerTuning = {
  functionWordWeight: 0.3,
  charNgrams: [3, 4],
  charNgramWeight: 1,
  wordOrder: false,
  crossWordChars: false,
  nearestWeight: 0.5,
  temperature: 0.05,
  shareWeight: 0.5,
  linearWeight: 0.7,
  linear: DEFAULT_LINEAR_OPTIONS,
};

export interface ScoredIntent {
  readonly intent: string;
  readonly confidence: number;
}

export interface Explanation extends Analysis {
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

/** Below this share of the threshold a message is treated as out of scope rather than unsure. */
const UNSURE_FLOOR = 0.5;
const CANDIDATES_KEPT = 5;

/**
 * The intent recogniser: normalise → correct → synonyms → stem (TextAnalyzer), TF-IDF features
 * (Vectorizer), nearest-example and centroid similarity (SimilarityIndex) blended with a
 * softmax regression (LinearModel), then the threshold, ambiguity margin and None class decide.
 */
export class Recognizer {
  private readonly intentIds: string[];
  private readonly outOfScope: Set<string>;
  private readonly exampleText: string[] = [];
  private readonly analyzer: TextAnalyzer;
  private readonly vectorizer: Vectorizer;
  private readonly similarity: SimilarityIndex;
  private readonly linear?: LinearEnsemble | LinearSvm;

  constructor(
    data: TrainingData,
    readonly settings: RecognizerSettings,
    private readonly tuning: RecognizerTuning = DEFAULT_TUNING,
  ) {
    this.intentIds = data.intents.map((intent) => intent.id);
    this.outOfScope = new Set(data.intents.filter((intent) => intent.kind === 'out_of_scope').map((intent) => intent.id));
    this.analyzer = new TextAnalyzer(data);

    const exampleIntent: number[] = [];
    const words: string[][] = [];
    const chars: string[][] = [];
    data.intents.forEach((intent, intentIndex) => {
      for (const example of intent.examples) {
        const analysis = this.analyzer.analyze(example, false);
        words.push(wordFeatures(analysis.stems));
        chars.push(this.linearOnlyFeatures(analysis));
        exampleIntent.push(intentIndex);
        this.exampleText.push(example);
      }
    });
    this.vectorizer = new Vectorizer(
      words.map((doc, index) => [...doc, ...(chars[index] ?? [])]),
      tuning,
    );
    this.similarity = new SimilarityIndex(exampleIntent, words.map((doc) => this.vectorizer.vectorize(doc)), this.intentIds.length, tuning.nearestWeight);
    if (tuning.linearWeight > 0) {
      const examples = words.map((doc, index) => ({ features: this.vectorizer.vectorize([...doc, ...(chars[index] ?? [])]), label: exampleIntent[index] ?? 0 }));
      this.linear = tuning.svm ? new LinearSvm(this.intentIds.length, examples, tuning.svm) : new LinearEnsemble(this.intentIds.length, examples, tuning.linear);
    }
  }

  recognize(text: string): Recognition {
    const analysis = this.analyzer.analyze(text, true);
    const words = wordFeatures(analysis.stems);
    const query = this.vectorizer.vectorize(words);
    const { coverage, unknown } = this.coverageOf(analysis);
    const { similarity, nearestExample } = this.similarity.score(query);

    const scaled = Array.from(similarity, (value) => value * coverage);
    const share = softmax(scaled, this.tuning.temperature);
    const { shareWeight, linearWeight } = this.tuning;
    const probabilities = this.linear?.probabilities(this.vectorizer.vectorize([...words, ...this.linearOnlyFeatures(analysis)]));
    const calibration = this.settings.calibration;
    const ranked = this.intentIds
      .map((intent, index) => {
        const fromSimilarity = (scaled[index] ?? 0) ** (1 - shareWeight) * (share[index] ?? 0) ** shareWeight;
        const fromLinear = (probabilities?.[index] ?? 0) * coverage;
        return { intent, index, score: linearWeight * fromLinear + (1 - linearWeight) * fromSimilarity };
      })
      .filter((candidate) => candidate.score > 0)
      .sort((a, b) => b.score - a.score)
      .map((candidate) => ({ ...candidate, confidence: calibration ? platt(candidate.score, calibration) : candidate.score }));

    const top = ranked[0];
    const example = top ? this.exampleText[nearestExample[top.index] ?? -1] : undefined;
    const explanation: Explanation = {
      ...analysis,
      unknown,
      coverage,
      matched: example ? sharedFeatures(query, wordFeatures(this.analyzer.analyze(example, false).stems)) : [],
      ...(example ? { nearestExample: example } : {}),
    };
    const candidates = ranked.slice(0, CANDIDATES_KEPT).map(({ intent, confidence }) => ({ intent, confidence }));
    return { ...this.decide(candidates), candidates, explanation };
  }

  private decide(candidates: readonly ScoredIntent[]): { verdict: Verdict; intent?: string; confidence: number } {
    const [first, second] = candidates;
    // A topic and "not covered" too close to call ("itunes says iphone could not be restored"): the
    // closest topics are offered, neither a walk-through started nor a refusal given.
    const againstOutOfScope = first && second && this.outOfScope.has(first.intent) !== this.outOfScope.has(second.intent);
    if (againstOutOfScope && first.confidence >= this.settings.threshold && first.confidence - second.confidence < this.settings.ambiguityMargin) {
      return { verdict: 'unsure', confidence: first.confidence };
    }
    if (!first || this.outOfScope.has(first.intent) || first.confidence < this.settings.threshold * UNSURE_FLOOR) {
      return { verdict: 'out_of_scope', confidence: first?.confidence ?? 0 };
    }
    if (first.confidence < this.settings.threshold) return { verdict: 'unsure', confidence: first.confidence };
    if (second && !this.outOfScope.has(second.intent) && first.confidence - second.confidence < this.settings.ambiguityMargin) {
      return { verdict: 'ambiguous', intent: first.intent, confidence: first.confidence };
    }
    return { verdict: 'match', intent: first.intent, confidence: first.confidence };
  }

  /** Features the linear model weighs but the similarity index leaves out (they would swamp its cosine). */
  private linearOnlyFeatures(analysis: Analysis): string[] {
    const { charNgrams, wordOrder, crossWordChars } = this.tuning;
    return [
      ...charFeatures(analysis.tokens, charNgrams),
      ...(crossWordChars ? phraseCharFeatures(analysis.tokens, charNgrams) : []),
      ...(wordOrder ? orderFeatures(analysis.stems) : []),
    ];
  }

  /** Unknown words count against a match in proportion to how rare (informative) they would be. */
  private coverageOf(analysis: Analysis): { coverage: number; unknown: string[] } {
    let known = 0;
    let total = 0;
    const unknown: string[] = [];
    analysis.stems.forEach((stemmed, index) => {
      const idf = this.vectorizer.idfOf(stemmed);
      const token = analysis.tokens[index] ?? stemmed;
      if (idf === undefined && STOPWORDS.has(token)) return;
      total += idf ?? this.vectorizer.unknownIdf;
      if (idf === undefined) unknown.push(token);
      else known += idf;
    });
    return { coverage: total === 0 ? 0 : known / total, unknown };
  }
}

export const platt = (score: number, { slope, intercept }: { slope: number; intercept: number }): number => 1 / (1 + Math.exp(-(slope * score + intercept)));

function softmax(values: readonly number[], temperature: number): number[] {
  const top = Math.max(...values);
  const exps = values.map((value) => Math.exp((value - top) / temperature));
  const sum = exps.reduce((total, value) => total + value, 0);
  return exps.map((value) => value / sum);
}

const sharedFeatures = (query: ReadonlyMap<string, number>, example: readonly string[]): string[] => {
  const inExample = new Set(example);
  return [...query.keys()].filter((feature) => inExample.has(feature));
};
