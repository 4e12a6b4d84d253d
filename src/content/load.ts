import { readdirSync, readFileSync as readFile } from 'node:fs';
import path from 'node:path';
import { ContentError, type ContentIssue } from '../errors.js';
import { lintContent } from './lint.js';
import {
  botFileSchema,
  intentFileSchema,
  recognizerFileSchema,
  synonymFileSchema,
  treeFileSchema,
  type BotFile,
  type IntentFile,
  type RecognizerFile,
  type SynonymFile,
  type TreeFile,
} from './schema.js';
import type { Content, DialogTree, Intent, RecognizerSettings } from './types.js';
import { parseYamlFile, type ParseResult, type YamlSource } from './yamlFile.js';

const BOT_FILE = 'bot.yaml';
const SYNONYM_FILE = 'synonyms.yaml';
const RECOGNIZER_FILE = 'recognizer.yaml';

/** Used only when kb/recognizer.yaml is absent (test fixtures); the shipped values come from `npm run eval`. */
const FALLBACK_RECOGNIZER: RecognizerSettings = { threshold: 0.5, ambiguityMargin: 0.05, suggestions: 3 };

/**
 * Loads kb/*.yaml and dialogs/*.yaml under `root`, checks every file and every cross-reference,
 * and returns frozen content, or throws one ContentError listing every problem found. `edited`
 * stands in for files by path, so an edit is checked with the whole content before it is written.
 */
export function loadContent(root: string, edited: ReadonlyMap<string, string> = new Map()): Content {
  const readFileSync = (file: string, encoding: 'utf8') => edited.get(file) ?? readFile(file, encoding);
  const issues: ContentIssue[] = [];
  const keep = <T>(result: ParseResult<T>): YamlSource<T>[] => {
    if (result.ok) return [result.source];
    issues.push(...result.issues);
    return [];
  };

  const kbFiles = yamlFilesIn(root, 'kb', issues);
  const intentFiles: YamlSource<IntentFile>[] = [];
  const synonymFiles: YamlSource<SynonymFile>[] = [];
  const recognizerFiles: YamlSource<RecognizerFile>[] = [];
  const botFiles: YamlSource<BotFile>[] = [];
  for (const file of kbFiles) {
    const name = path.basename(file);
    const text = readFileSync(file, 'utf8');
    const shown = displayPath(file);
    if (name === BOT_FILE) botFiles.push(...keep(parseYamlFile(shown, text, botFileSchema)));
    else if (name === SYNONYM_FILE) synonymFiles.push(...keep(parseYamlFile(shown, text, synonymFileSchema)));
    else if (name === RECOGNIZER_FILE) recognizerFiles.push(...keep(parseYamlFile(shown, text, recognizerFileSchema)));
    else intentFiles.push(...keep(parseYamlFile(shown, text, intentFileSchema)));
  }
  const treeFiles = yamlFilesIn(root, 'dialogs', issues).flatMap((file) =>
    keep(parseYamlFile(displayPath(file), readFileSync(file, 'utf8'), treeFileSchema)),
  );

  const [botFile] = botFiles;
  if (!botFile && !issues.some((issue) => issue.file.endsWith(BOT_FILE))) {
    issues.push({ file: displayPath(path.join(root, 'kb', BOT_FILE)), line: 1, col: 1, code: 'ERR_CONTENT_EMPTY', message: `missing ${BOT_FILE}: the bot's own phrases` });
  }
  if (issues.length === 0) issues.push(...lintContent(intentFiles, treeFiles, botFiles));
  if (issues.length > 0 || !botFile) throw new ContentError(issues);

  const intents = intentFiles.flatMap(toIntents);
  return deepFreeze({
    intents,
    intentById: new Map(intents.map((intent) => [intent.id, intent])),
    trees: new Map(treeFiles.map((source) => [source.data.id, toTree(source)])),
    synonyms: synonymFiles.flatMap((source) => source.data.synonyms),
    recognizer: recognizerFiles[0]?.data.recognizer ?? FALLBACK_RECOGNIZER,
    phrases: botFile.data.bot,
    answers: botFile.data.answers,
  });
}

function yamlFilesIn(root: string, folder: string, issues: ContentIssue[]): string[] {
  const dir = path.join(root, folder);
  let names: string[];
  try {
    names = readdirSync(dir).filter(isContentFile).sort();
  } catch {
    names = [];
  }
  if (names.length === 0) {
    issues.push({ file: displayPath(dir), line: 1, col: 1, code: 'ERR_CONTENT_EMPTY', message: `no .yaml files in ${folder}/` });
  }
  return names.map((name) => path.join(dir, name));
}

/**
 * A .yaml file that is not hidden: editors keep hidden files beside the one being edited (Emacs's
 * `.#topic.yaml` lock is a dangling link), and a running bot reloads while they exist.
 */
export const isContentFile = (name: string): boolean => /\.ya?ml$/.test(name) && !name.startsWith('.');

const displayPath = (file: string): string => path.relative(process.cwd(), file) || file;

const toIntents = (source: YamlSource<IntentFile>): Intent[] =>
  source.data.intents.map((intent, index) => ({ ...intent, at: source.at(['intents', index]) }));

const toTree = (source: YamlSource<TreeFile>): DialogTree => ({
  id: source.data.id,
  title: source.data.title,
  start: source.data.start,
  ...(source.data.underway ? { underway: true as const } : {}),
  nodes: Object.fromEntries(Object.entries(source.data.nodes).map(([id, node]) => [id, { id, ...node, at: source.at(['nodes', id]) }])),
  at: source.at(['id']),
});

function deepFreeze<T>(value: T): T {
  if (value instanceof Map) {
    for (const entry of value.values()) deepFreeze(entry);
  } else if (value && typeof value === 'object') {
    for (const entry of Object.values(value)) deepFreeze(entry);
  }
  return Object.freeze(value);
}
