import { normalize } from './features.js';

interface Posting {
  readonly index: number;
  readonly weight: number;
}

/**
 * Cosine similarity of a message to every training example and to every intent's centroid, via
 * inverted indexes so a message only touches the examples that share a feature with it.
 */
export class SimilarityIndex {
  private readonly examplePostings = new Map<string, Posting[]>();
  private readonly centroidPostings = new Map<string, Posting[]>();

  constructor(
    private readonly exampleIntent: readonly number[],
    vectors: readonly ReadonlyMap<string, number>[],
    private readonly intents: number,
    /** Weight of the best single example against the centroid in an intent's similarity. */
    private readonly nearestWeight: number,
  ) {
    const centroids = Array.from({ length: intents }, () => new Map<string, number>());
    vectors.forEach((vector, index) => {
      addPostings(this.examplePostings, vector, index);
      const centroid = centroids[exampleIntent[index] ?? 0];
      for (const [feature, weight] of vector) centroid?.set(feature, (centroid.get(feature) ?? 0) + weight);
    });
    centroids.forEach((centroid, index) => addPostings(this.centroidPostings, normalize(centroid), index));
  }

  /** Per intent: similarity in [0, 1] and the index of its nearest example (-1 when none). */
  score(query: ReadonlyMap<string, number>): { similarity: Float64Array; nearestExample: Int32Array } {
    const nearest = new Float64Array(this.intents);
    const nearestExample = new Int32Array(this.intents).fill(-1);
    dot(this.examplePostings, query, this.exampleIntent.length).forEach((score, example) => {
      const intent = this.exampleIntent[example] ?? 0;
      if (score > (nearest[intent] ?? 0)) {
        nearest[intent] = score;
        nearestExample[intent] = example;
      }
    });
    const centroid = dot(this.centroidPostings, query, this.intents);
    const similarity = nearest.map((value, index) => this.nearestWeight * value + (1 - this.nearestWeight) * (centroid[index] ?? 0));
    return { similarity, nearestExample };
  }
}

function addPostings(index: Map<string, Posting[]>, vector: ReadonlyMap<string, number>, owner: number): void {
  for (const [feature, weight] of vector) {
    const list = index.get(feature) ?? [];
    list.push({ index: owner, weight });
    index.set(feature, list);
  }
}

function dot(index: ReadonlyMap<string, readonly Posting[]>, query: ReadonlyMap<string, number>, size: number): Float64Array {
  const scores = new Float64Array(size);
  for (const [feature, weight] of query) {
    for (const posting of index.get(feature) ?? []) scores[posting.index] = (scores[posting.index] ?? 0) + weight * posting.weight;
  }
  return scores;
}
