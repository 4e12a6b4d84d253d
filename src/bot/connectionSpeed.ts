import type { BotPhrases } from '../content/types.js';

/**
 * A fast connection told in figures or names: "500mbps", "fibre", "gigabit at the office", "the
 * wifi is fast". The steps' answers know "the wifi works fine", never a speed ("500mbps" reads as
 * nothing, and "my wifi is fibre" leaned to "no Wi-Fi" for sharing only "wifi" with it), and a
 * customer told a restore takes hours per gigabyte answers with their speed, to be told the article's
 * "even with a fast connection".
 */

/** A speed in megabits: "500mbps", "80 Mb/s", "500 meg fibre", "200 down". Storage ("200mb free") is no speed. */
const SPEED = /(\d{1,5})\s*(?:mbps|mbit\/?s?|mb\/s|megabits?|meg\b|mb\b(?!\s*(?:free|left|available|remaining|of|out of|used))|down(?:load)?\b)/i;
/** Words that make "500mb" a speed rather than a size: the line it comes over, or a test of it. */
const LINE = /\b(?:wi-?fi|internet|broadband|fib(?:re|er)|connection|router|speed ?test|speed|download)\b/i;
/** Lines sold as fast: fibre, gigabit. */
const FAST_LINE = /\bfib(?:re|er)\b|\bgigabit\b|\bgig (?:internet|broadband|fib(?:re|er)|wi-?fi|connection)\b|\bftth\b/i;
/** "fast wifi", "the internet is really fast", "wifis super quick". */
const FAST_WORDS = /\b(?:fast|quick|speedy|high[- ]speed)\s+(?:wi-?fi|internet|connection|broadband)\b|\b(?:wi-?fi|wifis|internet|connection|broadband)(?:\s+is|'s|\s+s)?\s+(?:really\s+|super\s+|very\s+|pretty\s+|so\s+)?(?:fast|quick)\b/i;
/** "Not fast", "slow internet", "fibre is down": a line told as slow or broken is no fast one. */
const NOT_FAST = /\b(?:not|isn'?t|is not|aint|never)\s+(?:\w+\s+)?(?:fast|quick)\b|\bslow\s+(?:wi-?fi|internet|connection|broadband)\b|\b(?:wi-?fi|wifis|internet|connection|broadband)(?:\s+is|'s|\s+s)?\s+(?:really\s+|so\s+|very\s+)?slow\b|\b(?:wi-?fi|internet|broadband|fib(?:re|er)|connection|router)\s+(?:is\s+|was\s+|went\s+|keeps\s+going\s+)?down\b|\b(?:dropping|drops|cuts out|keeps cutting|not working|broken|offline)\b/i;
/** "Its not slow internet": slowness denied is no slow line. */
const NOT_SLOW = /\b(?:not|isn'?t|is not|never)\s+(?:\w+\s+)?slow\b/gi;
/** Below this many megabits a connection is nothing special. */
const FAST_MEGABITS = 50;

/** Whether a message tells of a fast connection ("we have fibre so its not slow internet"). */
export function tellsFastConnection(text: string): boolean {
  const speed = SPEED.exec(text);
  const megabits = speed && LINE.test(text) ? Number(speed[1]) : 0;
  const told = megabits >= FAST_MEGABITS || FAST_LINE.test(text) || FAST_WORDS.test(text);
  return told && !NOT_FAST.test(text.replace(NOT_SLOW, ''));
}

/** "Slow internet", "the wifi is really slow": a line told as slow in words. */
const SLOW_WORDS = /\bslow\s+(?:wi-?fi|internet|connection|broadband)\b|\b(?:wi-?fi|wifis|internet|connection|broadband)(?:\s+is|'s|\s+s)?\s+(?:really\s+|so\s+|very\s+|pretty\s+|super\s+)?slow\b/i;

/** Whether a message tells of a slow connection: a speed below a fast one's ("my internet is only like 10mbps"), or "slow internet". */
export function tellsSlowConnection(text: string): boolean {
  const speed = SPEED.exec(text);
  const slowSpeed = speed !== null && LINE.test(text) && Number(speed[1]) < FAST_MEGABITS;
  return (slowSpeed || SLOW_WORDS.test(text.replace(NOT_SLOW, ''))) && !tellsFastConnection(text);
}

/** The connection a message tells of, by its speed: what the restore rate is said on. */
export const lineTold = (text: string): 'fast' | 'slow' | undefined => (tellsFastConnection(text) ? 'fast' : tellsSlowConnection(text) ? 'slow' : undefined);

/** The phrase the rate is said in on that connection: it holds even on a fast one, and takes longer on a slow one. */
export const phraseForLine = (line: 'fast' | 'slow', phrases: Pick<BotPhrases, 'fastConnection' | 'slowConnection'>): string => (line === 'fast' ? phrases.fastConnection : phrases.slowConnection);

/** What a fast connection says in the words the steps' answers use. */
export const FAST_LINE_IN_WORDS = 'the wifi works fine';
