import type { ContentIssue } from '../errors.js';
import type { Content, SourcePositioned } from './types.js';

/** A source article, named by the id content cites it with ("seed 000" is id "000"). */
interface SourceText {
  readonly id: string;
  readonly text: string;
}

/** "Settings > iCloud > Storage & Backup > Manage Storage": each step is capitalised words or "&". */
const MENU_PATH = /Settings(?: > [A-Za-z][\w'-]*(?: (?:&|[A-Z][\w'-]*))*)+/g;
/** "1 to 4 hours", "180 days", "64 GB": a number, or a range, with a unit of time or size. */
const MEASURE = /\b\d+(?:[.,]\d+)?(?:\s*(?:to|-|–)\s*\d+(?:[.,]\d+)?)?\s*(?:hours?|days?|minutes?|weeks?|months?|years?|GB|gigabytes?|MB|megabytes?|TB|terabytes?|%|per ?cent)(?![\w])/gi;
const CITED = /seed (\d+)/g;

/**
 * Every menu path and every number with a unit in kb/ and dialogs/ must occur in the source the
 * entry or node cites (`source: "seed 000: …"`). Content citing no seed ("conversation") may only
 * use paths and numbers found in some source. Pure: the caller reads the articles.
 */
export function checkGrounding(content: Content, sources: readonly SourceText[]): ContentIssue[] {
  const normalized = new Map(sources.map((source) => [source.id, normalize(source.text)]));
  const all = [...normalized.values()];
  const issues: ContentIssue[] = [];
  const check = (item: SourcePositioned, text: string): void => {
    const cited = [...item.source.matchAll(CITED)].map((match) => match[1] ?? '');
    const missing = cited.filter((id) => !normalized.has(id));
    for (const id of missing) issues.push({ ...item.at, code: 'ERR_CONTENT_UNGROUNDED', message: `cites seed ${id}, which is not among the sources` });
    const texts = cited.length > 0 ? cited.flatMap((id) => normalized.get(id) ?? []) : all;
    for (const claim of claimsIn(text)) {
      if (!texts.some((source) => source.includes(normalize(claim)))) {
        const where = cited.length > 0 ? `its source (${cited.map((id) => `seed ${id}`).join(', ')})` : 'any source';
        issues.push({ ...item.at, code: 'ERR_CONTENT_UNGROUNDED', message: `"${claim}" does not occur in ${where}` });
      }
    }
  };
  for (const intent of content.intents) check(intent, intent.answer);
  for (const tree of content.trees.values()) for (const node of Object.values(tree.nodes)) check(node, node.say);
  return issues;
}

const claimsIn = (text: string): string[] => {
  const plain = text.replace(/\*\*|__|`/g, '');
  return [...new Set([...plain.matchAll(MENU_PATH), ...plain.matchAll(MEASURE)].map((match) => match[0].trim()))];
};

/** Case, spacing and the spelling of a range ("1–4", "1-4", "1 to 4") do not count. */
const normalize = (text: string): string =>
  text
    .replace(/\*\*|__|`/g, '')
    .replace(/(\d)\s*(?:–|-)\s*(\d)/g, '$1 to $2')
    .replace(/\s+/g, ' ')
    .toLowerCase();
