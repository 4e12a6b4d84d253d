import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchmarkDataError, loadBraun, loadClinc, loadHint3, parseCsv } from '../../src/nlu-eval/benchmarks/datasets.js';
import { accuracy, inScopeAccuracy, mcc, microF1, outOfScopeRecall, parsePublishedScores, readPublishedScores, wilsonLowerBound, type Outcome } from '../../src/nlu-eval/benchmarks/metrics.js';
import { cautiousThreshold, evenSample, runBraun, seeded, toTrainingData } from '../../src/nlu-eval/benchmarks/run.js';
import type { Prediction } from '../../src/nlu-eval/evaluate.js';

/** A miniature benchdata folder, in each dataset's published format. */
let dataDir: string;

const braunCorpus = (sentences: { text: string; intent: string; training: boolean }[]) =>
  JSON.stringify({ name: 'fixture', desc: '', lang: 'en', sentences: sentences.map((sentence) => ({ ...sentence, entities: [] })) });

const hint3Train = 'sentence,label\nwhat is the price,PRICE\n"cost, please",PRICE\nreturn my order,RETURN\n';
const hint3Test = 'sentence,label\nhow much,PRICE\n"my app says ""stopped""\nwhy",NO_NODES_DETECTED\n';

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'benchdata-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dataDir, file)), { recursive: true });
    writeFileSync(path.join(dataDir, file), text);
  };
  const chatbot = [
    { text: 'when does the next train leave', intent: 'DepartureTime', training: true },
    { text: 'next bus from central station', intent: 'DepartureTime', training: true },
    { text: 'how do i get to the airport', intent: 'FindConnection', training: true },
    { text: 'route from home to the airport', intent: 'FindConnection', training: true },
    { text: 'tell me a joke', intent: 'None', training: true },
    { text: 'when is the next train', intent: 'DepartureTime', training: false },
    { text: 'how do i get to the station', intent: 'FindConnection', training: false },
    { text: 'what is the meaning of life', intent: 'None', training: false },
  ];
  write('braun2017/ChatbotCorpus.json', braunCorpus(chatbot));
  write('braun2017/AskUbuntuCorpus.json', braunCorpus(chatbot));
  write('braun2017/WebApplicationsCorpus.json', braunCorpus(chatbot));
  write(
    'clinc150/data_full.json',
    JSON.stringify({
      train: [['what is my balance', 'balance']],
      val: [['balance please', 'balance']],
      test: [['show my balance', 'balance']],
      oos_train: [['play a song', 'oos']],
      oos_val: [['book a flight', 'oos']],
      oos_test: [['what is the weather', 'oos']],
    }),
  );
  for (const bot of ['sofmattress', 'curekart', 'powerplay11']) {
    write(`hint3/dataset/v1/train/${bot}_train.csv`, hint3Train);
    write(`hint3/dataset/v1/test/${bot}_test.csv`, hint3Test);
  }
  write(
    'published_scores.csv',
    'dataset,subset,system,metric,value,source,notes\n' +
      'braun2017,Overall,"Rasa (2017, as in paper)",intent micro-F1,0.88,paper,"says ""extracted"" here"\n' +
      'hint3_v1,sofmattress,dialogflow (best-MCC threshold 0.4),MCC,0.6375,results,chosen on the TEST set\n',
  );
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('benchmark loaders', () => {
  it('splits a Braun corpus by its training flag', () => {
    const { chatbot } = loadBraun(dataDir);
    expect(chatbot.train).toHaveLength(5);
    expect(chatbot.test.map((example) => example.text)).toEqual(['when is the next train', 'how do i get to the station', 'what is the meaning of life']);
  });

  it('reads Braun "None" as out of scope', () => {
    expect(loadBraun(dataDir).askubuntu.test).toContainEqual({ text: 'what is the meaning of life', label: null });
  });

  it('joins CLINC150 oos lists to their split as out of scope', () => {
    const clinc = loadClinc(dataDir);
    expect(clinc.train).toEqual([
      { text: 'what is my balance', label: 'balance' },
      { text: 'play a song', label: null },
    ]);
    expect(clinc.validation).toContainEqual({ text: 'book a flight', label: null });
    expect(clinc.test).toContainEqual({ text: 'what is the weather', label: null });
  });

  it('reads HINT3 NO_NODES_DETECTED as out of scope, sentences with quotes and line breaks intact', () => {
    expect(loadHint3(dataDir).curekart.test).toEqual([
      { text: 'how much', label: 'PRICE' },
      { text: 'my app says "stopped"\nwhy', label: null },
    ]);
  });

  it('keeps commas inside quoted CSV fields', () => {
    expect(parseCsv('a,b\r\n"x, y",z\r\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'z'],
    ]);
  });

  it('names the missing file when the data folder is wrong', () => {
    const missing = path.join(dataDir, 'nowhere');
    expect(() => loadClinc(missing)).toThrow(BenchmarkDataError);
    expect(() => loadClinc(missing)).toThrow(path.join(missing, 'clinc150', 'data_full.json'));
  });
});

describe('benchmark metrics', () => {
  const outcome = (expected: string | null, predicted: string | null, times = 1): Outcome[] => Array.from({ length: times }, () => ({ expected, predicted }));

  it("computes multi-class MCC as Gorodkin's R_K, out of scope being one more class", () => {
    // Confusion matrix (rows expected, columns predicted) a/b/out: [3 1 1; 0 2 1; 1 0 3].
    // c·s − Σp·t = 8·12 − 49 = 47; s² − Σp² = s² − Σt² = 144 − 50 = 94; R_K = 47 / 94.
    const outcomes = [
      ...outcome('a', 'a', 3),
      ...outcome('a', 'b'),
      ...outcome('a', null),
      ...outcome('b', 'b', 2),
      ...outcome('b', null),
      ...outcome(null, 'a'),
      ...outcome(null, null, 3),
    ];
    expect(mcc(outcomes)).toBeCloseTo(0.5, 12);
  });

  it('reduces to the binary Matthews formula on two classes', () => {
    const outcomes = [...outcome('yes', 'yes', 6), ...outcome('no', 'no', 3), ...outcome('no', 'yes'), ...outcome('yes', 'no', 2)];
    const [tp, tn, fp, fn] = [6, 3, 1, 2];
    expect(mcc(outcomes)).toBeCloseTo((tp * tn - fp * fn) / Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)), 12);
  });

  it('gives an MCC of 0 when every item is predicted the same way', () => {
    expect(mcc([...outcome('a', 'a'), ...outcome('b', 'a')])).toBe(0);
  });

  it('counts a correctly refused None item as a hit in micro-F1', () => {
    const outcomes = [...outcome('a', 'a'), ...outcome(null, null), ...outcome('b', null), ...outcome(null, 'a')];
    expect(microF1(outcomes)).toBe(0.5);
    expect(microF1(outcomes)).toBe(accuracy(outcomes));
  });

  it('scores a refused in-scope item as wrong and out-of-scope recall over out-of-scope items only', () => {
    const outcomes = [...outcome('a', 'a'), ...outcome('a', null), ...outcome(null, null), ...outcome(null, null), ...outcome(null, 'a')];
    expect(inScopeAccuracy(outcomes)).toBe(0.5);
    expect(outOfScopeRecall(outcomes)).toBeCloseTo(2 / 3, 12);
  });

  it('puts the 95 % Wilson interval of 70 hits in 100 at 0.604 to 0.781, so 70 % on 100 items vouches for 60 %', () => {
    expect(wilsonLowerBound(0.7, 100)).toBeCloseTo(0.6041, 4);
    expect(wilsonLowerBound(0.6, 100)).toBeLessThan(0.6);
  });

  it('narrows the interval towards the measured proportion as items grow, and vouches for nothing without items', () => {
    expect(wilsonLowerBound(0.7, 100_000)).toBeGreaterThan(0.697);
    expect(wilsonLowerBound(0.7, 0)).toBe(0);
    expect(wilsonLowerBound(0, 50)).toBe(0);
  });
});

describe('published scores', () => {
  it('parses systems and notes that hold commas and quotes', () => {
    const [rasa] = readPublishedScores(dataDir);
    expect(rasa).toEqual({
      dataset: 'braun2017',
      subset: 'Overall',
      system: 'Rasa (2017, as in paper)',
      metric: 'intent micro-F1',
      value: 0.88,
      source: 'paper',
      notes: 'says "extracted" here',
    });
  });

  it('refuses a value that is not a number, naming the record', () => {
    const text = 'dataset,subset,system,metric,value,source,notes\nclinc150,Full,SVM,accuracy,n/a,paper,\n';
    expect(() => parsePublishedScores(text)).toThrow('record 2 has value "n/a"');
  });
});

describe('benchmark runner', () => {
  it('trains out-of-scope items as one out_of_scope intent', () => {
    const data = toTrainingData([
      { text: 'price please', label: 'PRICE' },
      { text: 'tell me a joke', label: null },
      { text: 'sing a song', label: null },
    ]);
    expect(data.intents).toEqual([
      { id: 'PRICE', examples: ['price please'], kind: 'topic' },
      { id: '(out of scope)', examples: ['tell me a joke', 'sing a song'], kind: 'out_of_scope' },
    ]);
  });

  it('adds no out-of-scope intent when the training split has no out-of-scope items', () => {
    const data = toTrainingData([{ text: 'price please', label: 'PRICE' }]);
    expect(data.intents.map((intent) => intent.kind)).toEqual(['topic']);
  });

  it('times training and classification with the injected clock', () => {
    let now = 0;
    const { corpora } = runBraun(loadBraun(dataDir), { clock: () => (now += 1) });
    expect(corpora.chatbot.timing).toEqual({ trainingMs: 1, medianClassifyMs: 1, meanClassifyMs: 1 });
    expect(corpora.chatbot.items).toBe(3);
  });

  it('runs Braun with the linear SVM, whose figures no seed changes', () => {
    const clock = () => 0;
    const [first, second] = [1, 99].map((seed) => runBraun(loadBraun(dataDir), { clock, tunings: seeded(seed) }));
    expect(first?.corpora.chatbot.tuning).toMatch(/linear SVM$/);
    expect(second).toEqual(first);
  });
});

describe('choosing a threshold', () => {
  const explanation = { tokens: [], corrections: [], synonyms: [], stems: [], unknown: [], coverage: 1, matched: [] };
  const predict = (expected: string | null, intent: string, confidence: number, count: number): Prediction[] =>
    Array.from({ length: count }, (_, index) => ({ text: `${expected}-${index}`, expected, recognition: { verdict: 'match', intent, confidence, candidates: [{ intent, confidence }], explanation } }));

  it('answers more when a higher threshold wins by less than its standard error', () => {
    // Rejecting the one out-of-scope item at 0.3 gains 1 point in 100: noise, not a reason to refuse more.
    const predictions = [...predict('a', 'a', 0.9, 90), ...predict('a', 'b', 0.9, 9), ...predict(null, 'a', 0.3, 1)];
    expect(cautiousThreshold(predictions, new Set(), microF1)).toEqual({ threshold: 0, score: 0.91 });
  });

  it('keeps a higher threshold that wins clearly', () => {
    const predictions = [...predict('a', 'a', 0.9, 50), ...predict(null, 'a', 0.3, 50)];
    expect(cautiousThreshold(predictions, new Set(), microF1).threshold).toBeGreaterThan(0.3);
  });

  it('spreads a sample evenly over the whole list, in order', () => {
    expect(evenSample(['a', 'b', 'c', 'd', 'e', 'f'], 3)).toEqual(['a', 'c', 'e']);
  });

  it('takes every item when asked for more than there are', () => {
    expect(evenSample(['a', 'b'], 5)).toEqual(['a', 'b']);
  });
});
