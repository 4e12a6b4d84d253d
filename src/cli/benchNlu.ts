import { parseArgs } from 'node:util';
import { BenchmarkDataError, HINT3_BOTS, loadBraun, loadClinc, loadHint3, type BraunCorpus } from '../nlu-eval/benchmarks/datasets.js';
import { readPublishedScores, type PublishedScore } from '../nlu-eval/benchmarks/metrics.js';
import { runBraun, runClinc, runHint3, type Timing } from '../nlu-eval/benchmarks/run.js';

/**
 * `npm run bench:nlu [-- --json] [--data DIR]`: the recogniser on Braun et al. 2017, CLINC150 and
 * HINT3 v1 (../shared/benchdata/README.md), each figure printed beside the published ones.
 * `--json` prints only {"braun2017":…,"clinc150":…,"hint3":…} on stdout, for CI to compare.
 */
const BRAUN_SUBSETS: Readonly<Record<BraunCorpus, string>> = { chatbot: 'Chatbot', askubuntu: 'AskUbuntu', webapps: 'WebApplications' };
/** published_scores.csv marks thresholds its authors chose on the test set; we flag those rows. */
const TUNED_ON_TEST = /chosen on the TEST set/i;

function main(): void {
  const { values: options } = parseArgs({
    options: { json: { type: 'boolean', default: false }, data: { type: 'string', default: '../shared/benchdata' } },
    strict: true,
  });
  const dataDir = options.data;
  const published = readPublishedScores(dataDir);
  const progress = (message: string) => {
    if (!options.json) process.stderr.write(`${message}\n`);
  };
  progress('Braun et al. 2017…');
  const braun = runBraun(loadBraun(dataDir));
  progress('CLINC150 (full)…');
  const clinc = runClinc(loadClinc(dataDir));
  progress('HINT3 v1…');
  const hint3 = runHint3(loadHint3(dataDir));

  if (options.json) {
    const summary = {
      braun2017: { chatbot: braun.corpora.chatbot.microF1, askubuntu: braun.corpora.askubuntu.microF1, webapps: braun.corpora.webapps.microF1, overall: braun.overall },
      clinc150: { inscope_accuracy: clinc.inScopeAccuracy, oos_recall: clinc.oosRecall },
      hint3: { sofmattress: { mcc: hint3.sofmattress.mcc }, curekart: { mcc: hint3.curekart.mcc }, powerplay11: { mcc: hint3.powerplay11.mcc } },
    };
    console.log(JSON.stringify(summary));
    return;
  }

  const corpora = Object.keys(BRAUN_SUBSETS) as BraunCorpus[];
  const sections = [
    section(
      'Braun et al. 2017: intent micro-F1 over all test items, None included (train: training=true, test: training=false)',
      comparison(published, 'braun2017', [
        ...corpora.map((corpus) => ({ heading: BRAUN_SUBSETS[corpus], subset: BRAUN_SUBSETS[corpus], metric: 'intent micro-F1', ours: braun.corpora[corpus].microF1 })),
        { heading: 'Overall', subset: 'Overall', metric: 'intent micro-F1', ours: braun.overall },
      ]),
      corpora.map((corpus) => `${BRAUN_SUBSETS[corpus]}: ${braun.corpora[corpus].items} test items, threshold ${braun.corpora[corpus].threshold} and tuning "${braun.corpora[corpus].tuning}" (cross-validation on train); ${timing(braun.corpora[corpus].timing)}`),
    ),
    section(
      'CLINC150 full: train on train + oos_train, threshold chosen on val + oos_val, scored on test + oos_test',
      comparison(published, 'clinc150', [
        { heading: 'in-scope accuracy (%)', subset: 'Full', metric: 'in-scope accuracy (%)', ours: clinc.inScopeAccuracy, scale: 100 },
        { heading: 'OOS recall (%)', subset: 'Full', metric: 'out-of-scope recall (%)', ours: clinc.oosRecall, scale: 100 },
      ]),
      [`threshold ${clinc.threshold}, tuning "${clinc.tuning}" (chosen on val); ${timing(clinc.timing)}`],
    ),
    ...HINT3_BOTS.map((bot) =>
      section(
        `HINT3 v1 ${bot}: train on ${bot}_train, scored on ${bot}_test (NO_NODES_DETECTED = out of scope, a class for MCC)`,
        comparison(published, 'hint3_v1', [
          { heading: 'accuracy', subset: bot, metric: 'Accuracy', ours: hint3[bot].accuracy },
          { heading: 'in-scope accuracy', subset: bot, metric: 'Inscope Accuracy', ours: hint3[bot].inScopeAccuracy },
          { heading: 'OOS recall', subset: bot, metric: 'OOS Recall', ours: hint3[bot].oosRecall },
          { heading: 'MCC', subset: bot, metric: 'MCC', ours: hint3[bot].mcc },
        ]),
        [`threshold ${hint3[bot].threshold}, tuning "${hint3[bot].tuning}" (best MCC under cross-validation on train, other bots' train as out of scope); ${timing(hint3[bot].timing)}`],
      ),
    ),
  ];
  console.log(sections.join('\n\n'));
  console.log(`\n* threshold chosen by the authors on the test set (reference only). Source of each published figure: ${dataDir}/published_scores.csv`);
}

interface Column {
  readonly heading: string;
  readonly subset: string;
  readonly metric: string;
  /** Our figure as a fraction; `scale` converts it to the unit the published figures use. */
  readonly ours: number;
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
  const ours = ['ours', ...columns.map((column) => (column.ours * (column.scale ?? 1)).toFixed(column.scale === 100 ? 1 : 3))];
  return [['system', ...columns.map((column) => column.heading)], ours, ...rows];
}

function section(title: string, table: readonly (readonly string[])[], notes: readonly string[]): string {
  const widths = (table[0] ?? []).map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  const lines = table.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  '));
  return [title, ...lines, ...notes.map((note) => `  ${note}`)].join('\n');
}

const timing = ({ trainingMs, medianClassifyMs, meanClassifyMs }: Timing): string =>
  `training ${trainingMs.toFixed(1)} ms; classify ${medianClassifyMs.toFixed(3)} ms/utterance median, ${meanClassifyMs.toFixed(3)} ms mean`;

try {
  main();
} catch (error) {
  // Missing or malformed data and unknown options are the user's to fix: one line, no stack.
  const usage = error instanceof BenchmarkDataError || (error instanceof TypeError && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS'));
  if (!usage) throw error;
  console.error(`bench:nlu: ${error.message}`);
  process.exitCode = 1;
}
