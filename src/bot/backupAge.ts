import type { AgeCheck, DialogChoice } from '../content/types.js';
import { QUESTION } from './messageShape.js';

/**
 * How long ago a customer says something last happened, in days: "last month", "8 months ago",
 * "havent backed up in like a year", "back in 2022". A step that asks whether a device has backed up
 * lately compares it with a rule's days (the 180 of iCloud's terms) instead of reading its words:
 * "last month" and "8 months ago" share every word a choice's examples could give them.
 */

const UNIT_DAYS: Readonly<Record<string, number>> = { day: 1, week: 7, wk: 7, month: 30, mo: 30, mth: 30, year: 365, yr: 365 };
const COUNTS: Readonly<Record<string, number>> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, couple: 2, few: 3, several: 4 };
const COUNT = String.raw`(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:a )?couple(?: of)?|(?:a )?few|several)`;
const UNIT = String.raw`(day|week|wk|month|mth|mo|year|yr)s?`;

/** "8 months ago", "a few weeks back", "over a year ago". */
const AGO = new RegExp(String.raw`\b(?:over |about |like |almost |nearly |more than )?${COUNT} ${UNIT} (?:ago|back)\b`, 'i');
/** "havent backed up in like a year", "not for 8 months": a span with nothing since. */
const FOR_SPAN = new RegExp(String.raw`\b(?:in|for|since)(?: like| about| over| almost| nearly| more than| at least)? ${COUNT} ${UNIT}\b`, 'i');
/** "last month", "last week", "since last year". */
const LAST = /\b(?:since )?last (day|week|month|year)\b/i;
/** "yesterday", "this morning", "earlier today". */
const JUST_NOW = /\b(?:today|yesterday|this morning|last night|tonight|this week|the other day)\b/i;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
/** "since march", "back in september". */
const IN_MONTH = new RegExp(String.raw`\b(?:since|back in|in|from)\s+(?:(?:early|late|mid)\s+)?(${MONTHS.join('|')})\b(?!\s+(?:19|20)\d{2})`, 'i');
/** "back in 2022", "since 2021", "in march 2019". */
const IN_YEAR = new RegExp(String.raw`\b(?:since|in|from|back in|around)\s+(?:(?:${MONTHS.join('|')})\s+)?((?:19|20)\d{2})\b`, 'i');

const count = (word: string): number => {
  const plain = word.toLowerCase().replace(/^a /, '').replace(/ of$/, '');
  return /^\d+$/.test(plain) ? Number(plain) : (COUNTS[plain] ?? 1);
};

const daysSince = (end: Date, now: Date): number => Math.max(0, Math.floor((now.getTime() - end.getTime()) / 86_400_000));

/** The days since the time a message tells of, undefined when it tells of none. */
export function daysAgo(text: string, now: Date = new Date()): number | undefined {
  const ago = AGO.exec(text) ?? FOR_SPAN.exec(text);
  if (ago?.[1] && ago[2]) return count(ago[1]) * (UNIT_DAYS[ago[2].toLowerCase()] ?? 1);
  const last = LAST.exec(text);
  if (last?.[1]) return UNIT_DAYS[last[1].toLowerCase()];
  if (JUST_NOW.test(text)) return 0;
  const month = IN_MONTH.exec(text);
  if (month?.[1]) {
    // Told without a year, it is the latest month of that name up to this one, as recent as it allows: its last day.
    const index = MONTHS.indexOf(month[1].toLowerCase());
    return daysSince(new Date(index <= now.getMonth() ? now.getFullYear() : now.getFullYear() - 1, index + 1, 0), now);
  }
  const year = IN_YEAR.exec(text);
  if (year?.[1] && Number(year[1]) <= now.getFullYear()) {
    // Told only as a year, it is as recent as that year allows: its last day.
    return daysSince(new Date(Number(year[1]), 11, 31), now);
  }
  return undefined;
}

/**
 * The choice a told time answers at a step with an age check: the one labelled `within` up to its
 * days, `beyond` after; undefined for a question, or a message that tells no time.
 */
export function ageAnswer(check: AgeCheck, choices: readonly DialogChoice[], text: string, now?: Date): number | undefined {
  const days = QUESTION.test(text) ? undefined : daysAgo(text, now);
  if (days === undefined) return undefined;
  const label = days > check.days ? check.beyond : check.within;
  const index = choices.findIndex((choice) => choice.label === label);
  return index < 0 ? undefined : index;
}
