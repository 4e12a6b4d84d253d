import { describe, expect, it } from 'vitest';
import { orderFeatures, phraseCharFeatures } from '../../src/nlu/features.js';

describe('word-order features', () => {
  it('marks the stem a message opens with', () => {
    expect(orderFeatures(['how', 'restor'])).toContain('^how');
  });

  it('pairs stems one word apart, which adjacent pairs miss', () => {
    expect(orderFeatures(['restor', 'my', 'backup'])).toEqual(['^restor', 'restor _ backup']);
  });

  it('gives nothing for an empty message', () => {
    expect(orderFeatures([])).toEqual([]);
  });
});

describe('character n-grams across words', () => {
  it('keeps only the n-grams that span the gap between two words', () => {
    expect(phraseCharFeatures(['no', 'backup'], [3])).toEqual(['#no ', '#o b', '# ba']);
  });

  it('gives nothing for a single word, whose n-grams the per-word features already have', () => {
    expect(phraseCharFeatures(['restore'], [3, 4])).toEqual([]);
  });
});
