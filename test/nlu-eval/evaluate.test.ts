import { describe, expect, it } from 'vitest';
import { calibrated, calibration, fitPlatt } from '../../src/nlu-eval/calibration.js';
import { crossValidate, recommend, repeatedCrossValidate, report, sweep, type Prediction } from '../../src/nlu-eval/evaluate.js';
import { Recognizer, type Recognition } from '../../src/nlu/recognizer.js';
import type { TrainingData } from '../../src/nlu/trainingData.js';

const explanation = { tokens: [], corrections: [], synonyms: [], stems: [], unknown: [], coverage: 1, matched: [] };
const recognition = (intent: string, confidence: number): Recognition => ({ verdict: 'match', intent, confidence, candidates: [{ intent, confidence }], explanation });
const predict = (expected: string | null, intent: string, confidence: number): Prediction => ({ text: `${expected}-${intent}-${confidence}`, expected, recognition: recognition(intent, confidence) });
const none = new Set(['none']);

describe('recogniser evaluation', () => {
  const predictions = [predict('a', 'a', 0.9), predict('a', 'b', 0.4), predict('b', 'b', 0.8), predict(null, 'a', 0.3), predict(null, 'none', 0.9)];

  it('counts a refusal of an out-of-scope question as right, and a wrong topic as a confusion', () => {
    const result = report(predictions, 0.5, none);
    expect(result.inScopeAccuracy).toBeCloseTo(2 / 3);
    expect(result.outOfScopeRecall).toBe(1);
    expect(result.confusions).toContainEqual({ expected: 'a', predicted: '(out of scope)', count: 1 });
  });

  it('trades coverage for precision along the threshold sweep', () => {
    const points = sweep(predictions, none, 0.5);
    expect(points.map((point) => point.threshold)).toEqual([0, 0.5, 1]);
    expect(points[0]?.coverage).toBe(1);
    expect(points[1]?.precision).toBe(1);
  });

  it('recommends the threshold with the best mean of in-scope accuracy and out-of-scope recall', () => {
    expect(recommend(sweep(predictions, none, 0.05))?.threshold).toBeCloseTo(0.35);
  });
});

describe('calibration', () => {
  // Raw scores that understate how often the top candidate is right, as the blend's do.
  const skewed = Array.from({ length: 200 }, (_, index) => {
    const score = (index % 10) / 10 + 0.05;
    const right = index % 10 >= 2;
    return predict('a', right ? 'a' : 'b', score);
  });

  it('fits a Platt curve that lowers the expected calibration error', () => {
    const fit = fitPlatt(skewed, none);
    const before = calibration(skewed).expectedCalibrationError;
    const after = calibration(calibrated(skewed, fit)).expectedCalibrationError;
    expect(fit.slope).toBeGreaterThan(0);
    expect(after).toBeLessThan(before / 2);
  });

  it('keeps the ranking of candidates', () => {
    const fit = { slope: 5, intercept: -1 };
    const [low, high] = calibrated([predict('a', 'a', 0.2), predict('a', 'a', 0.6)], fit);
    expect(high?.recognition.confidence).toBeGreaterThan(low?.recognition.confidence ?? 1);
  });
});

describe('cross-validation', () => {
  const data: TrainingData = {
    intents: [
      { id: 'slow', kind: 'topic', examples: ['restore is slow', 'restore takes hours', 'slow restore', 'restore so slow'] },
      { id: 'pick', kind: 'topic', examples: ['which backup', 'choose a backup', 'pick the backup', 'which backup to use'] },
    ],
    synonyms: [],
  };
  const settings = { threshold: 0, ambiguityMargin: 0, suggestions: 1 };

  it('scores each outside question once, by a model that never saw it', () => {
    const outside = ['order a pizza', 'book a taxi', 'weather today'].map((text) => ({ text, expected: null }));
    const trained: number[] = [];
    const predictions = crossValidate(data, 2, (training) => {
      trained.push(training.intents.reduce((sum, intent) => sum + intent.examples.length, 0));
      return new Recognizer(training, settings);
    }, outside);
    expect(predictions.filter((prediction) => prediction.expected === null).map((prediction) => prediction.text).sort()).toEqual(['book a taxi', 'order a pizza', 'weather today']);
    expect(predictions).toHaveLength(11);
    expect(trained).toEqual([4, 4]);
  });

  it('repeats cross-validation with the examples in other folds, the first run being the plain one and the shuffles set by the seed', () => {
    const heldOutTogether = (seed: number) => {
      const folds: string[][] = [];
      repeatedCrossValidate(data, 2, 3, (training) => {
        folds.push(training.intents.flatMap((intent) => intent.examples).sort());
        return new Recognizer(training, settings);
      }, seed);
      return folds;
    };
    const pooled = repeatedCrossValidate(data, 2, 3, (training) => new Recognizer(training, settings), 1);
    expect(pooled).toHaveLength(3 * 8);
    expect(pooled.slice(0, 8).map((prediction) => prediction.text)).toEqual(crossValidate(data, 2, (training) => new Recognizer(training, settings)).map((prediction) => prediction.text));
    expect(heldOutTogether(1)).toEqual(heldOutTogether(1));
    expect(heldOutTogether(1).slice(2)).not.toEqual(heldOutTogether(1).slice(0, 2));
    expect(heldOutTogether(1).slice(2)).not.toEqual(heldOutTogether(2).slice(2));
  });
});
