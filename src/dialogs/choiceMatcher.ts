import type { DialogChoice } from '../content/types.js';

/**
 * How a typed answer picked a choice. exact/ordinal/yesno are certain enough to win over a topic
 * switch; overlap is a guess the router only takes when nothing else fits.
 */
export type MatchStrength = 'exact' | 'ordinal' | 'yesno' | 'overlap';

export interface ChoiceMatch {
  readonly index: number;
  readonly strength: MatchStrength;
}

/** Replies longer than this are read as a new message, not a yes or no. */
const YES_NO_MAX_WORDS = 6;
/** Share of a label's words a reply must contain to count as picking it. */
const OVERLAP_MIN = 0.6;

const ORDINALS: Record<string, number> = {
  '1': 0, first: 0, '1st': 0, one: 0, top: 0,
  '2': 1, second: 1, '2nd': 1, two: 1, middle: 1,
  '3': 2, third: 2, '3rd': 2, three: 2,
  '4': 3, fourth: 3, '4th': 3, four: 3,
  '5': 4, fifth: 4, '5th': 4, five: 4,
  '6': 5, sixth: 5, '6th': 5, six: 5,
};
const ORDINAL_FILLER = new Set(['the', 'one', 'option', 'choice', 'number', 'no', 'please', 'pick', 'i', 'choose', 'take', 'want', 'go', 'with', 'button', 'that']);

const NO = /\b(no|nope|nah|not|never|nothing|negative|unfortunately|still|neither|none|n)\b|n't\b/;
const YES = /\b(yes|yeah|yea|yep|yup|ya|sure|ok|okay|worked|works|working|fixed|solved|resolved|sorted|great|perfect|done|correct|right|y|absolutely|definitely|affirmative|got it|i did|i do|i have)\b/;

export const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^\p{L}\p{N}'\s]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);

export function matchChoice(choices: readonly DialogChoice[], text: string): ChoiceMatch | null {
  const said = words(text);
  const phrase = said.join(' ');
  if (said.length === 0) return null;

  const exact = choices.findIndex((choice) => [choice.label, ...choice.also].some((option) => words(option).join(' ') === phrase));
  if (exact >= 0) return { index: exact, strength: 'exact' };

  const ordinal = ordinalOf(said, choices.length);
  if (ordinal !== null) return { index: ordinal, strength: 'ordinal' };

  if (said.length <= YES_NO_MAX_WORDS) {
    const means = NO.test(phrase) ? 'no' : YES.test(phrase) ? 'yes' : null;
    const index = means ? choices.findIndex((choice) => choice.means === means) : -1;
    if (index >= 0) return { index, strength: 'yesno' };
  }

  const overlap = bestOverlap(choices, new Set(said));
  return overlap === null ? null : { index: overlap, strength: 'overlap' };
}

/** "2", "the second one", "last": the position a customer named among `count` options. */
export const ordinalIn = (text: string, count: number): number | null => ordinalOf(words(text), count);

function ordinalOf(said: readonly string[], count: number): number | null {
  const positions = said.map((word) => (word === 'last' ? count - 1 : ORDINALS[word.replace(/^#/, '')])).filter((index) => index !== undefined);
  const rest = said.filter((word) => ORDINALS[word.replace(/^#/, '')] === undefined && word !== 'last' && !ORDINAL_FILLER.has(word));
  const [position] = positions;
  if (position === undefined || rest.length > 0 || position >= count) return null;
  return position;
}

/** Words that say nothing about which option was meant. */
const FILLER = new Set(['a', 'an', 'the', 'me', 'my', 'i', 'it', 'is', 'to', 'of', 'please', 'for', 'and', 'that', 'this', 'with', 'get', "i'm", "it's"]);

function bestOverlap(choices: readonly DialogChoice[], said: ReadonlySet<string>): number | null {
  let best: { index: number; score: number } | null = null;
  choices.forEach((choice, index) => {
    for (const option of [choice.label, ...choice.also]) {
      const optionWords = words(option).filter((word) => !FILLER.has(word));
      if (optionWords.length === 0) continue;
      const score = optionWords.filter((word) => said.has(word)).length / optionWords.length;
      if (score >= OVERLAP_MIN && (!best || score > best.score)) best = { index, score };
    }
  });
  return (best as { index: number } | null)?.index ?? null;
}
