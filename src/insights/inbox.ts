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
}

/**
 * Groups messages by similar wording, in time order: a message joins the group with the most
 * similar kept example (at least `similarity`), else starts a group. Bounded: at most `maxGroups`
 * groups (later odd ones are counted in `overflow`) and `maxExamples` examples each, so a flood
 * of different nonsense costs a fixed amount of memory and time.
 */
export function groupMessages(items: readonly InboxItem[], options: GroupingOptions = DEFAULT_GROUPING): { groups: InboxGroup[]; overflow: number } {
  const sorted = [...items].sort((a, b) => a.at.localeCompare(b.at));
  const signatures = sorted.map((item) => signature(item.text));
  const frequency = new Map<string, number>();
  for (const words of signatures) for (const word of words) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const weight = (word: string) => Math.log((1 + sorted.length) / (1 + (frequency.get(word) ?? 0))) + 1;
  const groups: Building[] = [];
  let overflow = 0;
  for (const [index, item] of sorted.entries()) {
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
        overflow += 1;
        continue;
      }
      best = { id: groupId(item.text), text: item.text, count: 0, firstAt: item.at, lastAt: item.at, examples: [], texts: new Set(), signatures: [], why: {} };
      groups.push(best);
    }
    best.count += 1;
    best.lastAt = item.at;
    best.why[item.why] = (best.why[item.why] ?? 0) + 1;
    const wording = sameWording(item.text);
    if (!best.texts.has(wording) && best.texts.size < MAX_TEXTS) {
      best.texts.add(wording);
      if (best.examples.length < options.maxExamples) {
        best.examples.push(item.text);
        best.signatures.push(words);
      }
    }
  }
  const largest = groups.sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
  return { groups: largest.map(({ signatures: _signatures, texts, ...group }) => ({ ...group, texts: [...texts] })), overflow };
}

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
      event.kind === 'unplaced' ? { text: event.text, at, why: event.why } : event.kind === 'feedback' && !event.helpful && event.text ? { text: event.text, at, why: 'not_helpful' } : undefined;
    if (!item || item.text === '') continue;
    const cleared = triagedAt.get(sameWording(item.text));
    if (cleared === undefined || item.at > cleared) items.push(item);
  }
  return items;
}
