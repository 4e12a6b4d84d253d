import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Loaders for the public intent benchmarks in a benchdata folder (../shared/benchdata/README.md
 * describes each one). Every corpus comes out in one shape, with out-of-scope items labelled null
 * whatever the dataset calls them, so the runner treats all of them alike.
 */

/**
 * A benchmark file is missing or not in its published format: the user's to fix (point --data at
 * a benchdata folder), so the CLI reports it in one line rather than as a bug.
 */
export class BenchmarkDataError extends Error {
  override readonly name = 'BenchmarkDataError';
}

/** One labelled utterance; `label` null means out of scope. */
export interface Example {
  readonly text: string;
  readonly label: string | null;
}

export interface Split {
  readonly train: readonly Example[];
  /** Only where the dataset publishes one (CLINC150); the others choose thresholds on train. */
  readonly validation?: readonly Example[];
  readonly test: readonly Example[];
}

/** How each dataset marks out of scope: Braun's off-topic questions are a real intent named "None". */
const OUT_OF_SCOPE_LABELS = { braun2017: 'None', clinc150: 'oos', hint3: 'NO_NODES_DETECTED' } as const;

const BRAUN_CORPORA = { chatbot: 'ChatbotCorpus.json', askubuntu: 'AskUbuntuCorpus.json', webapps: 'WebApplicationsCorpus.json' } as const;
export type BraunCorpus = keyof typeof BRAUN_CORPORA;

export const HINT3_BOTS = ['sofmattress', 'curekart', 'powerplay11'] as const;
export type Hint3Bot = (typeof HINT3_BOTS)[number];

const braunSchema = z.object({
  sentences: z.array(z.object({ text: z.string(), intent: z.string(), training: z.boolean() })).min(1),
});

const pairs = z.array(z.tuple([z.string(), z.string()]));
const clincSchema = z.object({ train: pairs, val: pairs, test: pairs, oos_train: pairs, oos_val: pairs, oos_test: pairs });

const labelled = (text: string, label: string, outOfScope: string): Example => ({ text, label: label === outOfScope ? null : label });

/** Braun et al. 2017: the `training` flag is the paper's split. */
export function loadBraun(dataDir: string): Record<BraunCorpus, Split> {
  const load = (file: string): Split => {
    const { sentences } = readJson(path.join(dataDir, 'braun2017', file), braunSchema);
    const examples = (training: boolean) =>
      sentences.filter((sentence) => sentence.training === training).map((sentence) => labelled(sentence.text, sentence.intent, OUT_OF_SCOPE_LABELS.braun2017));
    return { train: examples(true), test: examples(false) };
  };
  return { chatbot: load(BRAUN_CORPORA.chatbot), askubuntu: load(BRAUN_CORPORA.askubuntu), webapps: load(BRAUN_CORPORA.webapps) };
}

/** CLINC150 "full": the oos_* lists join the in-scope lists of the same split. */
export function loadClinc(dataDir: string): Split {
  const data = readJson(path.join(dataDir, 'clinc150', 'data_full.json'), clincSchema);
  const examples = (...lists: (readonly [string, string][])[]) => lists.flat().map(([text, label]) => labelled(text, label, OUT_OF_SCOPE_LABELS.clinc150));
  return { train: examples(data.train, data.oos_train), validation: examples(data.val, data.oos_val), test: examples(data.test, data.oos_test) };
}

/** HINT3 v1, the version the paper's results were computed on; full (not subset) training files. */
export function loadHint3(dataDir: string): Record<Hint3Bot, Split> {
  const folder = path.join(dataDir, 'hint3', 'dataset', 'v1');
  const load = (bot: Hint3Bot): Split => ({
    train: readHint3Csv(path.join(folder, 'train', `${bot}_train.csv`)),
    test: readHint3Csv(path.join(folder, 'test', `${bot}_test.csv`)),
  });
  return { sofmattress: load('sofmattress'), curekart: load('curekart'), powerplay11: load('powerplay11') };
}

function readHint3Csv(file: string): Example[] {
  const [header = [], ...rows] = parseCsv(readText(file));
  const sentence = header.indexOf('sentence');
  const label = header.indexOf('label');
  if (sentence < 0 || label < 0) throw new BenchmarkDataError(`${file}: expected a header with "sentence" and "label" columns, found "${header.join(',')}"`);
  return rows.map((row, index) => {
    const text = row[sentence];
    const name = row[label];
    // Row numbers count records, not lines: some test sentences span several lines inside quotes.
    if (text === undefined || !name) throw new BenchmarkDataError(`${file}: record ${index + 2} has no sentence or no label`);
    return labelled(text, name, OUT_OF_SCOPE_LABELS.hint3);
  });
}

/**
 * RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks (HINT3 test files
 * have multi-line sentences); a quote inside an unquoted field is literal, as Python's csv reads it.
 * Returns every record, header included, without a trailing empty one.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let index = 0;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = '';
  };
  while (index < text.length) {
    const char = text[index] as string;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n') endRecord();
    else if (char !== '\r') field += char;
    index += 1;
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new BenchmarkDataError(`cannot read benchmark file ${file} (is --data pointing at a benchdata folder?)`, { cause: error });
  }
}

function readJson<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(readText(file));
  } catch (error) {
    if (error instanceof SyntaxError) throw new BenchmarkDataError(`${file}: not valid JSON (${error.message})`, { cause: error });
    throw error;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BenchmarkDataError(`${file}: unexpected format at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
