import { AggressiveTokenizer, PorterStemmer } from './natural.js';

/**
 * Contractions are expanded so "can't restore" and "cannot restore" share tokens. Customers on a
 * phone often leave out the apostrophe: "doesnt", "isnt" and "didnt" are expanded too, from a
 * closed list, as "want" or "went" must stay whole; so are "ill" and "ive", which here are "I'll"
 * and "I've" far more often than a word of their own (read as "ill", it sounded upset).
 */
const CONTRACTIONS: ReadonlyArray<[RegExp, string]> = [
  [/\bcan'?t\b/g, 'can not'],
  [/\b(do|does|did|is|are|was|were|has|have|had|could|would|should|must|need)nt\b/g, '$1 not'],
  [/\bill\b/g, 'i will'],
  [/\bive\b/g, 'i have'],
  [/\bwon'?t\b/g, 'will not'],
  [/\bain'?t\b/g, 'is not'],
  [/\b(\w+)n't\b/g, '$1 not'],
  [/\b(i)'?m\b/g, '$1 am'],
  [/\b(\w+)'re\b/g, '$1 are'],
  [/\b(\w+)'ve\b/g, '$1 have'],
  [/\b(\w+)'ll\b/g, '$1 will'],
  [/\b(\w+)'d\b/g, '$1 would'],
  [/\b(\w+)'s\b/g, '$1'],
  // Voice-to-text and hurried thumbs write "how do I no if…" for "know": after "how do/can/would I", "no" is never the answer word.
  [/\b(how (?:do|can|would|will|should) (?:i|we|you|u)) no\b/g, '$1 know'],
];

const tokenizer = new AggressiveTokenizer();

/**
 * Laughter ("lol", "hahaha", "lmao") says how the customer feels, and "anyway" only that they go
 * on, never what they ask or answer: "did that twice lol" is the step done twice. Kept, laughter was
 * an unknown word that sank the answer and an example's rare word that made it small talk, and
 * "how many does icloud keep anyway" was unsure.
 */
const FILLER = /^(?:lol+|lmf?ao+|rofl|lulz|(?:ha){2,}h?|(?:he){3,}|anyways?|anyhow)$/;

/** Lower-cased word tokens, contractions expanded, punctuation and emoji dropped. */
export function tokenize(text: string): string[] {
  let clean = text.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc`´]/g, "'");
  for (const [pattern, replacement] of CONTRACTIONS) clean = clean.replace(pattern, replacement);
  return tokenizer
    .tokenize(clean)
    .flatMap((token) => token.split(/['/]+/))
    .map((token) => token.replace(/^-+|-+$/g, ''))
    .filter((token) => token.length > 0 && !FILLER.test(token));
}

/**
 * Words stemmed so far: natural's Porter stemmer runs a dozen regular expressions per word, and
 * customers use the same few thousand words. Emptied when full, so odd input cannot grow it.
 */
const stems = new Map<string, string>();
const MAX_STEMS = 50_000;

/**
 * A message as one word, the way a one-word answer is compared ("Y!", "n.", "👍🏽" → "y", "n", "👍"):
 * lower case, without spaces, punctuation, emoji variation selectors or skin tones.
 */
export function asOneWord(text: string): string {
  return text.toLowerCase().replace(/[\s\p{P}\u{FE0F}\u{1F3FB}-\u{1F3FF}]+/gu, '');
}

export function stem(token: string): string {
  const known = stems.get(token);
  if (known !== undefined) return known;
  const stemmed = /^\d+$/.test(token) ? token : PorterStemmer.stem(token);
  if (stems.size >= MAX_STEMS) stems.clear();
  stems.set(token, stemmed);
  return stemmed;
}

export interface SynonymRule {
  readonly variant: readonly string[];
  readonly canonical: readonly string[];
}

/** Longest-match replacement of synonym phrases; returns the new tokens and what was replaced. */
export function applySynonyms(tokens: readonly string[], rules: ReadonlyMap<string, readonly SynonymRule[]>) {
  const out: string[] = [];
  const applied: { from: string; to: string }[] = [];
  for (let i = 0; i < tokens.length; ) {
    const rule = (rules.get(tokens[i] ?? '') ?? []).find((candidate) =>
      candidate.variant.every((word, offset) => tokens[i + offset] === word),
    );
    if (rule) {
      out.push(...rule.canonical);
      applied.push({ from: rule.variant.join(' '), to: rule.canonical.join(' ') });
      i += rule.variant.length;
    } else {
      out.push(tokens[i] ?? '');
      i += 1;
    }
  }
  return { tokens: out, applied };
}

/** Rules keyed by first word, longest phrase first, so "back up" wins over "back". */
export function compileSynonyms(synonyms: readonly { canonical: string; variants: readonly string[] }[]): Map<string, SynonymRule[]> {
  const rules = new Map<string, SynonymRule[]>();
  for (const { canonical, variants } of synonyms) {
    const target = tokenize(canonical);
    for (const variant of variants) {
      const words = tokenize(variant);
      const first = words[0];
      if (!first || words.join(' ') === target.join(' ')) continue;
      rules.set(first, [...(rules.get(first) ?? []), { variant: words, canonical: target }]);
    }
  }
  for (const list of rules.values()) list.sort((a, b) => b.variant.length - a.variant.length);
  return rules;
}
