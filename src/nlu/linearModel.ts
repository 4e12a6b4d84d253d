/**
 * Multinomial logistic regression over sparse features, trained with plain SGD. Its softmax
 * output is a probability over intents, so thresholds on it mean the same thing on every dataset.
 */
export interface LinearModelOptions {
  readonly epochs: number;
  readonly learningRate: number;
  /** L2 penalty per update, applied to the weights an example touches. */
  readonly l2: number;
  readonly seed: number;
  /**
   * Models trained in different example orders whose probabilities are averaged: on small
   * training sets one order alone moves accuracy by points, the average by much less.
   */
  readonly members: number;
}

export const DEFAULT_LINEAR_OPTIONS: LinearModelOptions = { epochs: 12, learningRate: 2, l2: 1e-5, seed: 7, members: 1 };

/** Seeds of an ensemble's members: far apart, so no two members share an example order. */
const MEMBER_SEED_STEP = 7919;

/** The mean of `options.members` linear models' probabilities, each trained with its own seed. */
export class LinearEnsemble {
  private readonly models: LinearModel[];

  constructor(classes: number, examples: readonly { features: SparseVector; label: number }[], options: LinearModelOptions = DEFAULT_LINEAR_OPTIONS) {
    this.models = Array.from({ length: Math.max(1, options.members) }, (_, index) => new LinearModel(classes, examples, { ...options, seed: options.seed + index * MEMBER_SEED_STEP }));
  }

  probabilities(features: SparseVector): Float64Array {
    const [first, ...rest] = this.models.map((model) => model.probabilities(features));
    if (!first) throw new Error('a linear ensemble has at least one member');
    if (rest.length === 0) return first;
    for (const other of rest) first.forEach((value, label) => (first[label] = value + (other[label] ?? 0)));
    return first.map((value) => value / this.models.length);
  }
}

export type SparseVector = ReadonlyMap<string, number>;

/**
 * Features are numbered once and the weights kept in one flat array (feature × class): training
 * reads and writes by index instead of looking up a map per feature per example per epoch, which
 * made start-up training about twice as slow. The arithmetic and its order are unchanged, so the
 * same data trains exactly the same model.
 */
export class LinearModel {
  private readonly index = new Map<string, number>();
  private readonly weights: Float64Array;
  private readonly bias: Float64Array;

  constructor(
    private readonly classes: number,
    examples: readonly { features: SparseVector; label: number }[],
    options: LinearModelOptions = DEFAULT_LINEAR_OPTIONS,
  ) {
    this.bias = new Float64Array(classes);
    const encoded = examples.map((example) => this.encode(example.features));
    this.weights = new Float64Array(this.index.size * classes);
    const order = examples.map((_, position) => position);
    const random = mulberry32(options.seed);
    const gradient = new Float64Array(classes);
    const probabilities = new Float64Array(classes);
    for (let epoch = 0; epoch < options.epochs; epoch += 1) {
      shuffle(order, random);
      const rate = options.learningRate / (1 + epoch);
      const decay = 1 - rate * options.l2;
      for (const position of order) {
        const example = examples[position];
        const features = encoded[position];
        if (!example || !features) continue;
        this.softmax(features.ids, features.values, probabilities);
        for (let label = 0; label < classes; label += 1) gradient[label] = (probabilities[label] ?? 0) - (label === example.label ? 1 : 0);
        for (let at = 0; at < features.ids.length; at += 1) {
          const row = (features.ids[at] ?? 0) * classes;
          const value = features.values[at] ?? 0;
          for (let label = 0; label < classes; label += 1) {
            this.weights[row + label] = (this.weights[row + label] ?? 0) * decay - rate * (gradient[label] ?? 0) * value;
          }
        }
        for (let label = 0; label < classes; label += 1) this.bias[label] = (this.bias[label] ?? 0) - rate * (gradient[label] ?? 0);
      }
    }
  }

  probabilities(features: SparseVector): Float64Array {
    const ids: number[] = [];
    const values: number[] = [];
    for (const [feature, value] of features) {
      const id = this.index.get(feature);
      if (id === undefined) continue;
      ids.push(id);
      values.push(value);
    }
    return this.softmax(ids, values, new Float64Array(this.classes));
  }

  /** A training example's features as numbers, numbering the new ones in the order they appear. */
  private encode(features: SparseVector): { ids: Int32Array; values: Float64Array } {
    const ids = new Int32Array(features.size);
    const values = new Float64Array(features.size);
    let at = 0;
    for (const [feature, value] of features) {
      let id = this.index.get(feature);
      if (id === undefined) {
        id = this.index.size;
        this.index.set(feature, id);
      }
      ids[at] = id;
      values[at] = value;
      at += 1;
    }
    return { ids, values };
  }

  /** The softmax of the scores of these features, written into `scores`, which it returns. */
  private softmax(ids: ArrayLike<number>, values: ArrayLike<number>, scores: Float64Array): Float64Array {
    scores.set(this.bias);
    for (let at = 0; at < ids.length; at += 1) {
      const row = (ids[at] ?? 0) * this.classes;
      const value = values[at] ?? 0;
      for (let label = 0; label < this.classes; label += 1) scores[label] = (scores[label] ?? 0) + (this.weights[row + label] ?? 0) * value;
    }
    return softmaxInPlace(scores);
  }
}

/** Scores → softmax(scale × score), written over the scores, which it returns. */
export function softmaxInPlace(scores: Float64Array, scale = 1): Float64Array {
  let top = -Infinity;
  for (const score of scores) top = Math.max(top, score);
  let sum = 0;
  for (let label = 0; label < scores.length; label += 1) {
    const exp = Math.exp(scale * ((scores[label] ?? 0) - top));
    scores[label] = exp;
    sum += exp;
  }
  for (let label = 0; label < scores.length; label += 1) scores[label] = (scores[label] ?? 0) / sum;
  return scores;
}

/** A small seeded generator, so the same data always trains the same model. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as number, items[i] as number];
  }
}
