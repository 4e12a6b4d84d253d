import path from 'node:path';
import { BenchmarkDataError, parseCsv, readText } from './datasets.js';

/** What the bot decided for one test item; null on either side means out of scope. */
export interface Outcome {
  readonly expected: string | null;
  readonly predicted: string | null;
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
const same = (outcome: Outcome): boolean => outcome.expected === outcome.predicted;

/** Share of items whose decision is the expected label (out of scope counts as a label). */
export const accuracy = (outcomes: readonly Outcome[]): number => ratio(outcomes.filter(same).length, outcomes.length);

/** Share of in-scope items answered with the right intent; a refusal counts as wrong. */
export const inScopeAccuracy = (outcomes: readonly Outcome[]): number => accuracy(outcomes.filter((outcome) => outcome.expected !== null));

export const outOfScopeRecall = (outcomes: readonly Outcome[]): number => accuracy(outcomes.filter((outcome) => outcome.expected === null));

/** z of a two-sided 95 % interval. */
const Z_95 = 1.96;

/**
 * Lower end of the Wilson score interval (95 %) of a proportion measured on `count` items: what
 * the proportion is at least, allowing for how few items measured it (100 out-of-scope questions
 * in CLINC150's validation split leave ±9 points either way).
 */
export function wilsonLowerBound(proportion: number, count: number): number {
  if (count === 0) return 0;
  const z2 = Z_95 * Z_95;
  const centre = proportion + z2 / (2 * count);
  const spread = Z_95 * Math.sqrt((proportion * (1 - proportion)) / count + z2 / (4 * count * count));
  return Math.max(0, (centre - spread) / (1 + z2 / count));
}

/**
 * Micro-averaged F1 over every label, out of scope ("None") included, as the Botfuel and NLP.js
 * tables score Braun et al. 2017. Micro precision sums true positives over all predictions and
 * micro recall over all expectations; every item has exactly one of each, so both (and F1) equal
 * accuracy, which is how NLP.js reports it (254/273 correct = 0.93).
 */
export const microF1 = (outcomes: readonly Outcome[]): number => accuracy(outcomes);

/**
 * Multi-class Matthews correlation (Gorodkin 2004, R_K), as sklearn's `matthews_corrcoef`
 * computes it and as HINT3 scores its test sets: out of scope is one more class. With c correct
 * items out of s, t_k items expected and p_k predicted in class k:
 * (c·s − Σ p_k·t_k) / √((s² − Σ p_k²)(s² − Σ t_k²)), and 0 when a factor is 0.
 */
export function mcc(outcomes: readonly Outcome[]): number {
  const expected = new Map<string | null, number>();
  const predicted = new Map<string | null, number>();
  for (const { expected: truth, predicted: guess } of outcomes) {
    expected.set(truth, (expected.get(truth) ?? 0) + 1);
    predicted.set(guess, (predicted.get(guess) ?? 0) + 1);
  }
  const s = outcomes.length;
  const c = outcomes.filter(same).length;
  let products = 0;
  for (const [label, count] of predicted) products += count * (expected.get(label) ?? 0);
  const squares = (counts: Map<string | null, number>) => [...counts.values()].reduce((sum, count) => sum + count * count, 0);
  const denominator = Math.sqrt((s * s - squares(predicted)) * (s * s - squares(expected)));
  return denominator === 0 ? 0 : (c * s - products) / denominator;
}

/** One row of benchdata's published_scores.csv. */
export interface PublishedScore {
  readonly dataset: string;
  readonly subset: string;
  readonly system: string;
  readonly metric: string;
  readonly value: number;
  readonly source: string;
  readonly notes: string;
}

const COLUMNS = ['dataset', 'subset', 'system', 'metric', 'value', 'source', 'notes'] as const;

export function parsePublishedScores(text: string, file = 'published_scores.csv'): PublishedScore[] {
  const [header = [], ...rows] = parseCsv(text);
  const position = COLUMNS.map((column) => header.indexOf(column));
  const missing = COLUMNS.filter((_, index) => (position[index] ?? -1) < 0);
  if (missing.length > 0) throw new BenchmarkDataError(`${file}: missing column(s) ${missing.join(', ')}`);
  return rows.map((row, index) => {
    const [dataset, subset, system, metric, value, source, notes] = position.map((column) => row[column] ?? '');
    const number = Number(value);
    if (value === '' || !Number.isFinite(number)) throw new BenchmarkDataError(`${file}: record ${index + 2} has value "${value}", not a number`);
    return { dataset: dataset ?? '', subset: subset ?? '', system: system ?? '', metric: metric ?? '', value: number, source: source ?? '', notes: notes ?? '' };
  });
}

export const readPublishedScores = (dataDir: string): PublishedScore[] => {
  const file = path.join(dataDir, 'published_scores.csv');
  return parsePublishedScores(readText(file), file);
};
