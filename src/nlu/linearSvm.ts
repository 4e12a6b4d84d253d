import { mulberry32, shuffle, softmaxInPlace, type SparseVector } from './linearModel.js';

export interface SvmOptions {
  /** Cost of a margin violation (liblinear's C); lower means a stronger L2 penalty. */
  readonly cost: number;
  /** Decision values become probabilities by softmax(scale × value), so thresholds and blends read them as the regression's. */
  readonly scale: number;
  /** Passes over the examples at most; coordinate descent usually converges well before. */
  readonly maxPasses: number;
}

export const DEFAULT_SVM_OPTIONS: SvmOptions = { cost: 1, scale: 3, maxPasses: 300 };

const SHUFFLE_SEED = 1;

/** Converged when no dual variable's projected gradient is larger than this. */
const TOLERANCE = 1e-4;

/**
 * One-vs-rest linear SVM with the squared hinge loss, solved by dual coordinate descent (Hsieh
 * et al. 2008, liblinear's default solver), the bias as a constant feature regularised like the
 * rest (liblinear's -B 1). Its optimum is unique, so unlike the SGD-trained softmax regression
 * the model does not depend on the order of the examples: on Braun's 30–100 training examples
 * that order alone moved a corpus by several points.
 */
export class LinearSvm {
  /** Feature → row; row 0 is the bias. */
  private readonly index = new Map<string, number>();
  private readonly weights: Float64Array;

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
    this.weights = new Float64Array(rows * classes);
    // The squared hinge loss adds 1/(2C) to the diagonal of the dual and leaves alpha unbounded above.
    const diagonal = 1 / (2 * options.cost);
    const curvature = encoded.map(({ values }) => values.reduce((sum, value) => sum + value * value, diagonal));
    const w = new Float64Array(rows);
    const alpha = new Float64Array(examples.length);
    // Visiting the examples in a fresh random order each pass converges in far fewer passes than a
    // fixed order (Hsieh et al. 2008, §3.1); the order does not change the optimum reached.
    const order = encoded.map((_, position) => position);
    const random = mulberry32(SHUFFLE_SEED);
    for (let label = 0; label < classes; label += 1) {
      w.fill(0);
      alpha.fill(0);
      for (let pass = 0; pass < options.maxPasses; pass += 1) {
        let largest = 0;
        shuffle(order, random);
        for (const i of order) {
          const { ids, values } = encoded[i] as { ids: number[]; values: number[] };
          const sign = examples[i]?.label === label ? 1 : -1;
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
      w.forEach((weight, row) => (this.weights[row * classes + label] = weight));
    }
  }

  probabilities(features: SparseVector): Float64Array {
    const scores = this.weights.slice(0, this.classes);
    for (const [feature, value] of features) {
      const id = this.index.get(feature);
      if (id === undefined) continue;
      for (let label = 0; label < this.classes; label += 1) scores[label] = (scores[label] ?? 0) + (this.weights[id * this.classes + label] ?? 0) * value;
    }
    return softmaxInPlace(scores, this.options.scale);
  }
}
