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

/** An answer or step that says which iOS a device needs for a backup (the same or a later one than made it). */
const VERSION_RULE = /\bsame or (?:a )?later version of iOS\b|\bearlier version of iOS\b/i;
/** A part of a message about the backup, or about the device that made it, rather than the device being restored. */
const OF_THE_BACKUP = /\b(?:backups?|backed up|made|created|old (?:phone|iphone|ipad|ipod|device|one)|other (?:phone|iphone|ipad|device))\b/i;
/** A part of a message about a device. */
const OF_A_DEVICE = /\b(?:phone|iphone|ipad|ipod|device|it|it'?s|mine|new one|this one)\b/i;
/** An iOS version in a part, named ("iOS 8.1", "ios17") or dotted ("8.0.2"), never a size or a share ("8.5 gb", "17.5%"). */
const A_VERSION = /\bios\s*(\d{1,2}(?:\.\d{1,2}){0,2})(?![\d.]*\d)|(?<![\d.])(\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)(?![\d.]*\d|\s*(?:%|percent|gb|gigs?|mb|tb|g\b|hours?|hrs?|mins?|minutes?|days?))/gi;
/** The device a backup was made on, as a question names it: "a backup i made on my ipad", "from my ipad's backup", "with the ipad backup". */
const MADE_ON = /\b(?:made|created|done)\s+(?:on|with|from)\s+(?:my|the|an?|our)\s+(ipad|iphone|ipod)\b|\b(?:from|of|with)\s+(?:my|the|an?|our)\s+(ipad|iphone|ipod)(?:'?s)?\s+backup\b/i;
/** Where a message's parts meet: "and", "but", "while", or a clause's end (never a version's dots). */
const PARTS = /\s*(?:\b(?:and|but|while|whereas)\b|[,;!?]+|\.(?=\s|$))\s*/i;

/** The iOS versions a message tells of the backup and of the device restored, and whether the device's is the earlier. */
export interface VersionsTold {
  readonly backup: string;
  readonly device: string;
  readonly behind: boolean;
}

/**
 * "the ipad backup was made on ios 8.1 and the phone shows 8.0.2": one version told of the backup and
 * one of the device, beside an answer or step that gives the rule (the same or a later iOS than made
 * the backup), so the customer hears what the rule means for their two versions rather than lines
 * about one of them. Undefined unless each side has exactly one.
 */
export function versionsCompared(rule: string, text: string, asked = ''): VersionsTold | undefined {
  if (!VERSION_RULE.test(rule)) return undefined;
  // "can i restore my iphone from a backup i made on my ipad?", then "the ipad is on 8.1 and the iphone on 8.0": the ipad made it.
  const named = MADE_ON.exec(asked);
  const maker = named?.[1] ?? named?.[2];
  const ofTheMaker = maker ? new RegExp(`\\b${maker}\\b`, 'i') : undefined;
  const major = (version: string) => Number(version.split('.')[0]);
  const backup: string[] = [];
  const device: string[] = [];
  for (const part of versionsNamed(text).split(PARTS)) {
    const versions = [...part.matchAll(A_VERSION)].map((match) => match[1] ?? match[2] ?? '');
    const told = versions.filter((version) => major(version) >= FIRST && major(version) <= LAST);
    if (OF_THE_BACKUP.test(part) || ofTheMaker?.test(part)) backup.push(...told);
    else if (OF_A_DEVICE.test(part)) device.push(...told);
  }
  const [made] = backup;
  const running = device[0];
  if (backup.length !== 1 || device.length !== 1 || made === undefined || running === undefined) return undefined;
  return { backup: made, device: running, behind: compareVersions(running, made) < 0 };
}

function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** What the version rule means for the two versions told, in the content's words. */
export function versionsInWords(told: VersionsTold, phrases: { readonly versionBehind: string; readonly versionMet: string }): string {
  return (told.behind ? phrases.versionBehind : phrases.versionMet).replace('{device}', told.device).replace('{backup}', told.backup);
}
