import { readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, stringify, type YAMLSeq } from 'yaml';
import { AppError, ContentError, formatIssue } from '../errors.js';
import { loadContent } from './load.js';

interface AppendResult {
  /** The topic's file, relative to the content folder. */
  readonly file: string;
  readonly added: readonly string[];
  /** Examples already known to some topic (the content refuses one example under two intents). */
  readonly skipped: readonly string[];
}

/**
 * Adds training examples to a topic's kb/ file under `root`: the new lines go after the topic's
 * last example with the same indentation, so every other byte of the file (comments, quoting,
 * layout) stays as it was. The edited file is checked with the whole content before anything is
 * written, then written atomically (a temp file renamed over it), so a running bot or a watcher
 * never reads half a file. Throws ERR_INBOX_UNKNOWN for an unknown topic, ERR_CONTENT_EDIT when
 * the content would not load (with its file:line:col messages).
 */
export function appendExamples(root: string, topic: string, examples: readonly string[]): AppendResult {
  const content = loadContent(root);
  const intent = content.intentById.get(topic);
  if (!intent || intent.action) throw new AppError('ERR_INBOX_UNKNOWN', `no topic '${topic}' in the content`);
  const known = new Set(content.intents.flatMap((intent) => intent.examples.map(sameExample)));
  const fresh: string[] = [];
  const skipped: string[] = [];
  for (const example of examples.map((text) => text.replace(/\s+/g, ' ').trim()).filter(Boolean)) {
    if (known.has(sameExample(example))) skipped.push(example);
    else {
      known.add(sameExample(example));
      fresh.push(example);
    }
  }
  const file = fileOf(root, topic);
  const relative = path.relative(root, file).split(path.sep).join('/');
  if (fresh.length === 0) return { file: relative, added: [], skipped };

  const edited = withExamples(readFileSync(file, 'utf8'), topic, fresh);
  try {
    loadContent(root, new Map([[file, edited]]));
  } catch (error) {
    const detail = error instanceof ContentError ? error.issues.map(formatIssue).join('\n') : String(error);
    throw new AppError('ERR_CONTENT_EDIT', `adding examples to ${relative} would break the content:\n${detail}`, { cause: error });
  }
  writeAtomically(file, edited);
  return { file: relative, added: fresh, skipped };
}

/** Case and spacing do not make an example new (the content's duplicate check agrees). */
const sameExample = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** The kb/ file that defines the topic, found by parsing each (the id, not the file name, is the key). */
function fileOf(root: string, topic: string): string {
  const dir = path.join(root, 'kb');
  for (const name of readdirSync(dir).filter((entry) => /\.ya?ml$/.test(entry)).sort()) {
    const file = path.join(dir, name);
    if (indexOfTopic(parseDocument(readFileSync(file, 'utf8')).toJS(), topic) >= 0) return file;
  }
  throw new AppError('ERR_INBOX_UNKNOWN', `no kb/ file defines topic '${topic}'`);
}

function indexOfTopic(data: unknown, topic: string): number {
  const intents = (data as { intents?: unknown } | null)?.intents;
  return Array.isArray(intents) ? intents.findIndex((intent) => (intent as { id?: unknown } | null)?.id === topic) : -1;
}

/** The file's text with the examples added to the topic's `examples` list. */
function withExamples(text: string, topic: string, examples: readonly string[]): string {
  const doc = parseDocument(text);
  const index = indexOfTopic(doc.toJS(), topic);
  const node = doc.getIn(['intents', index, 'examples'], true);
  const last = isSeq(node) ? (node as YAMLSeq).items.at(-1) : undefined;
  if (isSeq(node) && !node.flow && isScalar(last) && last.range) {
    // The last item's line, up to the item, is the indentation and dash every new line repeats.
    const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1;
    const prefix = text.slice(lineStart, last.range[0]);
    const lineEnd = text.indexOf('\n', last.range[1]);
    const at = lineEnd < 0 ? text.length : lineEnd;
    const lines = examples.map((example) => `\n${prefix}${scalar(example)}`).join('');
    return `${text.slice(0, at)}${lines}${text.slice(at)}`;
  }
  // A flow list or none at all: the Document API writes it, keeping comments elsewhere.
  const intent = doc.getIn(['intents', index], true);
  if (!isMap(intent)) throw new AppError('ERR_INBOX_UNKNOWN', `topic '${topic}' is not a mapping in its file`);
  for (const example of examples) doc.addIn(['intents', index, 'examples'], example);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** One example as a plain or quoted YAML scalar, on one line. */
const scalar = (example: string): string => stringify(example, { lineWidth: 0 }).trimEnd();

function writeAtomically(file: string, text: string): void {
  // Not .yaml, so a content watcher ignores it; same folder, so the rename cannot cross file systems.
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // the temp file was never written
    }
    throw new AppError('ERR_CONTENT_EDIT', `cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
}
