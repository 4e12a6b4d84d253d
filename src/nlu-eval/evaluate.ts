import { mulberry32, shuffle } from '../nlu/linearModel.js';
import type { Recognition, Recognizer } from '../nlu/recognizer.js';
import type { TrainingData, TrainingIntent } from '../nlu/trainingData.js';

/** One labelled question: `expected` is an intent id, or null for out of scope. */
export interface LabelledQuestion {
  readonly text: string;
  readonly expected: string | null;
}

export interface Prediction extends LabelledQuestion {
  readonly recognition: Recognition;
}

/** What the bot would do with a recognition at a given threshold: an intent id, or null (fallback). */
export function decision(recognition: Recognition, threshold: number, outOfScope: ReadonlySet<string>): string | null {
  const top = recognition.candidates[0];
  if (!top || outOfScope.has(top.intent) || top.confidence < threshold) return null;
  return top.intent;
}

/**
 * Stratified k-fold split of every intent's examples; each fold trains on the rest. `outside`
 * questions (never trained on) are shared out over the folds too, so their scores come from models
 * of the same size as the held-out examples' scores and a threshold can be chosen on both alike.
 */
export function crossValidate(data: TrainingData, folds: number, train: (data: TrainingData) => Recognizer, outside: readonly LabelledQuestion[] = []): Prediction[] {
  const predictions: Prediction[] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const held = (index: number) => index % folds === fold;
    const training: TrainingIntent[] = data.intents.map((intent) => ({ ...intent, examples: intent.examples.filter((_, index) => !held(index)) }));
    const recognizer = train({ ...data, intents: training });
    for (const intent of data.intents) {
      intent.examples.forEach((text, index) => {
        if (!held(index)) return;
        predictions.push({ text, expected: intent.kind === 'out_of_scope' ? null : intent.id, recognition: recognizer.recognize(text) });
      });
    }
    outside.forEach((question, index) => {
      if (held(index)) predictions.push({ ...question, recognition: recognizer.recognize(question.text) });
    });
  }
  return predictions;
}

/**
 * `repeats` stratified k-fold runs pooled: the first with crossValidate's own folds, each other one
 * with every intent's examples in a seeded shuffled order, so they fall into other folds. One run
 * on 30-100 examples scores a choice in steps of one example, and which examples share a fold
 * decides ties; pooling runs (repeated cross-validation, Kim 2009) lowers that noise. `seed` picks
 * the shuffles, so a benchmark's runs show the spread the folds cause.
 */
export function repeatedCrossValidate(data: TrainingData, folds: number, repeats: number, train: (data: TrainingData) => Recognizer, seed = 0): Prediction[] {
  return Array.from({ length: repeats }, (_, run) => crossValidate(run === 0 ? data : shuffledExamples(data, seed * repeats + run), folds, train)).flat();
}

function shuffledExamples(data: TrainingData, seed: number): TrainingData {
  const random = mulberry32(seed);
  const intents = data.intents.map((intent) => {
    const order = intent.examples.map((_, index) => index);
    shuffle(order, random);
    return { ...intent, examples: order.map((index) => intent.examples[index] as string) };
  });
  return { ...data, intents };
}

export interface IntentScore {
  readonly intent: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface Report {
  readonly questions: number;
  readonly inScopeAccuracy: number;
  readonly outOfScopeRecall: number;
  readonly outOfScopePrecision: number;
  readonly perIntent: readonly IntentScore[];
  readonly confusions: readonly { expected: string; predicted: string; count: number }[];
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
const OUT = '(out of scope)';

export function report(predictions: readonly Prediction[], threshold: number, outOfScope: ReadonlySet<string>): Report {
  const decided = predictions.map((prediction) => ({ ...prediction, predicted: decision(prediction.recognition, threshold, outOfScope) }));
  const inScope = decided.filter((item) => item.expected !== null);
  const oos = decided.filter((item) => item.expected === null);
  const rejected = decided.filter((item) => item.predicted === null);
  const labels = [...new Set(inScope.map((item) => item.expected as string))].sort();
  const perIntent = labels.map((intent) => {
    const truePositive = decided.filter((item) => item.expected === intent && item.predicted === intent).length;
    const predicted = decided.filter((item) => item.predicted === intent).length;
    const support = decided.filter((item) => item.expected === intent).length;
    const precision = ratio(truePositive, predicted);
    const recall = ratio(truePositive, support);
    return { intent, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const pairs = new Map<string, number>();
  for (const item of decided) {
    if (item.expected === item.predicted) continue;
    const key = `${item.expected ?? OUT}\u0000${item.predicted ?? OUT}`;
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
  }
  const confusions = [...pairs]
    .map(([key, count]) => {
      const [expected = '', predicted = ''] = key.split('\u0000');
      return { expected, predicted, count };
    })
    .sort((a, b) => b.count - a.count);
  return {
    questions: decided.length,
    inScopeAccuracy: ratio(inScope.filter((item) => item.predicted === item.expected).length, inScope.length),
    outOfScopeRecall: ratio(oos.filter((item) => item.predicted === null).length, oos.length),
    outOfScopePrecision: ratio(rejected.filter((item) => item.expected === null).length, rejected.length),
    perIntent,
    confusions,
  };
}

export interface SweepPoint {
  readonly threshold: number;
  /** Share of in-scope questions the bot answers at all. */
  readonly coverage: number;
  /** Share of answered in-scope questions answered with the right intent. */
  readonly precision: number;
  readonly inScopeAccuracy: number;
  readonly outOfScopeRecall: number;
}

export function sweep(predictions: readonly Prediction[], outOfScope: ReadonlySet<string>, step = 0.025): SweepPoint[] {
  const points: SweepPoint[] = [];
  for (let threshold = 0; threshold <= 1 + 1e-9; threshold += step) {
    const decided = predictions.map((prediction) => ({ ...prediction, predicted: decision(prediction.recognition, threshold, outOfScope) }));
    const inScope = decided.filter((item) => item.expected !== null);
    const answered = inScope.filter((item) => item.predicted !== null);
    const right = answered.filter((item) => item.predicted === item.expected).length;
    const oos = decided.filter((item) => item.expected === null);
    points.push({
      threshold: Math.round(threshold * 1000) / 1000,
      coverage: ratio(answered.length, inScope.length),
      precision: ratio(right, answered.length),
      inScopeAccuracy: ratio(right, inScope.length),
      outOfScopeRecall: ratio(oos.filter((item) => item.predicted === null).length, oos.length),
    });
  }
  return points;
}

/**
 * The recommended threshold maximises the mean of in-scope accuracy and out-of-scope recall
 * (both matter to a customer: a wrong answer and a missed refusal cost the same); ties go to the
 * lower threshold, which answers more.
 */
export function recommend(points: readonly SweepPoint[]): SweepPoint | undefined {
  return points.reduce<SweepPoint | undefined>((best, point) => {
    const score = (point.inScopeAccuracy + point.outOfScopeRecall) / 2;
    return !best || score > (best.inScopeAccuracy + best.outOfScopeRecall) / 2 + 1e-9 ? point : best;
  }, undefined);
}
