import { mulberry32, shuffle, softmaxInPlace, type SparseVector } from './linearModel.js';

export interface SvmOptions {
  /** Cost of a margin violation (liblinear's C); lower means a stronger L2 penalty. */
  readonly cost: number;
  /** Decision values become probabilities by softmax(scale × value), so thresholds and blends read them as the regression's. */
  readonly scale: number;
  /** Passes over the examples at most; coordinate descent usually converges well before. */
  readonly maxPasses: number;
  /**
   * One-vs-rest (the default), or one-vs-one: a binary SVM for each pair of classes, trained on
   * those two classes' examples only, a class scored by the pairs it wins (Knerr et al. 1990;
   * libsvm's scheme).
   */
  readonly multiclass?: 'ovr' | 'ovo';
}

export const DEFAULT_SVM_OPTIONS: SvmOptions = { cost: 1, scale: 3, maxPasses: 300 };

const SHUFFLE_SEED = 1;

/** Converged when no dual variable's projected gradient is larger than this. */
const TOLERANCE = 1e-4;

/** In one-vs-one, the mean pairwise decision value breaks ties between equal vote counts. */
const OVO_MARGIN_WEIGHT = 0.1;
/** A pairwise decision value closer to 0 than this is a tie. */
const TIE = 1e-3;

interface Encoded {
  readonly ids: number[];
  readonly values: number[];
}

/** Squared-hinge dual coordinate descent for one binary problem; returns the weight rows. */
function trainBinary(encoded: readonly Encoded[], signs: readonly number[], rows: number, options: SvmOptions, random: () => number): Float64Array {
  const diagonal = 1 / (2 * options.cost);
  const curvature = encoded.map(({ values }) => values.reduce((sum, value) => sum + value * value, diagonal));
  const w = new Float64Array(rows);
  const alpha = new Float64Array(encoded.length);
  const order = encoded.map((_, position) => position);
  for (let pass = 0; pass < options.maxPasses; pass += 1) {
    let largest = 0;
    shuffle(order, random);
    for (const i of order) {
      const { ids, values } = encoded[i] as Encoded;
      const sign = signs[i] ?? 1;
      let margin = 0;
      for (let at = 0; at < ids.length; at += 1) margin += (w[ids[at] ?? 0] ?? 0) * (values[at] ?? 0);
      const old = alpha[i] ?? 0;
      const gradient = sign * margin - 1 + diagonal * old;
      const projected = old === 0 ? Math.min(gradient, 0) : gradient;
      largest = Math.max(largest, Math.abs(projected));
      if (projected === 0) continue;
      const next = Math.max(old - gradient / (curvature[i] ?? 1), 0);
      alpha[i] = next;
      const step = (next - old) * sign;
      for (let at = 0; at < ids.length; at += 1) w[ids[at] ?? 0] = (w[ids[at] ?? 0] ?? 0) + step * (values[at] ?? 0);
    }
    if (largest < TOLERANCE) break;
  }
  return w;
}

/**
 * Linear SVM with the squared hinge loss, solved by dual coordinate descent (Hsieh et al. 2008,
 * liblinear's default solver), the bias as a constant feature regularised like the rest
 * (liblinear's -B 1); one-vs-rest unless the options ask for one-vs-one. Its optimum is unique,
 * so unlike the SGD-trained softmax regression the model does not depend on the order of the
 * examples: on Braun's 30–100 training examples that order alone moved a corpus by several points.
 */
export class LinearSvm {
  /** Feature → row; row 0 is the bias. */
  private readonly index = new Map<string, number>();
  /** One-vs-rest: rows × classes. One-vs-one: rows × pairs. */
  private readonly weights: Float64Array;
  private readonly pairs: [number, number][] = [];

  constructor(
    private readonly classes: number,
    examples: readonly { features: SparseVector; label: number }[],
    private readonly options: SvmOptions = DEFAULT_SVM_OPTIONS,
  ) {
    const encoded = examples.map(({ features }) => {
      const ids = [0];
      const values = [1];
      for (const [feature, value] of features) {
        let id = this.index.get(feature);
        if (id === undefined) {
          id = this.index.size + 1;
          this.index.set(feature, id);
        }
        ids.push(id);
        values.push(value);
      }
      return { ids, values };
    });
    const rows = this.index.size + 1;
    // Visiting the examples in a fresh random order each pass converges in far fewer passes than a
    // fixed order (Hsieh et al. 2008, §3.1); the order does not change the optimum reached.
    const random = mulberry32(SHUFFLE_SEED);
    if (options.multiclass === 'ovo') {
      for (let a = 0; a < classes; a += 1) for (let b = a + 1; b < classes; b += 1) this.pairs.push([a, b]);
      this.weights = new Float64Array(rows * this.pairs.length);
      this.pairs.forEach(([a, b], pair) => {
        const chosen = examples.map((example, i) => (example.label === a || example.label === b ? i : -1)).filter((i) => i >= 0);
        if (chosen.length === 0) return;
        const w = trainBinary(
          chosen.map((i) => encoded[i] as Encoded),
          chosen.map((i) => (examples[i]?.label === a ? 1 : -1)),
          rows,
          options,
          random,
        );
        w.forEach((weight, row) => (this.weights[row * this.pairs.length + pair] = weight));
      });
    } else {
      this.weights = new Float64Array(rows * classes);
      for (let label = 0; label < classes; label += 1) {
        const w = trainBinary(encoded, examples.map((example) => (example.label === label ? 1 : -1)), rows, options, random);
        w.forEach((weight, row) => (this.weights[row * classes + label] = weight));
      }
    }
  }

  probabilities(features: SparseVector): Float64Array {
    return softmaxInPlace(this.decisions(features), this.options.scale);
  }

  /** Decision values per class; one-vs-one's are the share of pairs won, ties broken by the mean pairwise value. */
  private decisions(features: SparseVector): Float64Array {
    const width = this.options.multiclass === 'ovo' ? this.pairs.length : this.classes;
    const values = this.weights.slice(0, width);
    for (const [feature, value] of features) {
      const id = this.index.get(feature);
      if (id === undefined) continue;
      for (let column = 0; column < width; column += 1) values[column] = (values[column] ?? 0) + (this.weights[id * width + column] ?? 0) * value;
    }
    if (this.options.multiclass !== 'ovo') return values;
    const scores = new Float64Array(this.classes);
    if (this.classes < 2) return scores;
    this.pairs.forEach(([a, b], pair) => {
      const value = values[pair] ?? 0;
      // A pair that cannot tell (a value within the solver's tolerance of 0) gives each class half
      // a vote, so the example order, which moves such values by that much, never decides a vote.
      const vote = Math.abs(value) < TIE ? 0.5 : value > 0 ? 1 : 0;
      scores[a] = (scores[a] ?? 0) + vote;
      scores[b] = (scores[b] ?? 0) + 1 - vote;
      scores[a] = (scores[a] ?? 0) + (OVO_MARGIN_WEIGHT * value) / (this.classes - 1);
      scores[b] = (scores[b] ?? 0) - (OVO_MARGIN_WEIGHT * value) / (this.classes - 1);
    });
    return scores.map((score) => score / (this.classes - 1));
  }
}
