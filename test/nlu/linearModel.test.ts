import { describe, expect, it } from 'vitest';
import { DEFAULT_LINEAR_OPTIONS, LinearEnsemble, LinearModel } from '../../src/nlu/linearModel.js';
import { examples, vector } from '../support/linearExamples.js';

describe('linear ensemble', () => {
  it('averages the probabilities of members trained in different orders', () => {
    const options = { ...DEFAULT_LINEAR_OPTIONS, members: 3 };
    const ensemble = new LinearEnsemble(3, examples, options);
    const members = [0, 1, 2].map((index) => new LinearModel(3, examples, { ...options, seed: options.seed + index * 7919 }));
    const query = vector('restor', 'password');
    const expected = [0, 1, 2].map((label) => members.reduce((sum, model) => sum + (model.probabilities(query)[label] ?? 0), 0) / 3);
    Array.from(ensemble.probabilities(query)).forEach((probability, label) => expect(probability).toBeCloseTo(expected[label] ?? -1, 12));
  });

  it('is the single model when it has one member', () => {
    const query = vector('storag', 'slow');
    expect(Array.from(new LinearEnsemble(3, examples).probabilities(query))).toEqual(Array.from(new LinearModel(3, examples).probabilities(query)));
  });

  it('gives a probability distribution that favours the trained class', () => {
    const probabilities = new LinearEnsemble(3, examples, { ...DEFAULT_LINEAR_OPTIONS, members: 4 }).probabilities(vector('password', 'forgot'));
    expect(Array.from(probabilities).reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    expect(Math.max(...probabilities)).toBe(probabilities[1]);
  });
});
