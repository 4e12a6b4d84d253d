import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { ContentIssue, SourcePosition } from '../errors.js';

type Path = readonly (string | number)[];

/** A parsed content file that can point at the line and column of any value in it. */
export interface YamlSource<T> {
  readonly file: string;
  readonly data: T;
  at(path: Path): SourcePosition;
}

export type ParseResult<T> = { ok: true; source: YamlSource<T> } | { ok: false; issues: ContentIssue[] };

export function parseYamlFile<S extends z.ZodType>(file: string, text: string, schema: S): ParseResult<z.infer<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): SourcePosition => ({ file, ...lineCounter.linePos(offset) });

  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => ({ ...position(error.pos[0]), code: 'ERR_CONTENT_YAML', message: firstLine(error.message) })),
    };
  }
  const at = (path: Path, atKey = false): SourcePosition => position(offsetOf(doc, path, atKey));
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        ...(issue.code === 'unrecognized_keys' ? at([...(issue.path as Path), issue.keys[0] ?? ''], true) : at(issue.path as Path)),
        code: 'ERR_CONTENT_SCHEMA',
        message: describeSchemaIssue(issue),
      })),
    };
  }
  return { ok: true, source: { file, data: parsed.data, at } };
}

/**
 * Where `path` is in the file: a scalar value points at the value (`next: tarvel`), a mapping or
 * a key asked for with `atKey` at its key (`loop_b:`), and a path that does not exist (a missing
 * key) at the deepest parent that does.
 */
function offsetOf(doc: Document, path: Path, atKey = false): number {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isScalar(node) && node.range && !(atKey && depth === path.length)) return node.range[0];
    const parent = depth === 0 ? undefined : depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true);
    const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && item.key.value === path[depth - 1]) : undefined;
    if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function describeSchemaIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys') return `${where}unknown key ${issue.keys.map((key) => `'${key}'`).join(', ')}`;
  return `${where}${issue.message}`;
}

const firstLine = (message: string): string => message.split('\n')[0] ?? message;
