import { parseArgs } from 'node:util';
import { BenchmarkDataError, HINT3_BOTS, loadBraun, loadClinc, loadHint3, type BraunCorpus } from '../nlu-eval/benchmarks/datasets.js';
import { readPublishedScores, type PublishedScore } from '../nlu-eval/benchmarks/metrics.js';
import { runBraun, runClinc, runHint3, seeded, type Timing } from '../nlu-eval/benchmarks/run.js';

/**
 * `npm run bench:nlu [-- --json] [--data DIR] [--seeds N]`: the recogniser on Braun et al. 2017, CLINC150 and
 * HINT3 v1 (../shared/benchdata/README.md), each figure printed beside the published ones.
 * Every benchmark runs once per seed of the linear model and of Braun's cross-validation folds (`--seeds`, default 3), and each figure
 * is reported as the mean with its range. `--json` prints only {"seeds":…,"braun2017":…,"clinc150":…,
 * "hint3":…} on stdout, each figure as {mean, min, max, runs}, for CI to compare.
 */
const BRAUN_SUBSETS: Readonly<Record<BraunCorpus, string>> = { chatbot: 'Chatbot', askubuntu: 'AskUbuntu', webapps: 'WebApplications' };
/** published_scores.csv marks thresholds its authors chose on the test set; we flag those rows. */
const TUNED_ON_TEST = /chosen on the TEST set/i;

/** Runs are cheap next to the spread they reveal on a 59-item test set; more than this is a typo. */
const MAX_SEEDS = 20;

/** One figure over the runs: the mean is what the tables show, the range is the spread. */
interface Figure {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
}

const figure = (runs: readonly number[]): Figure => ({
  mean: runs.reduce((sum, value) => sum + value, 0) / runs.length,
  min: Math.min(...runs),
  max: Math.max(...runs),
  runs,
});

/** What each run chose without looking at test, and what it cost, for the JSON summary. */
const chosen = ({ threshold, tuning, timing }: { threshold: number; tuning: string; timing: Timing }) => ({ threshold, tuning, ...timing });

function main(): void {
  const { values: options } = parseArgs({
    options: { json: { type: 'boolean', default: false }, data: { type: 'string', default: '../shared/benchdata' }, seeds: { type: 'string', default: '3' } },
    strict: true,
  });
  const dataDir = options.data;
  const seeds = Number(options.seeds);
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > MAX_SEEDS) {
    console.error(`bench:nlu: --seeds takes a whole number from 1 to ${MAX_SEEDS}, not "${options.seeds}"`);
    process.exitCode = 1;
    return;
  }
  const published = readPublishedScores(dataDir);
  const progress = (message: string) => {
    if (!options.json) process.stderr.write(`${message}\n`);
  };
  const data = { braun: loadBraun(dataDir), clinc: loadClinc(dataDir), hint3: loadHint3(dataDir) };
  const runs = Array.from({ length: seeds }, (_, index) => {
    const tunings = seeded(index + 1);
    progress(`run ${index + 1} of ${seeds} (seed ${index + 1}): Braun et al. 2017…`);
    const braun = runBraun(data.braun, { tunings, seed: index + 1 });
    progress(`run ${index + 1} of ${seeds}: CLINC150 (full)…`);
    const clinc = runClinc(data.clinc, { tunings });
    progress(`run ${index + 1} of ${seeds}: HINT3 v1…`);
    return { braun, clinc, hint3: runHint3(data.hint3, { tunings }) };
  });
  const over = (pick: (run: (typeof runs)[number]) => number): Figure => figure(runs.map(pick));
  const corpora = Object.keys(BRAUN_SUBSETS) as BraunCorpus[];
  const summary = {
    seeds: runs.length,
    braun2017: {
      ...Object.fromEntries(corpora.map((corpus) => [corpus, over((run) => run.braun.corpora[corpus].microF1)])),
      overall: over((run) => run.braun.overall),
      chosen: Object.fromEntries(corpora.map((corpus) => [corpus, runs.map((run) => chosen(run.braun.corpora[corpus]))])),
    },
    clinc150: { inscope_accuracy: over((run) => run.clinc.inScopeAccuracy), oos_recall: over((run) => run.clinc.oosRecall), chosen: runs.map((run) => chosen(run.clinc)) },
    hint3: Object.fromEntries(
      HINT3_BOTS.map((bot) => [
        bot,
        { mcc: over((run) => run.hint3[bot].mcc), inscope_accuracy: over((run) => run.hint3[bot].inScopeAccuracy), oos_recall: over((run) => run.hint3[bot].oosRecall), chosen: runs.map((run) => chosen(run.hint3[bot])) },
      ]),
    ),
  };
  if (options.json) {
    console.log(JSON.stringify(summary));
    return;
  }

  const each = <T>(pick: (run: (typeof runs)[number]) => T): T[] => runs.map(pick);
  const list = (values: readonly (string | number)[]) => values.join(', ');
  const sections = [
    section(
      'Braun et al. 2017: intent micro-F1 over all test items, None included (train: training=true, test: training=false)',
      comparison(published, 'braun2017', [
        ...corpora.map((corpus) => ({ heading: BRAUN_SUBSETS[corpus], subset: BRAUN_SUBSETS[corpus], metric: 'intent micro-F1', ours: over((run) => run.braun.corpora[corpus].microF1) })),
        { heading: 'Overall', subset: 'Overall', metric: 'intent micro-F1', ours: over((run) => run.braun.overall) },
      ]),
      corpora.map(
        (corpus) =>
          `${BRAUN_SUBSETS[corpus]}: ${runs[0]?.braun.corpora[corpus].items ?? 0} test items; thresholds ${list(each((run) => run.braun.corpora[corpus].threshold))}, tunings "${list(each((run) => run.braun.corpora[corpus].tuning))}" (cross-validation on train); ${timing(runs[0]?.braun.corpora[corpus].timing)}`,
      ),
    ),
    section(
      'CLINC150 full: train on train + oos_train, threshold chosen on val + oos_val, scored on test + oos_test',
      comparison(published, 'clinc150', [
        { heading: 'in-scope accuracy (%)', subset: 'Full', metric: 'in-scope accuracy (%)', ours: summary.clinc150.inscope_accuracy, scale: 100 },
        { heading: 'OOS recall (%)', subset: 'Full', metric: 'out-of-scope recall (%)', ours: summary.clinc150.oos_recall, scale: 100 },
      ]),
      [`thresholds ${list(each((run) => run.clinc.threshold))}, tunings "${list(each((run) => run.clinc.tuning))}" (chosen on val); ${timing(runs[0]?.clinc.timing)}`],
    ),
    ...HINT3_BOTS.map((bot) =>
      section(
        `HINT3 v1 ${bot}: train on ${bot}_train, scored on ${bot}_test (NO_NODES_DETECTED = out of scope, a class for MCC)`,
        comparison(published, 'hint3_v1', [
          { heading: 'accuracy', subset: bot, metric: 'Accuracy', ours: over((run) => run.hint3[bot].accuracy) },
          { heading: 'in-scope accuracy', subset: bot, metric: 'Inscope Accuracy', ours: over((run) => run.hint3[bot].inScopeAccuracy) },
          { heading: 'OOS recall', subset: bot, metric: 'OOS Recall', ours: over((run) => run.hint3[bot].oosRecall) },
          { heading: 'MCC', subset: bot, metric: 'MCC', ours: over((run) => run.hint3[bot].mcc) },
        ]),
        [`thresholds ${list(each((run) => run.hint3[bot].threshold))}, tunings "${list(each((run) => run.hint3[bot].tuning))}" (one-standard-error rule on MCC under cross-validation on train, other bots' train as out of scope); ${timing(runs[0]?.hint3[bot].timing)}`],
      ),
    ),
  ];
  console.log(sections.join('\n\n'));
  console.log(`\nours: mean of ${runs.length} runs (linear model seeds 1–${runs.length}); range: lowest–highest run.`);
  console.log(`* threshold chosen by the authors on the test set (reference only). Source of each published figure: ${dataDir}/published_scores.csv`);
}

interface Column {
  readonly heading: string;
  readonly subset: string;
  readonly metric: string;
  /** Our figure as a fraction over the runs; `scale` converts it to the unit the published figures use. */
  readonly ours: Figure;
  readonly scale?: number;
}

/** Our row first, then one row per published system that reports any of the columns. */
function comparison(published: readonly PublishedScore[], dataset: string, columns: readonly Column[]): string[][] {
  const relevant = published.filter((score) => score.dataset === dataset && columns.some((column) => column.subset === score.subset && column.metric === score.metric));
  const systems = [...new Set(relevant.map((score) => score.system))];
  const rows = systems.map((system) => {
    const mine = relevant.filter((score) => score.system === system);
    const marker = mine.some((score) => TUNED_ON_TEST.test(score.notes)) ? ' *' : '';
    return [
      `${system}${marker}`,
      ...columns.map((column) => {
        const score = mine.find((candidate) => candidate.subset === column.subset && candidate.metric === column.metric);
        return score ? String(score.value) : '-';
      }),
    ];
  });
  const shown = (value: number, column: Column) => (value * (column.scale ?? 1)).toFixed(column.scale === 100 ? 1 : 3);
  const ours = ['ours', ...columns.map((column) => shown(column.ours.mean, column))];
  const range = ['ours, range', ...columns.map((column) => `${shown(column.ours.min, column)}–${shown(column.ours.max, column)}`)];
  return [['system', ...columns.map((column) => column.heading)], ours, range, ...rows];
}

function section(title: string, table: readonly (readonly string[])[], notes: readonly string[]): string {
  const widths = (table[0] ?? []).map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  const lines = table.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  '));
  return [title, ...lines, ...notes.map((note) => `  ${note}`)].join('\n');
}

const timing = (measured: Timing | undefined): string =>
  measured === undefined
    ? ''
    : `first run: training ${measured.trainingMs.toFixed(1)} ms; classify ${measured.medianClassifyMs.toFixed(3)} ms/utterance median, ${measured.meanClassifyMs.toFixed(3)} ms mean`;

try {
  main();
} catch (error) {
  // Missing or malformed data and unknown options are the user's to fix: one line, no stack.
  const usage = error instanceof BenchmarkDataError || (error instanceof TypeError && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS'));
  if (!usage) throw error;
  console.error(`bench:nlu: ${error.message}`);
  process.exitCode = 1;
}
