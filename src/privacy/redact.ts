import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import { PASSWORD_LABEL, passwordsIn } from '../text.js';

/** Turns a text someone typed into the text that may be kept at rest. */
export type Redactor = (text: string) => string;

/** What REDACT_PII=false keeps: the text as typed. */
export const keepAsTyped: Redactor = (text) => text;

export interface RedactionOptions {
  /** Where a phone number written without its country code is read as local (ISO 3166 alpha-2). */
  readonly phoneCountry: string;
}

/** The redaction the configuration asks for: masking by default, the text as typed with REDACT_PII=false. */
export function redactorFor(config: Pick<Config, 'REDACT_PII' | 'REDACT_PHONE_COUNTRY'>): Redactor {
  return config.REDACT_PII ? createRedactor({ phoneCountry: config.REDACT_PHONE_COUNTRY }) : keepAsTyped;
}

/** A found piece of personal data: where it is and the mask that replaces it. */
interface Finding {
  readonly start: number;
  readonly end: number;
  readonly mask: string;
}

const EMAIL = /[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/**
 * Runs of digits a person types as one number: digits with up to two spaces, dashes, dots or
 * brackets between them ("(415) 555-2671"), optionally after a plus. A linear scan, no nesting.
 */
const DIGIT_RUN = /\+?\(?\d(?:[ .\-()]{0,2}\d)+/g;
/** Dates and times stay as typed: they say when the problem happened, not who had it. */
const DATE_TIME = /(?<!\d[-/.]?)(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?![-/.]?\d)(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?/g;
/** Apple serial numbers (10 or 12 letters and digits, both present) when written in capitals. */
const SERIAL = /\b(?=[A-Z0-9]{10}(?:[A-Z0-9]{2})?\b)(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{10,12}\b/g;
/** Any identifier a customer labels as a serial, IMEI, MEID or UDID, in whatever case. */
const LABELLED = /\b(serial(?:\s*(?:number|no\.?|#))?|imei|meid|udid)(\s*(?:is|:|=|#)?\s*)((?=[A-Za-z-]*\d)[A-Za-z0-9-]{8,45})\b/gi;
/** Labels that can stand before what is masked in a text with no digit or "@": passwords and the identifiers above. */
const LABELS = new RegExp(String.raw`\b(?:serial|imei|meid|udid|${PASSWORD_LABEL})\b`, 'i');
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])/g;
/** Fewer digits than this are sizes, versions, times and error codes ("64 GB", "iOS 17.2.1", "4013"). */
const MIN_NUMBER_DIGITS = 9;
/** The shortest and longest phone numbers in libphonenumber's metadata, give or take. */
const PHONE_DIGITS = { min: 7, max: 15 };
/**
 * Phone numbers one message is checked for (each check is ~0.3 ms): past this a message is a list
 * of numbers, not a question, and every further run of 7 or more digits is masked unchecked.
 */
const PHONE_CHECKS = 20;

/**
 * Masks the personal data customers type into a support chat — e-mail addresses, phone numbers,
 * payment card numbers, IMEI and serial numbers, IP addresses and any other long number — so what
 * is kept at rest cannot identify them. Phone numbers are checked by libphonenumber-js (Google's
 * numbering metadata, so "(415) 555-2671" and "+44 20 7946 0958" are phone numbers while "1 to 4
 * hours" is not); digit runs it does not take for one are masked too once they are long enough to
 * identify anyone. Dates and times are kept. Masking twice changes nothing.
 */
export function createRedactor(options: RedactionOptions): Redactor {
  const country = options.phoneCountry.toUpperCase();
  if (!isSupportedCountry(country)) throw new ConfigError(`REDACT_PHONE_COUNTRY: ${country} is not a country libphonenumber-js knows`);
  return (text) => {
    if (!/[\d@]/.test(text) && !LABELS.test(text)) return text;
    const findings: Finding[] = [];
    const add = (start: number, end: number, mask: string) => {
      if (!findings.some((found) => start < found.end && found.start < end)) findings.push({ start, end, mask });
    };
    if (text.includes('@')) for (const match of text.matchAll(EMAIL)) add(match.index, match.index + match[0].length, '[email]');
    for (const match of text.matchAll(LABELLED)) {
      const value = match[3] ?? '';
      const start = match.index + match[0].length - value.length;
      add(start, start + value.length, /^(imei|meid)$/i.test(match[1] ?? '') ? '[imei]' : '[serial]');
    }
    for (const secret of passwordsIn(text)) add(secret.start, secret.end, '[password]');
    for (const match of text.matchAll(IPV4)) add(match.index, match.index + match[0].length, '[ip]');
    for (const match of text.matchAll(DATE_TIME)) add(match.index, match.index + match[0].length, match[0]);
    let checks = PHONE_CHECKS;
    for (const match of text.matchAll(DIGIT_RUN)) {
      const mask = numberMask(match[0], country, checks-- > 0);
      if (mask) add(match.index, match.index + match[0].length, mask);
    }
    for (const match of text.matchAll(SERIAL)) add(match.index, match.index + match[0].length, '[serial]');
    return findings
      .sort((a, b) => b.start - a.start)
      .reduce((masked, found) => masked.slice(0, found.start) + found.mask + masked.slice(found.end), text);
  };
}

/**
 * What a run of digits is: a card or an IMEI (their check digit holds), a phone number
 * (libphonenumber-js, asked about this one run only, so a long message of digits costs a linear scan
 * rather than the library's search over every way to split it), any other long number, or nothing.
 * Without `mayCheck` (the message's checks are spent) a phone-sized run is masked unchecked.
 */
function numberMask(run: string, country: CountryCode, mayCheck: boolean): string | undefined {
  const digits = run.replace(/\D/g, '');
  if (digits.length >= 13 && digits.length <= 19 && luhn(digits)) return cardOrImei(digits);
  const phoneSized = digits.length >= PHONE_DIGITS.min && digits.length <= PHONE_DIGITS.max;
  if (phoneSized && !mayCheck) return '[number]';
  if (phoneSized && parsePhoneNumberFromString(run, country)?.isValid()) return '[phone]';
  return digits.length >= MIN_NUMBER_DIGITS ? '[number]' : undefined;
}

/** A Luhn-valid 15-digit number is an IMEI unless it starts like an American Express card. */
const cardOrImei = (digits: string): string => (digits.length === 15 && !/^3[47]/.test(digits) ? '[imei]' : '[card]');

/** The check digit payment cards and IMEIs carry, so a random long number is rarely taken for one. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}
