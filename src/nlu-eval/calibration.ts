import type { Prediction } from './evaluate.js';
import { platt } from '../nlu/recognizer.js';

export interface CalibrationBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanConfidence: number;
  readonly accuracy: number;
}

/**
 * Reliability of the confidence: in-scope questions binned by the top candidate's confidence,
 * with the share of them whose top candidate was right. The expected calibration error is the
 * count-weighted gap between confidence and accuracy over the bins (0 = perfectly calibrated).
 */
export function calibration(predictions: readonly Prediction[], bins = 10): { bins: CalibrationBin[]; expectedCalibrationError: number } {
  const inScope = predictions.filter((prediction) => prediction.expected !== null);
  const result: CalibrationBin[] = [];
  let gap = 0;
  for (let index = 0; index < bins; index += 1) {
    const from = index / bins;
    const to = (index + 1) / bins;
    const members = inScope.filter((prediction) => {
      const confidence = prediction.recognition.candidates[0]?.confidence ?? 0;
      return confidence >= from && (confidence < to || (index === bins - 1 && confidence <= to));
    });
    if (members.length === 0) continue;
    const meanConfidence = members.reduce((sum, prediction) => sum + (prediction.recognition.candidates[0]?.confidence ?? 0), 0) / members.length;
    const accuracy = members.filter((prediction) => prediction.recognition.candidates[0]?.intent === prediction.expected).length / members.length;
    result.push({ from, to, count: members.length, meanConfidence, accuracy });
    gap += (members.length / inScope.length) * Math.abs(meanConfidence - accuracy);
  }
  return { bins: result, expectedCalibrationError: gap };
}

/** Whether the top candidate was the right answer (for an out-of-scope question: the out-of-scope class). */
const wasRight = (prediction: Prediction, outOfScope: ReadonlySet<string>): boolean => {
  const top = prediction.recognition.candidates[0]?.intent;
  return prediction.expected === null ? top === undefined || outOfScope.has(top) : top === prediction.expected;
};

/**
 * Platt scaling: the logistic curve over the raw top score that best predicts whether the top
 * candidate is right, fitted by gradient descent on the log loss of (cross-validated) predictions.
 */
export function fitPlatt(predictions: readonly Prediction[], outOfScope: ReadonlySet<string>): { slope: number; intercept: number } {
  const samples = predictions
    .filter((prediction) => prediction.recognition.candidates.length > 0)
    .map((prediction) => ({ score: prediction.recognition.candidates[0]?.confidence ?? 0, right: wasRight(prediction, outOfScope) ? 1 : 0 }));
  let slope = 1;
  let intercept = 0;
  const rate = 0.5;
  for (let iteration = 0; iteration < 5000; iteration += 1) {
    let gradSlope = 0;
    let gradIntercept = 0;
    for (const { score, right } of samples) {
      const error = platt(score, { slope, intercept }) - right;
      gradSlope += error * score;
      gradIntercept += error;
    }
    slope -= (rate * gradSlope) / samples.length;
    intercept -= (rate * gradIntercept) / samples.length;
  }
  return { slope: round(slope), intercept: round(intercept) };
}

/** Predictions as a recogniser with this calibration would have scored them (the ranking does not change). */
export const calibrated = (predictions: readonly Prediction[], fit: { slope: number; intercept: number }): Prediction[] =>
  predictions.map((prediction) => ({
    ...prediction,
    recognition: {
      ...prediction.recognition,
      confidence: platt(prediction.recognition.confidence, fit),
      candidates: prediction.recognition.candidates.map((candidate) => ({ ...candidate, confidence: platt(candidate.confidence, fit) })),
    },
  }));

const round = (value: number): number => Math.round(value * 1000) / 1000;
