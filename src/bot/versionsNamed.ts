/**
 * A bare iOS version, as customers type it about a device ("new phone is on 15.2, the old one was on
 * 17 something", "backup is from my iphone 11 on 17.5"), named as one: the topics' examples always say "iOS", and without it the recogniser
 * read the message as out of scope. Numbers that are something else ("on 80%", "on 5g", "was on 12
 * hours") stay as they are.
 */
const BARE_VERSION = /\b((?:is|was|were|are|still|now|its|it's|thats|that's|stuck|(?:iphone|ipad|ipod|phone)(?:\s+(?:\d{1,2}|pro|max|mini|plus|air|se|xr|xs|x))*)\s+on|running|came with|updated to|update to|upgraded to)\s+(?!ios\b|ipados\b)(\d{1,2}(?:\.\d{1,2}){0,2})(?!\d|\.\d|\s*(?:%|percent|gb|gigs?|mb|tb|g\b|hours?|hrs?|h\b|mins?|minutes?|days?|weeks?|years?|x\b|times|bars?|of\b|out of|left|free|pro\b|plus\b|max\b|mini\b|gen\b|th\b))/gi;
/** Versions iOS and iPadOS have had; anything else after "is on" is no version. */
const FIRST = 4;
const LAST = 26;

/** "Battery is on 20": a number beside the battery or the signal is a level, never a version. */
const LEVEL = /\b(?:battery|charge|charging|signal|bars?|volume|brightness)\b/i;

export function versionsNamed(text: string): string {
  if (LEVEL.test(text)) return text;
  return text.replace(BARE_VERSION, (whole: string, verb: string, version: string) => {
    const major = Number(version.split('.')[0]);
    if (major < FIRST || major > LAST) return whole;
    return `${verb} ios ${version}`;
  });
}

/** "iOS 7", "ios8": a version named with its name. */
const NAMED_VERSION = /\bios\s*(\d{1,2})(?:\.\d{1,2}){0,2}(?!\d)/gi;

/**
 * "i'm on iOS 7" beside an answer or step that gives iOS 7 its own way ("on iOS 7: Settings > iCloud >
 * Storage & Backup"): the lines for the versions told, when the text has lines for some versions only.
 */
export function linesForVersionTold(answer: string, text: string): string[] {
  const told = new Set([...versionsNamed(text).matchAll(NAMED_VERSION)].map((match) => match[1]));
  if (told.size === 0) return [];
  const lines = answer.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const fitting = lines.filter((line) => [...line.matchAll(NAMED_VERSION)].some((match) => told.has(match[1] ?? '')));
  return fitting.length < lines.length ? fitting : [];
}

