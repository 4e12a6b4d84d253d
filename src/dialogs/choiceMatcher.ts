import type { DialogChoice } from '../content/types.js';

/**
 * The certain readings of a typed answer: a choice's label or one of its examples word for word,
 * its position ("2", "the second one"), or a part of one label only ("got it" for "Yes, got it").
 * Looser readings (paraphrases, yes and no in other words) are the router's, learnt from the
 * choices' examples.
 */
export type MatchStrength = 'exact' | 'ordinal' | 'part';

export interface ChoiceMatch {
  readonly index: number;
  readonly strength: MatchStrength;
}

const ORDINALS: Record<string, number> = {
  '1': 0, first: 0, '1st': 0, one: 0, top: 0,
  '2': 1, second: 1, '2nd': 1, two: 1, middle: 1,
  '3': 2, third: 2, '3rd': 2, three: 2,
  '4': 3, fourth: 3, '4th': 3, four: 3,
  '5': 4, fifth: 4, '5th': 4, five: 4,
  '6': 5, sixth: 5, '6th': 5, six: 5,
};
const ORDINAL_FILLER = new Set(['the', 'one', 'option', 'choice', 'number', 'no', 'please', 'pick', 'i', 'choose', 'take', 'want', 'go', 'with', 'button', 'that']);

const words = (text: string): string[] =>
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

  const exact = choices.findIndex((choice) => [choice.label, ...choice.examples].some((option) => words(option).join(' ') === phrase));
  if (exact >= 0) return { index: exact, strength: 'exact' };

  const ordinal = ordinalOf(said, choices.length);
  if (ordinal !== null) return { index: ordinal, strength: 'ordinal' };

  const part = partOfOneLabel(choices, said);
  return part === null ? null : { index: part, strength: 'part' };
}

/**
 * A customer who types what a button says often drops its "yes" or "no" ("got it", "enough
 * space"): two or more words, all of them in one label and not all in any other, name that choice.
 * A single word ("thanks", "now") is too little to be sure of.
 */
function partOfOneLabel(choices: readonly DialogChoice[], said: readonly string[]): number | null {
  if (said.length < 2) return null;
  const bare = (word: string): string => word.replace(/'/g, '');
  const holders = choices
    .map((choice, index) => ({ index, words: new Set(words(choice.label).map(bare)) }))
    .filter((label) => said.every((word) => label.words.has(bare(word))));
  return holders.length === 1 ? (holders[0]?.index ?? null) : null;
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
