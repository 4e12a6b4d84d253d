import { describe, expect, it } from 'vitest';
import { DEFAULT_SVM_OPTIONS, LinearSvm } from '../../src/nlu/linearSvm.js';
import { examples, vector } from '../support/linearExamples.js';

describe('linear SVM', () => {
  it('trains the same model whatever the order of its examples', () => {
    const forward = new LinearSvm(3, examples);
    const backward = new LinearSvm(3, [...examples].reverse());
    for (const query of [vector('restor', 'password'), vector('storag'), vector('slow', 'reset', 'full')]) {
      Array.from(backward.probabilities(query)).forEach((probability, label) => expect(probability).toBeCloseTo(forward.probabilities(query)[label] ?? -1, 4));
    }
  });

  it('gives a probability distribution that favours the class of the features it saw', () => {
    const probabilities = new LinearSvm(3, examples).probabilities(vector('password', 'forgot'));
    expect(Array.from(probabilities).reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    expect(Math.max(...probabilities)).toBe(probabilities[1]);
  });

  it('puts a class it was trained on ahead when only one of its features is known', () => {
    const probabilities = new LinearSvm(3, examples).probabilities(vector('stuck', 'never-seen'));
    expect(Math.max(...probabilities)).toBe(probabilities[0]);
  });

  it('separates more sharply with a higher scale, keeping the order', () => {
    const query = vector('restor', 'full');
    const soft = new LinearSvm(3, examples, { ...DEFAULT_SVM_OPTIONS, scale: 1 }).probabilities(query);
    const sharp = new LinearSvm(3, examples, { ...DEFAULT_SVM_OPTIONS, scale: 10 }).probabilities(query);
    const top = (values: Float64Array) => values.indexOf(Math.max(...values));
    expect(top(sharp)).toBe(top(soft));
    expect(Math.max(...sharp)).toBeGreaterThan(Math.max(...soft));
  });

  it('fits its training examples less tightly at a lower cost', () => {
    const confidence = (cost: number) => new LinearSvm(3, examples, { ...DEFAULT_SVM_OPTIONS, cost }).probabilities(vector('storag', 'full'))[2] ?? 0;
    expect(confidence(0.01)).toBeLessThan(confidence(10));
  });

  it('one-vs-one also favours the class of the features it saw, whatever the order of its examples', () => {
    const options = { ...DEFAULT_SVM_OPTIONS, multiclass: 'ovo' as const };
    const forward = new LinearSvm(3, examples, options);
    const backward = new LinearSvm(3, [...examples].reverse(), options);
    const probabilities = forward.probabilities(vector('password', 'forgot'));
    expect(Array.from(probabilities).reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    expect(Math.max(...probabilities)).toBe(probabilities[1]);
    Array.from(backward.probabilities(vector('storag'))).forEach((probability, label) => expect(probability).toBeCloseTo(forward.probabilities(vector('storag'))[label] ?? -1, 4));
  });
});
