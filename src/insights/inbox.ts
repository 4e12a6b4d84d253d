import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Recorded, UnplacedWhy } from './events.js';

/** natural's index loads dotenv and its storage back-ends; only these submodules are needed (as in src/nlu/natural.ts). */
const require = createRequire(import.meta.url);
const Tokenizer = require('natural/lib/natural/tokenizers/aggressive_tokenizer.js') as new () => { tokenize(text: string): string[] };
const PorterStemmer = require('natural/lib/natural/stemmers/porter_stemmer.js') as { stem(token: string): string };
const STOPWORDS = new Set((require('natural/lib/natural/util/stopwords.js') as { words: string[] }).words);
const tokenizer = new Tokenizer();

/** One message the bot could not place, or a question whose answer did not help. */
export interface InboxItem {
  readonly text: string;
  readonly at: string;
  readonly why: UnplacedWhy | 'not_helpful';
  /** What the customer typed about the unhelpful answer (Teams' feedback form). */
  readonly comment?: string;
}

/** A customer's comment on an unhelpful answer, beside the question in its group. */
export interface InboxComment {
  readonly text: string;
  readonly at: string;
}

export interface InboxGroup {
  /** Stable while its first message is kept: what the console sends to dismiss or assign it. */
  readonly id: string;
  /** The group's first message, shown as its name. */
  readonly text: string;
  readonly count: number;
  readonly firstAt: string;
  readonly lastAt: string;
  /** Up to `maxExamples` different wordings, oldest first: what an assignment adds to the topic. */
  readonly examples: readonly string[];
  /** Every different wording seen (bounded): what a dismissal hides. */
  readonly texts: readonly string[];
  readonly why: Readonly<Partial<Record<InboxItem['why'], number>>>;
  /** The newest comments on the group's unhelpful answers, newest first (at most MAX_COMMENTS). */
  readonly comments: readonly InboxComment[];
}

export interface GroupingOptions {
  /** IDF-weighted Jaccard similarity of stem sets from which two messages share a group (bench/inboxGrouping.ts measures it). */
  readonly similarity: number;
  readonly maxGroups: number;
  readonly maxExamples: number;
}

/**
 * Measured with bench/inboxGrouping.ts on the kb's 150 held-out questions (20 topics), grouped as
 * if all were unplaced: at 0.34, pairs grouped together share a topic 47% of the time (15% with
 * plain Jaccard, which IDF weighting replaced); below 0.3 a few large mixed groups form, above 0.4
 * almost every message stands alone. Held-out questions are deliberately varied paraphrases, so
 * recall is low (2.6%); what an inbox fills with is the same question worded nearly alike.
 */
export const DEFAULT_GROUPING: GroupingOptions = { similarity: 0.34, maxGroups: 500, maxExamples: 20 };

/** Distinct wordings a group remembers: a group asked 10,000 times must not hold 10,000 strings. */
const MAX_TEXTS = 200;
/** Distinct wordings grouped, the newest: 5,000 x 500 groups x 5 examples compared stays under a second. */
const MAX_WORDINGS = 5000;
/** A group's first examples a new wording is compared with. */
const MAX_COMPARED = 5;
/** Comments a wording and a group keep, the newest: enough to see what was missing, bounded however many came. */
const MAX_COMMENTS = 5;

/** Content words, stemmed; a message of function words alone keeps its words as they are. */
export function signature(text: string): ReadonlySet<string> {
  const tokens = tokenizer.tokenize(text.toLowerCase());
  const content = tokens.filter((token) => !STOPWORDS.has(token));
  return new Set((content.length > 0 ? content : tokens).map((token) => PorterStemmer.stem(token)));
}

/**
 * Weighted Jaccard: the weight of the words both share over the weight of all their words. A word
 * weighs its inverse document frequency among the messages grouped, so the words nearly every
 * message of a support inbox has ("restore", "backup", "iphone") count for little and the words
 * that tell questions apart count for much.
 */
export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>, weight: (word: string) => number): number {
  let shared = 0;
  let all = 0;
  for (const word of a) {
    const w = weight(word);
    all += w;
    if (b.has(word)) shared += w;
  }
  for (const word of b) if (!a.has(word)) all += weight(word);
  return all === 0 ? 1 : shared / all;
}

/** How a dismissal or assignment recognises a message: case and spacing do not make it new. */
export const sameWording = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

interface Building {
  id: string;
  text: string;
  count: number;
  firstAt: string;
  lastAt: string;
  examples: string[];
  texts: Set<string>;
  signatures: ReadonlySet<string>[];
  why: Partial<Record<InboxItem['why'], number>>;
  comments: InboxComment[];
}

/** One wording, however often it came: a flood of the same words is grouped once. */
interface Wording {
  readonly key: string;
  readonly text: string;
  count: number;
  firstAt: string;
  lastAt: string;
  readonly why: Partial<Record<InboxItem['why'], number>>;
  comments: InboxComment[];
}

/**
 * Groups messages by similar wording: identical wordings are counted together first, then each
 * wording, oldest first, joins the group whose kept examples it is most similar to (at least
 * `similarity`), else starts a group. Bounded in memory and time whatever customers send: the
 * newest MAX_WORDINGS wordings are grouped (older ones are counted in `overflow`), against at most
 * MAX_COMPARED examples per group, into at most `maxGroups` groups (a wording that fits none once
 * they are full is counted in `overflow`), each keeping `maxExamples` examples.
 */
export function groupMessages(items: readonly InboxItem[], options: GroupingOptions = DEFAULT_GROUPING): { groups: InboxGroup[]; overflow: number } {
  const wordings = new Map<string, Wording>();
  for (const item of items) {
    const key = sameWording(item.text);
    const known = wordings.get(key) ?? { key, text: item.text, count: 0, firstAt: item.at, lastAt: item.at, why: {}, comments: [] };
    known.count += 1;
    if (item.comment) known.comments = newestComments(known.comments, [{ text: item.comment, at: item.at }]);
    if (item.at < known.firstAt) known.firstAt = item.at;
    if (item.at > known.lastAt) known.lastAt = item.at;
    known.why[item.why] = (known.why[item.why] ?? 0) + 1;
    wordings.set(key, known);
  }
  const newest = [...wordings.values()].sort((a, b) => b.lastAt.localeCompare(a.lastAt));
  let overflow = newest.slice(MAX_WORDINGS).reduce((sum, wording) => sum + wording.count, 0);
  const kept = newest.slice(0, MAX_WORDINGS).sort((a, b) => a.firstAt.localeCompare(b.firstAt));
  const signatures = kept.map((wording) => signature(wording.text));
  const frequency = new Map<string, number>();
  for (const words of signatures) for (const word of words) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const weight = (word: string) => Math.log((1 + kept.length) / (1 + (frequency.get(word) ?? 0))) + 1;
  const groups: Building[] = [];
  for (const [index, wording] of kept.entries()) {
    const words = signatures[index] ?? new Set<string>();
    let best: Building | undefined;
    let bestScore = -1;
    for (const group of groups) {
      for (const other of group.signatures) {
        const score = similarity(words, other, weight);
        if (score > bestScore) {
          best = group;
          bestScore = score;
        }
      }
    }
    if (bestScore < options.similarity) best = undefined;
    if (!best) {
      if (groups.length >= options.maxGroups) {
        overflow += wording.count;
        continue;
      }
      best = { id: groupId(wording.text), text: wording.text, count: 0, firstAt: wording.firstAt, lastAt: wording.lastAt, examples: [], texts: new Set(), signatures: [], why: {}, comments: [] };
      groups.push(best);
    }
    best.count += wording.count;
    if (wording.lastAt > best.lastAt) best.lastAt = wording.lastAt;
    for (const [why, count] of Object.entries(wording.why) as [InboxItem['why'], number][]) best.why[why] = (best.why[why] ?? 0) + count;
    if (wording.comments.length > 0) best.comments = newestComments(best.comments, wording.comments);
    if (best.texts.size < MAX_TEXTS) best.texts.add(wording.key);
    if (best.examples.length < options.maxExamples) {
      best.examples.push(wording.text);
      if (best.signatures.length < MAX_COMPARED) best.signatures.push(words);
    }
  }
  const largest = groups.sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
  return { groups: largest.map(({ signatures: _signatures, texts, ...group }) => ({ ...group, texts: [...texts] })), overflow };
}

const newestComments = (kept: readonly InboxComment[], more: readonly InboxComment[]): InboxComment[] =>
  [...kept, ...more].sort((a, b) => b.at.localeCompare(a.at)).slice(0, MAX_COMMENTS);

const groupId = (text: string): string => createHash('sha256').update(sameWording(text)).digest('hex').slice(0, 12);

/**
 * The inbox's messages from the event log: unplaced messages and the questions of unhelpful
 * answers, less those an agent dismissed or assigned since (a later repeat comes back).
 */
export function inboxItems(events: readonly Recorded[]): InboxItem[] {
  const triagedAt = new Map<string, string>();
  for (const { at, event } of events) if (event.kind === 'triaged') for (const text of event.texts) triagedAt.set(sameWording(text), at);
  const items: InboxItem[] = [];
  for (const { at, event } of events) {
    const item: InboxItem | undefined =
      event.kind === 'unplaced'
        ? { text: event.text, at, why: event.why }
        : event.kind === 'feedback' && !event.helpful && event.text
          ? { text: event.text, at, why: 'not_helpful', ...(event.comment ? { comment: event.comment } : {}) }
          : undefined;
    if (!item || item.text === '') continue;
    const cleared = triagedAt.get(sameWording(item.text));
    if (cleared === undefined || item.at > cleared) items.push(item);
  }
  return items;
}
