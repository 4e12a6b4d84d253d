/** Small text helpers shared by every room (like errors and config, anyone may import them). */

/** An error's (or any text's) first line, short: enough to tell why without a stack or a request body. */
export const firstLine = (value: unknown): string => {
  const text = value instanceof Error ? value.message : typeof value === 'string' ? value : String((value as { message?: unknown } | null)?.message ?? value);
  return text.split('\n')[0]?.slice(0, 200) ?? '';
};

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export const bearerToken = (header: string | readonly string[] | undefined): string | undefined => {
  const value = Array.isArray(header) ? header[0] : header;
  return /^Bearer (\S+)$/i.exec(typeof value === 'string' ? value : '')?.[1];
};

/**
 * A password or passcode written after its label ("my password is Hunter2!", "pw: tr0ub4dor",
 * "apple id passcode 482913"). After a colon or an equals sign, or in quotes, anything is the
 * secret; after "is", "was" or a space only a word no sentence uses: one with a digit, a symbol or a
 * capital inside, so "my password is wrong" and "the passcode is not working" stay as typed. A plain
 * word given as a password ("my password is sunshine") cannot be told from a sentence, and stays too.
 */
/** The words that label a password: the redactor looks for them before it looks for what follows. */
export const PASSWORD_LABEL = String.raw`pass\s?(?:word|code)|pwd?`;
const PASSWORD = new RegExp(String.raw`\b(${PASSWORD_LABEL})(\s*[:=]\s*|\s+(?:(?:is|was)\s+)?)("?)([^\s"]{1,64})`, 'gi');
/** The inside of a secret ("Hunter2", "tr0ub4dor&3", "aBcdefg"), a sentence's last punctuation not counted. */
const SECRET_LIKE = /\d|[^\p{L}\p{N}]|\p{Ll}\p{Lu}/u;
const MIN_SECRET_CHARS = 4;

/** Where a message gives a password or passcode after its label: the bot warns, the redactor masks. */
export function passwordsIn(text: string): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  for (const match of text.matchAll(PASSWORD)) {
    const [, , gap = '', quote = '', typed = ''] = match;
    const value = quote ? typed : typed.replace(/[.,!?;)]+$/, '');
    const labelled = /[:=]/.test(gap);
    if (value === '' || value === '[password]' || (!labelled && !quote && (value.length < MIN_SECRET_CHARS || !SECRET_LIKE.test(value)))) continue;
    const start = match.index + match[0].length - typed.length;
    found.push({ start, end: start + value.length });
  }
  return found;
}
