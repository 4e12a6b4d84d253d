import { performance } from 'node:perf_hooks';
import { englishWords } from '../../content/englishWords.js';
import type { RecognizerSettings } from '../../content/types.js';
import { crossValidate, decision, recommend, repeatedCrossValidate, sweep, type Prediction } from '../evaluate.js';
import { mulberry32 } from '../../nlu/linearModel.js';
import { DEFAULT_SVM_OPTIONS, type SvmOptions } from '../../nlu/linearSvm.js';
import { DEFAULT_TUNING, Recognizer, type RecognizerTuning } from '../../nlu/recognizer.js';
import type { TrainingData, TrainingIntent } from '../../nlu/trainingData.js';
import { BenchmarkDataError, HINT3_BOTS, type BraunCorpus, type Example, type Hint3Bot, type Split } from './datasets.js';
import { accuracy, inScopeAccuracy, mcc, microF1, outOfScopeRecall, wilsonLowerBound, type Outcome } from './metrics.js';

/**
 * Runs the bot's recogniser on public benchmarks, each under its published protocol: train on
 * the training split, choose the out-of-scope threshold without looking at the test split, then
 * score the test split once.
 */

/** Milliseconds from an arbitrary origin; injected so tests need not depend on real time. */
export type Clock = () => number;

export interface Timing {
  /** Training the final model on the whole training split. */
  readonly trainingMs: number;
  /** Median time of one `recognize()` call over the test split. */
  readonly medianClassifyMs: number;
  /** The mean shows the tail the median hides (spelling correction of unknown words is slow). */
  readonly meanClassifyMs: number;
}

interface Run {
  readonly threshold: number;
  readonly outcomes: readonly Outcome[];
  readonly timing: Timing;
  readonly tuning: string;
}

export interface NamedTuning {
  readonly name: string;
  readonly tuning: RecognizerTuning;
}

/**
 * The recogniser's knobs that depend on the data, tried per dataset and picked by the same
 * measurement that picks the threshold (validation split or cross-validation on train, never
 * test). The bot's KB defaults damp function words; questions such as "from X to Y" need them.
 */
const TUNINGS: readonly NamedTuning[] = [
  { name: 'default', tuning: DEFAULT_TUNING },
  { name: 'function words at full weight', tuning: { ...DEFAULT_TUNING, functionWordWeight: 1 } },
  { name: 'function words at full weight, character n-grams at half', tuning: { ...DEFAULT_TUNING, functionWordWeight: 1, charNgramWeight: 0.5 } },
  { name: 'function words at full weight, word order', tuning: { ...DEFAULT_TUNING, functionWordWeight: 1, wordOrder: true, crossWordChars: true } },
];

export interface BraunResult {
  readonly corpora: Readonly<Record<BraunCorpus, { readonly microF1: number; readonly items: number; readonly threshold: number; readonly timing: Timing; readonly tuning: string }>>;
  /** Pooled over the three test sets, as the Botfuel and NLP.js tables compute "Overall". */
  readonly overall: number;
}

export interface ClincResult {
  readonly tuning: string;
  readonly threshold: number;
  readonly inScopeAccuracy: number;
  readonly oosRecall: number;
  readonly timing: Timing;
}

export interface Hint3BotResult {
  readonly tuning: string;
  readonly threshold: number;
  readonly accuracy: number;
  readonly inScopeAccuracy: number;
  readonly oosRecall: number;
  readonly mcc: number;
  readonly timing: Timing;
}

/** Intent id of the out-of-scope class built from a dataset's out-of-scope training items. */
const OUT_OF_SCOPE_INTENT = '(out of scope)';
/** Folds for choosing a threshold by cross-validation where a dataset has no validation split. */
const FOLDS = 5;
/**
 * The benchmarks score the top intent against the threshold (`decision`, as `npm run eval`
 * does); the verdict's ambiguity margin and suggestion count shape replies, not that decision.
 */
const SETTINGS: RecognizerSettings = { threshold: 0, ambiguityMargin: 0, suggestions: 1 };

const systemClock: Clock = () => performance.now();

/** In-scope labels become topics; out-of-scope items, where a dataset has any, one "None" class. */
export function toTrainingData(examples: readonly Example[]): TrainingData {
  const byLabel = new Map<string | null, string[]>();
  for (const { text, label } of examples) {
    const texts = byLabel.get(label) ?? [];
    texts.push(text);
    byLabel.set(label, texts);
  }
  if (byLabel.has(OUT_OF_SCOPE_INTENT)) throw new BenchmarkDataError(`a dataset label is "${OUT_OF_SCOPE_INTENT}", the id reserved for its out-of-scope class`);
  const intents: TrainingIntent[] = [...byLabel].map(([label, texts]) =>
    label === null ? { id: OUT_OF_SCOPE_INTENT, examples: texts, kind: 'out_of_scope' } : { id: label, examples: texts, kind: 'topic' },
  );
  return { intents, synonyms: [], dictionary: englishWords() };
}

// A cross-validation fold can hold out every example of a tiny intent (WebApplications has
// intents with one or two); an intent with nothing to learn from is left out, not trained empty.
const trainWith =
  (tuning: RecognizerTuning) =>
  (data: TrainingData): Recognizer =>
    new Recognizer({ ...data, intents: data.intents.filter((intent) => intent.examples.length > 0) }, SETTINGS, tuning);
type Trainer = ReturnType<typeof trainWith>;

const outOfScopeOf = (data: TrainingData): ReadonlySet<string> =>
  new Set(data.intents.filter((intent) => intent.kind === 'out_of_scope').map((intent) => intent.id));

const outcomesAt = (predictions: readonly Prediction[], threshold: number, outOfScope: ReadonlySet<string>): Outcome[] =>
  predictions.map(({ expected, recognition }) => ({ expected, predicted: decision(recognition, threshold, outOfScope) }));

interface Selection {
  readonly threshold: number;
  /** The objective at that threshold, comparable across tunings of one dataset. */
  readonly score: number;
}

/** The threshold on `sweep`'s grid that maximises `objective`; ties go to the lower threshold. */
function bestThreshold(predictions: readonly Prediction[], outOfScope: ReadonlySet<string>, objective: (outcomes: readonly Outcome[]) => number): Selection {
  let best = { threshold: 0, score: -Infinity };
  for (const { threshold } of sweep(predictions, outOfScope)) {
    const score = objective(outcomesAt(predictions, threshold, outOfScope));
    if (score > best.score + 1e-9) best = { threshold, score };
  }
  return best;
}

/** Resamples for the bootstrap estimate of the objective's standard error. */
const BOOTSTRAP_RESAMPLES = 200;

/**
 * The one-standard-error rule (Breiman et al. 1984; Hastie et al., ESL §7.10): the lowest
 * threshold whose objective is within one bootstrap standard error of the best. Where the curve
 * is flat the best point is mostly noise, and the stand-in data (cross-validated training
 * examples, other bots' sentences) is cleaner than real traffic, so the lower threshold, which
 * answers more, is the safer guess. The score stays the best one, to compare tunings.
 */
export function cautiousThreshold(predictions: readonly Prediction[], outOfScope: ReadonlySet<string>, objective: (outcomes: readonly Outcome[]) => number): Selection {
  const best = bestThreshold(predictions, outOfScope, objective);
  const atBest = outcomesAt(predictions, best.threshold, outOfScope);
  const random = mulberry32(BOOTSTRAP_RESAMPLES);
  const scores = Array.from({ length: BOOTSTRAP_RESAMPLES }, () => objective(atBest.map(() => atBest[Math.floor(random() * atBest.length)] as Outcome)));
  const spread = Math.sqrt(mean(scores.map((score) => (score - mean(scores)) ** 2)));
  const lowest = sweep(predictions, outOfScope).find(({ threshold }) => objective(outcomesAt(predictions, threshold, outOfScope)) >= best.score - spread);
  return { threshold: lowest?.threshold ?? best.threshold, score: best.score };
}

type ThresholdChooser = (data: TrainingData, recognizer: Recognizer, outOfScope: ReadonlySet<string>, train: Trainer) => Selection;

/** The tunings with the linear model's seed set: one benchmark run per seed shows the spread that training order alone causes. */
export const seeded = (seed: number, tunings: readonly NamedTuning[] = TUNINGS): NamedTuning[] =>
  tunings.map(({ name, tuning }) => ({ name, tuning: { ...tuning, linear: { ...tuning.linear, seed } } }));

/** What a benchmark run may vary: the clock (for tests) and the tunings it chooses among (a seed per run for the spread). */
export interface BenchOptions {
  readonly clock?: Clock;
  readonly tunings?: readonly NamedTuning[];
  /** Which run this is: it shuffles Braun's repeated cross-validation folds (the tunings carry the linear models' own seed). */
  readonly seed?: number;
}

/**
 * Linear models averaged per recogniser on HINT3: three narrow the seed spread a little and
 * lift its lowest run (its cross-validation trains many models). On CLINC150 three members
 * bought 0.1 point for twice the training time, so it keeps one.
 */
const HINT3_MEMBERS = 3;

const ensembled = ({ tunings = TUNINGS, ...rest }: BenchOptions, members: number): BenchOptions => ({
  ...rest,
  tunings: tunings.map(({ name, tuning }) => ({ name, tuning: { ...tuning, linear: { ...tuning.linear, members } } })),
});

/**
 * One more choice for Braun's cross-validation: the default tuning with one-vs-one SVMs, each
 * pairwise model learning only what tells two intents apart. Offered, not imposed: on
 * WebApplications' one- and two-example intents pairwise models have almost nothing to learn
 * from (README, issue #15).
 */
const ONE_VS_ONE: SvmOptions = { ...DEFAULT_SVM_OPTIONS, multiclass: 'ovo' };

/**
 * Braun's recognisers use the linear SVM in place of the softmax regression. On its 30–100
 * training examples the regression's example order alone moved the overall score between 0.898
 * and 0.934, and five averaged models still between 0.920 and 0.931; the SVM's optimum is
 * unique, so every run gives the same figure (0.927, cost 1 as liblinear's default: cross-
 * validation on train preferred no other of 0.3, 3 and 10).
 */
const withSvm = ({ tunings = TUNINGS, ...rest }: BenchOptions): BenchOptions => ({
  ...rest,
  tunings: [
    ...tunings.map(({ name, tuning }) => ({ name: `${name}, linear SVM`, tuning: { ...tuning, svm: DEFAULT_SVM_OPTIONS } })),
    ...tunings.slice(0, 1).map(({ name, tuning }) => ({ name: `${name}, one-vs-one linear SVM`, tuning: { ...tuning, svm: ONE_VS_ONE } })),
  ],
});

function runSplit(split: Split, chooseThreshold: ThresholdChooser, { clock = systemClock, tunings = TUNINGS }: BenchOptions): Run {
  const data = toTrainingData(split.train);
  const outOfScope = outOfScopeOf(data);
  let chosen: { name: string; recognizer: Recognizer; selection: Selection; trainingMs: number } | undefined;
  for (const { name, tuning } of tunings) {
    const train = trainWith(tuning);
    const started = clock();
    const recognizer = train(data);
    const trainingMs = clock() - started;
    const selection = chooseThreshold(data, recognizer, outOfScope, train);
    if (!chosen || selection.score > chosen.selection.score + 1e-9) chosen = { name, recognizer, selection, trainingMs };
  }
  if (!chosen) throw new Error('no recogniser tuning to try');
  const { recognizer, trainingMs, selection } = chosen;
  const threshold = selection.threshold;
  const times: number[] = [];
  const outcomes = split.test.map(({ text, label }) => {
    const before = clock();
    const recognition = recognizer.recognize(text);
    times.push(clock() - before);
    return { expected: label, predicted: decision(recognition, threshold, outOfScope) };
  });
  return { threshold, outcomes, timing: { trainingMs, medianClassifyMs: median(times), meanClassifyMs: mean(times) }, tuning: chosen.name };
}

/**
 * Braun's corpora hold 30-100 training examples: one 5-fold run scores a tuning or threshold in
 * steps of one example (1/30 on WebApplications), so ten runs with the examples in other folds are
 * pooled, the usual 10 × 5-fold. The SVM trains in 10-30 ms, so the 200 models a corpus needs cost
 * seconds.
 */
const BRAUN_CV_REPEATS = 10;

/**
 * Braun et al. 2017 has no validation split, and its None class is trainable (a few examples
 * per corpus), so whether a threshold beats plain top-1 is measured by cross-validation on the
 * training split, maximising the protocol's own score.
 */
export function runBraun(corpora: Readonly<Record<BraunCorpus, Split>>, given: BenchOptions = {}): BraunResult {
  const options = withSvm(given);
  const chooser: ThresholdChooser = (data, _recognizer, outOfScope, train) => bestThreshold(repeatedCrossValidate(data, FOLDS, BRAUN_CV_REPEATS, train, given.seed), outOfScope, microF1);
  const runs = { chatbot: runSplit(corpora.chatbot, chooser, options), askubuntu: runSplit(corpora.askubuntu, chooser, options), webapps: runSplit(corpora.webapps, chooser, options) };
  const score = ({ threshold, outcomes, timing, tuning }: Run) => ({ microF1: microF1(outcomes), items: outcomes.length, threshold, timing, tuning });
  return {
    corpora: { chatbot: score(runs.chatbot), askubuntu: score(runs.askubuntu), webapps: score(runs.webapps) },
    overall: microF1(Object.values(runs).flatMap((run) => run.outcomes)),
  };
}

/**
 * CLINC150 "oos-threshold" setting (Larson et al. 2019): the threshold is chosen on the
 * validation split, at the operating point this project targets: the most in-scope accuracy
 * whose out-of-scope recall is CLINC_MIN_OOS_RECALL or more at the lower end of its 95 % interval
 * (the mean of the two, as `npm run eval` uses, when no threshold reaches it). The validation
 * split has only 100 out-of-scope questions, so a threshold that just reaches 60 % on them
 * missed it on the test split's 1,000 (49–55 %); the interval asks for the margin that sample
 * size needs (about 70 % measured on 100).
 */
const CLINC_MIN_OOS_RECALL = 0.6;
/** 3,100 validation items resolve a finer threshold grid than the KB's few hundred. */
const CLINC_THRESHOLD_STEP = 0.005;

export function runClinc(split: Split, options: BenchOptions = {}): ClincResult {
  const validation = split.validation ?? [];
  if (validation.length === 0) throw new Error('CLINC150 needs its validation split to choose a threshold');
  const chooser: ThresholdChooser = (_data, recognizer, outOfScope) => {
    const predictions = validation.map(({ text, label }) => ({ text, expected: label, recognition: recognizer.recognize(text) }));
    const points = sweep(predictions, outOfScope, CLINC_THRESHOLD_STEP);
    const outOfScopeItems = validation.filter(({ label }) => label === null).length;
    const feasible = points.filter((point) => wilsonLowerBound(point.outOfScopeRecall, outOfScopeItems) >= CLINC_MIN_OOS_RECALL);
    const best = feasible.length > 0 ? feasible.reduce((a, b) => (b.inScopeAccuracy > a.inScopeAccuracy + 1e-9 ? b : a)) : undefined;
    if (best) return { threshold: best.threshold, score: best.inScopeAccuracy };
    const fallback = recommend(points);
    return { threshold: fallback?.threshold ?? 0, score: fallback ? (fallback.inScopeAccuracy + fallback.outOfScopeRecall) / 2 - 1 : -1 };
  };
  const { threshold, outcomes, timing, tuning } = runSplit(split, chooser, options);
  return { threshold, inScopeAccuracy: inScopeAccuracy(outcomes), oosRecall: outOfScopeRecall(outcomes), timing, tuning };
}

/**
 * HINT3 (Arora et al. 2020) trains on in-scope data only and scores MCC over the test set with
 * NO_NODES_DETECTED as one more class. The threshold maximises that MCC under cross-validation on
 * the training split. Cross-validation alone has no out-of-scope items, so it always picks the
 * lowest threshold; the other two bots' training utterances, out of scope for this bot by
 * construction and never test data, stand in for them (scored by the model trained on this bot's
 * whole training split, which never saw them).
 */
export function runHint3(bots: Readonly<Record<Hint3Bot, Split>>, given: BenchOptions = {}): Readonly<Record<Hint3Bot, Hint3BotResult>> {
  const options = ensembled(given, HINT3_MEMBERS);
  const score = (bot: Hint3Bot): Hint3BotResult => {
    const foreign = HINT3_BOTS.filter((other) => other !== bot).flatMap((other) => bots[other].train.map(({ text }) => text));
    const chooser: ThresholdChooser = (data, _recognizer, outOfScope, train) => {
      const examples = data.intents.reduce((sum, intent) => sum + intent.examples.length, 0);
      const negatives = evenSample(foreign, examples).map((text) => ({ text, expected: null }));
      return cautiousThreshold(crossValidate(data, FOLDS, train, negatives), outOfScope, mcc);
    };
    const { threshold, outcomes, timing, tuning } = runSplit(bots[bot], chooser, options);
    return { tuning, threshold, accuracy: accuracy(outcomes), inScopeAccuracy: inScopeAccuracy(outcomes), oosRecall: outOfScopeRecall(outcomes), mcc: mcc(outcomes), timing };
  };
  return { sofmattress: score('sofmattress'), curekart: score('curekart'), powerplay11: score('powerplay11') };
}

/** `count` items spread evenly over `items` (all of them when there are fewer), in their order. */
export function evenSample<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  return Array.from({ length: count }, (_, index) => items[Math.floor((index * items.length) / count)] as T);
}

const mean = (values: readonly number[]): number => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
