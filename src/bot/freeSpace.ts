/**
 * Free space told as figures, against the device's capacity ("says 2.1 gb available of 128", "12 of
 * 64gb free", "120 out of 128 used") or the backup's size ("like 5 gigs free and the backup is 11").
 * The words of a step's answers know "almost full" and "not enough room for the backup", never a
 * figure, so the figures are put into those words for the step to read.
 */

import type { Content } from '../content/types.js';
import { afterTakingBack } from './messageShape.js';

const AMOUNT = String.raw`(\d{1,4}(?:[.,]\d{1,2})?)\+?\s*(gb|gigs?|gigabytes?|g|mb|megs?|megabytes?)?`;
/** Of how much: "of 128", "out of 64 gb", "/256". */
const CAPACITY = String.raw`\s*(?:of|out of|\/)\s*(\d{1,4})\s*(?:gb|gigs?|gigabytes?|g)?\b`;
const STATE = String.raw`(free|available|left|remaining|used|full)`;
/** The amount, what it is, then the capacity: "2.1 gb available of 128". */
const STATE_FIRST = new RegExp(`${AMOUNT}\\s*${STATE}${CAPACITY}`, 'i');
/** The amount and capacity, then what the amount is: "12 of 64gb free". */
const CAPACITY_FIRST = new RegExp(`${AMOUNT}${CAPACITY}\\s*(?:is |are )?${STATE}`, 'i');

/** "5 gigs free", "about 20gb left": the free space alone. */
const FREE_AMOUNT = new RegExp(`${AMOUNT}\\s*(?:of (?:space|storage) )?(?:free|left|available|remaining)\\b`, 'i');
/** "the backup is 11", "backup's about 40gb", "backup size 12 gb", "a 31 GB backup", "the backup is only about 6": the backup's size. */
const BACKUP_SIZE = /\bbackup(?:'?s| is| size(?: is)?| was)?\s+(?:is\s+)?(?:only\s+|just\s+)?(?:about|around|like|roughly|nearly|almost|~)?\s*(\d{1,4}(?:[.,]\d{1,2})?)\s*(?:gb|gigs?|gigabytes?|g)?(?![\w.])|\b(?:an?|the|my)\s+(?:~\s*)?(\d{1,4}(?:[.,]\d{1,2})?)\s*(?:gb|gigs?|gigabytes?|g)\s+backup\b/i;

const figure = (text: string | undefined): number => Number((text ?? '').replace(',', '.'));
/** An amount in gigabytes: "900mb free out of 16gb" is 0.9 of 16. */
const gigabytes = (text: string | undefined, unit: string | undefined): number => figure(text) / (/^m/i.test(unit ?? '') ? 1000 : 1);

/** Below this share free a device is almost full; above the other, it has plenty of room. */
const ALMOST_FULL = 0.1;
const PLENTY = 0.5;

/** "Its a 64", "on a 128gb one": the device's capacity, one that devices are sold with. */
const DEVICE_CAPACITY = /\b(?:it'?s|its|on|got|have) (?:an?|the) (\d{1,4})\s*(?:gb|gigs?|g)?(?:\s+(?:one|model|iphone|ipad|ipod))?(?![\w.])/i;
const CAPACITIES: ReadonlySet<number> = new Set([8, 16, 32, 64, 128, 256, 512, 1024]);
/** Less free than this (gigabytes) is almost full on any device told of: a tenth of the 16 GB the smallest iPhones and iPads have had. */
const ALMOST_FULL_ON_ANY = ALMOST_FULL * 16;

/** The share of the device's capacity told as free, when the message gives both figures. */
export function freeShare(text: string): number | undefined {
  const stateFirst = STATE_FIRST.exec(text);
  const match = stateFirst ?? CAPACITY_FIRST.exec(text);
  if (!match) return freeOfDevice(text);
  const [amount, unit, state, capacity] = stateFirst ? [match[1], match[2], match[3], match[4]] : [match[1], match[2], match[4], match[3]];
  const told = gigabytes(amount, unit);
  const total = figure(capacity);
  if (!(total > 0) || !(told >= 0) || told > total) return undefined;
  const used = /^(?:used|full)$/i.test(state ?? '');
  return (used ? total - told : told) / total;
}

/** Free space and the backup's size told together: where each is told, the two figures (gigabytes), and whether the backup fits. */
function fitTold(text: string): { start: number; end: number; room: number; needed: number; fits: boolean } | undefined {
  const free = FREE_AMOUNT.exec(text);
  const size = BACKUP_SIZE.exec(text);
  if (!free || !size) return undefined;
  const [room, needed] = [gigabytes(free[1], free[2]), figure(size[1] ?? size[2])];
  const [start, end] = [Math.min(free.index, size.index), Math.max(free.index + free[0].length, size.index + size[0].length)];
  return needed > 0 ? { start, end, room, needed, fits: room >= needed } : undefined;
}

/** Whether one of the topics (an answer given, or those a step is about) is marked `freeSpace` in the KB. */
export const aboutFreeSpace = (content: Content, topics: readonly string[]): boolean => topics.some((id) => content.intentById.get(id)?.freeSpace === true);

/** The free space and the backup's size told (gigabytes), and whether the backup fits. */
export interface SpaceTold {
  readonly free: number;
  readonly size: number;
  readonly fits: boolean;
}

/** "it says 3.2 GB available and the backup is 14 GB": the free space and the backup's size told, and whether it fits. */
export function spaceAgainstBackup(typed: string): SpaceTold | undefined {
  const told = fitTold(freeCorrected(typed));
  return told && { free: told.room, size: told.needed, fits: told.fits };
}

/** A phrase with the figures told put in, to a tenth of a gigabyte: `{free}`, `{size}` and the shortfall `{more}`. */
export function withFigures(phrase: string, told: SpaceTold): string {
  const shown = (gigabytes: number) => String(Math.round(gigabytes * 10) / 10);
  return phrase.replace('{free}', shown(told.free)).replace('{size}', shown(told.size)).replace('{more}', shown(told.size - told.free));
}

/** Whether the backup fits, in the words the storage answers use. */
const fitInWords = (fits: boolean): string => (fits ? 'i have the space for it' : 'not enough room for the backup');

/** Free space and the backup's size told together: whether the backup fits. */
export const backupFits = (text: string): boolean | undefined => fitTold(text)?.fits;

/**
 * The message with free space and the backup's size, told together, put into the words the answers
 * use: "wifi good. storage 12gb free, backup is 9gb" reads "wifi good. storage i have the space for
 * it", so that a list of answers reads the figures as its storage answer, not its comma as two.
 */
export function withSpaceInWords(typed: string): string {
  const text = freeCorrected(typed);
  const told = fitTold(text);
  return told ? `${text.slice(0, told.start)}${fitInWords(told.fits)}${text.slice(told.end)}` : typed;
}

/** "only 2gb free, backup is 10gb... wait actually its 20gb free": free space told again after taking the first back stands in its place. */
function freeCorrected(text: string): string {
  const corrected = afterTakingBack(text);
  const again = corrected ? FREE_AMOUNT.exec(corrected) : null;
  const first = FREE_AMOUNT.exec(text);
  return again && first && first.index < text.length - (corrected?.length ?? 0) ? text.replace(FREE_AMOUNT, again[0]) : text;
}

/** "Like 5 gigs free lol its a 64": the free space and, apart from it, the device's capacity. */
function freeOfDevice(text: string): number | undefined {
  const free = FREE_AMOUNT.exec(text);
  const capacity = DEVICE_CAPACITY.exec(text);
  const total = figure(capacity?.[1]);
  const room = gigabytes(free?.[1], free?.[2]);
  if (!free) return undefined;
  if (CAPACITIES.has(total)) return room <= total ? room / total : undefined;
  // "1.2 gb free", "800mb left", with no device told: almost full on any of them.
  return free[2] && room < ALMOST_FULL_ON_ANY ? 0 : undefined;
}

/** Below this (gigabytes), free space told alone fits only a backup smaller than itself: the smallest devices sold had 16 GB in all. */
const SMALL_FREE = 16;

/**
 * "got like 2gb free lol": a small free space told with neither the device's capacity nor the
 * backup's size, which says nothing of whether the backup fits. Almost full is told apart already.
 */
export function smallFreeAlone(typed: string): number | undefined {
  const text = freeCorrected(typed);
  const free = FREE_AMOUNT.exec(text);
  if (!free?.[2] || BACKUP_SIZE.test(text) || DEVICE_CAPACITY.test(text) || STATE_FIRST.test(text) || CAPACITY_FIRST.test(text)) return undefined;
  const room = gigabytes(free[1], free[2]);
  return room >= ALMOST_FULL_ON_ANY && room < SMALL_FREE ? room : undefined;
}

/** What the figures say in the words the answers use, or undefined when they say neither clearly. */
export function spaceInWords(typed: string): string | undefined {
  const text = freeCorrected(typed);
  const fits = backupFits(text);
  if (fits !== undefined) return fitInWords(fits);
  const share = freeShare(text);
  if (share === undefined) return undefined;
  if (share < ALMOST_FULL) return "it's almost full";
  return share > PLENTY ? 'plenty of free space' : undefined;
}
