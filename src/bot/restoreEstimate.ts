import type { ElapsedCheck, Intent } from '../content/types.js';
import type { Reply } from './types.js';

type Rate = { readonly from: number; readonly to: number };

/** Sizes a customer gives: "64 GB", "64gb", "1.5 gigs", "1 TB" (1000 GB, as storage is sold). */
const SIZE = /(\d{1,6}(?:[.,]\d{1,2})?)(?:\s*(?:-?ish|something|odd|or so|plus|\+))?\s*(gb|gigs?|gigabytes?|tb|terabytes?)\b/i;

/** "Per gigabyte", "a gig", "/gb" after a time: a rate, not a time. */
const PER_GIGABYTE = String.raw`\s*(?:per|an?|\/)\s*(?:gb|gigs?|gigabytes?)\b`;
/**
 * Times a customer gives: "10 hours", "10hrs", "2 days", "an hour", "45 mins". A rate they quote
 * back ("4 hours per gigabyte", "4 hours a gig") is no time the restore has run.
 */
const DURATION = new RegExp(String.raw`(?<![\w.,])(\d{1,4}(?:[.,]\d{1,2})?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*(hours?|hrs?|h|days?|minutes?|mins?|weeks?)\b(?!${PER_GIGABYTE})`, 'gi');
const NUMBER_WORDS: Readonly<Record<string, number>> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12 };
const HOURS_PER: Readonly<Record<string, number>> = { m: 1 / 60, h: 1, d: 24, w: 168 };

/** The size of a backup a message gives, in gigabytes ("64 GB", "12 gigs"). */
export function sizeInGigabytes(text: string): number | undefined {
  const match = SIZE.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const value = Number(match[1].replace(',', '.'));
  const gigabytes = /^t/i.test(match[2]) ? value * 1000 : value;
  return gigabytes > 0 ? gigabytes : undefined;
}

/** A time of day: "9", "9:30", "9am", "4 in the afternoon"; never a size, a share or a length ("its 3gb", "at 80%"). */
const CLOCK = String.raw`(?:(?:like|about|around|roughly|maybe|approx\.?)\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|in the morning|this morning|in the afternoon|this afternoon|in the evening|this evening|tonight|last night)?(?!\d|[.,]\d|\s*(?:gb|gigs?|mb|tb|%|percent|hours?|hrs?|mins?|minutes?|days?|weeks?|x\b|times|of\b|out of))`;
const STARTED_AT = new RegExp(String.raw`\b(?:started|began|start(?:ed)? (?:it|the restore)|since|from)\b[^.?!\d]{0,40}?\bat\s+${CLOCK}|\b(?:started|began)\s+${CLOCK}`, 'i');
const NOW_AT = new RegExp(String.raw`\b(?:now|its|it's|it is)\s+(?:now\s+)?(?:almost\s+|nearly\s+|past\s+|gone\s+)?${CLOCK}`, 'i');
const LATER_HALF = /^(?:pm|p\.m\.|in the afternoon|this afternoon|in the evening|this evening|tonight|last night)$/i;

/** A time of day on the 24-hour clock, by its marker; without one, as typed ("14:00" is 14); none past 23:59. */
function onTheClock(hour: string | undefined, minutes: string | undefined, marker: string | undefined): number | undefined {
  const [h, m] = [Number(hour), Number(minutes ?? 0)];
  if (h > 23 || m > 59 || (marker && h > 12)) return undefined;
  return (marker ? (h % 12) + (LATER_HALF.test(marker) ? 12 : 0) : h) + m / 60;
}

/** "Started at 9 this morning and it is now 4 in the afternoon": the hours between two times of day. */
function hoursBetweenTimes(text: string): number | undefined {
  const started = STARTED_AT.exec(text);
  if (!started) return undefined;
  const [, h1, m1, k1] = started[1] !== undefined ? started : [started[0], started[4], started[5], started[6]];
  const now = NOW_AT.exec(text.slice((started.index ?? 0) + started[0].length));
  if (!now) return undefined;
  const from = onTheClock(h1, m1, k1);
  let to = onTheClock(now[1], now[2], now[3]);
  if (from === undefined || to === undefined) return undefined;
  // "At 9 … now 4": without a marker the later time is the afternoon's, and past midnight the next day's.
  while (to <= from) to += !now[3] && to < 12 ? 12 : 24;
  const hours = to - from;
  return hours > 0 && hours < 24 ? hours : undefined;
}

/** Every time given, added up ("a day and 5 hours"), in hours; or the span between two times of day. */
function hoursIn(text: string): number | undefined {
  let hours: number | undefined;
  for (const [, amount = '', unit = ''] of text.matchAll(DURATION)) {
    const value = NUMBER_WORDS[amount.toLowerCase()] ?? Number(amount.replace(',', '.'));
    hours = (hours ?? 0) + value * (HOURS_PER[unit[0]?.toLowerCase() ?? 'h'] ?? 1);
  }
  return hours ?? hoursBetweenTimes(text);
}

const formatNumber = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** A phrase with the rate's figures put in ("{from} to {to} hours per gigabyte"). */
const withRate = (phrase: string, rate: Rate): string => phrase.replace('{from}', formatNumber(rate.from)).replace('{to}', formatNumber(rate.to));

function estimate(rate: Rate, size: number, phrase: string): Reply {
  const text = withRate(phrase.replace('{size}', formatNumber(size)), rate)
    .replace('{low}', formatNumber(size * rate.from))
    .replace('{high}', formatNumber(size * rate.to));
  return { text };
}

/** Whether a part of a message gives a time or a size ("took like 9 hrs", "for 4gb"). */
export const tellsTimeOrSize = (text: string): boolean => hoursIn(text) !== undefined || sizeInGigabytes(text) !== undefined;

/** "It's been like 3 hrs and the backup is about 6gb": a time the restore has run and its size, both given. */
export const tellsElapsed = (text: string): boolean => hoursIn(text) !== undefined && sizeInGigabytes(text) !== undefined;

/** "Its been 20 hrs already", "going for 3 days now": how long something has been running. */
const RUNNING_FOR = /\b(?:been(?: going| running| restoring| at it)?(?: for)?|going for|running for)\s+(?:(?:like|about|around|over|almost|nearly|a good)\s+)?(?:\d+(?:[.,]\d+)?|an?|one|two|three|four|five|six|ten|twelve)\s*(?:h|hrs?|hours?|days?)\b|\b\d+(?:[.,]\d+)?\s*(?:h|hrs?|hours?|days?)\s+(?:already|so far|now)\b/i;

/** Whether a message tells how long something (the restore) has been running. */
export const tellsRunningFor = (text: string): boolean => RUNNING_FOR.test(text) && hoursIn(text) !== undefined;

/** "Since yesterday", "all night", "for ages": a restore told running long, without a figure. */
const RUNNING_SINCE = /\bsince (?:yesterday|last night|this morning|last week|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b|\b(?:all|the whole) (?:day|night)\b|\bfor (?:hours|days|ages)\b|(?<!\b(?:gone|lost|deleted|wiped|erased)\s+)\bforever\b/i;

/** Whether a message tells that something (the restore) has been running long, in hours or in words. */
export const tellsRunningLong = (text: string): boolean => tellsRunningFor(text) || RUNNING_SINCE.test(text);

/** "Its been 6 hrs lol": a time told without a size, which the size told before completes. */
export const tellsTimeOnly = (text: string): boolean => hoursIn(text) !== undefined && sizeInGigabytes(text) === undefined;

/**
 * "How long will it take for 5gb?", "whats the longest it should take, mine is 3gb", "is the 1-4 hrs per gb thing for real? my backup is 40gb",
 * "rough time for 20 gb?", "eta for 9gb": a
 * size, and a question of how long or the rate quoted back.
 */
const ASKS_HOW_LONG = new RegExp(String.raw`\bhow (?:long|many (?:hours|days|hrs)|much (?:longer|time))\b|\b(?:realistic|rough|estimated|expected|ballpark|approx(?:imate)?)\s+(?:time|estimate|eta)\b|\beta\b|\bwhat(?:'?s| is) the (?:longest|shortest|max(?:imum)?|usual|normal) (?:time )?(?:(?:a |the )?restore |it |this )?(?:should |will |would |can |could )?(?:take|last)\b|(?:\d+\s*(?:-|–|to)\s*)?\d+\s*(?:hours?|hrs?|h)${PER_GIGABYTE}`, 'i');
export const asksTimeForSize = (text: string): boolean => ASKS_HOW_LONG.test(text) && sizeInGigabytes(text) !== undefined;

/** "64 GB" in a question about the restore rate: what the topic's rate (hoursPerGigabyte) means for that size. */
export function restoreEstimate(intent: Intent, said: string, phrase: string): Reply[] {
  const rate = intent.hoursPerGigabyte;
  const size = rate ? sizeInGigabytes(said) : undefined;
  return rate && size !== undefined ? [estimate(rate, size, phrase)] : [];
}

/** The topic's rate, said in a phrase for the connection told (even a fast one, or a slow one); undefined for a topic without one. */
export function rateOnTheLine(intent: Intent, phrase: string): Reply | undefined {
  const rate = intent.hoursPerGigabyte;
  return rate ? { text: withRate(phrase, rate) } : undefined;
}

/**
 * "It's been 10 hours for 3 GB": the step's answer a time and a size give, compared with its rate
 * (within up to the slow end), with the estimate that decided it. The size may have come with
 * the words that began the walk-through ("my 64gb restore is taking forever"). Undefined without both.
 */
export function elapsedAnswer(check: ElapsedCheck, said: string, earlier: string, phrase: string): { label: string; estimate: Reply } | undefined {
  const hours = hoursIn(said);
  const size = sizeInGigabytes(said) ?? sizeInGigabytes(earlier);
  if (hours === undefined || size === undefined) return undefined;
  const rate = check.hoursPerGigabyte;
  return { label: hours <= size * rate.to ? check.within : check.beyond, estimate: estimate(rate, size, phrase) };
}
