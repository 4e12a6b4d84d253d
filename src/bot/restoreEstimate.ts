import type { Intent } from '../content/types.js';
import type { Reply } from './types.js';

/** Sizes a customer gives: "64 GB", "64gb", "1.5 gigs", "1 TB" (1000 GB, as storage is sold). */
const SIZE = /(\d{1,6}(?:[.,]\d{1,2})?)\s*(gb|gigs?|gigabytes?|tb|terabytes?)\b/i;

function sizeInGigabytes(text: string): number | undefined {
  const match = SIZE.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const value = Number(match[1].replace(',', '.'));
  const gigabytes = /^t/i.test(match[2]) ? value * 1000 : value;
  return gigabytes > 0 ? gigabytes : undefined;
}

const formatNumber = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** "64 GB" in a question about the restore rate: what the topic's rate (hoursPerGigabyte) means for that size. */
export function restoreEstimate(intent: Intent, said: string, phrase: string): Reply[] {
  const rate = intent.hoursPerGigabyte;
  const size = rate ? sizeInGigabytes(said) : undefined;
  if (!rate || size === undefined) return [];
  const text = phrase
    .replace('{size}', formatNumber(size))
    .replace('{from}', formatNumber(rate.from))
    .replace('{to}', formatNumber(rate.to))
    .replace('{low}', formatNumber(size * rate.from))
    .replace('{high}', formatNumber(size * rate.to));
  return [{ text }];
}
