/**
 * Free space told as figures against the device's capacity: "says 2.1 gb available of 128", "12 of
 * 64gb free", "120 out of 128 used". The words of a step's answers know "almost full" and "plenty of
 * space", never a figure, so the share is put into those words for the step to read.
 */

const AMOUNT = String.raw`(\d{1,4}(?:[.,]\d{1,2})?)\s*(?:gb|gigs?|gigabytes?|g)?`;
/** Of how much: "of 128", "out of 64 gb", "/256". */
const CAPACITY = String.raw`\s*(?:of|out of|\/)\s*(\d{1,4})\s*(?:gb|gigs?|gigabytes?|g)?\b`;
const STATE = String.raw`(free|available|left|remaining|used|full)`;
/** The amount, what it is, then the capacity: "2.1 gb available of 128". */
const STATE_FIRST = new RegExp(`${AMOUNT}\\s*${STATE}${CAPACITY}`, 'i');
/** The amount and capacity, then what the amount is: "12 of 64gb free". */
const CAPACITY_FIRST = new RegExp(`${AMOUNT}${CAPACITY}\\s*(?:is |are )?${STATE}`, 'i');

/** Below this share free a device is almost full; above the other, it has plenty of room. */
const ALMOST_FULL = 0.1;
const PLENTY = 0.5;

/** The share of the device's capacity told as free, when the message gives both figures. */
export function freeShare(text: string): number | undefined {
  const stateFirst = STATE_FIRST.exec(text);
  const match = stateFirst ?? CAPACITY_FIRST.exec(text);
  if (!match) return undefined;
  const [amount, state, capacity] = stateFirst ? [match[1], match[2], match[3]] : [match[1], match[3], match[2]];
  const told = Number((amount ?? '').replace(',', '.'));
  const total = Number(capacity);
  if (!(total > 0) || !(told >= 0) || told > total) return undefined;
  const used = /^(?:used|full)$/i.test(state ?? '');
  return (used ? total - told : told) / total;
}

/** What the figures say in the words the answers use, or undefined when they say neither clearly. */
export function spaceInWords(text: string): string | undefined {
  const share = freeShare(text);
  if (share === undefined) return undefined;
  if (share < ALMOST_FULL) return "it's almost full";
  return share > PLENTY ? 'plenty of free space' : undefined;
}
