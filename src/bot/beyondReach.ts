import { passwordsIn } from '../text.js';

/**
 * What a customer asks that no chat bot can do: act on their device or Apple ID ("can u reset it for
 * me", "can you log into my icloud", "can u remotely restore it"), or take their password ("ill give
 * u my password", "my password is Hunter2"). Both are said plainly, before whatever else the
 * message asks; a password offered gets a warning, since whoever asks for one in a chat is not to be trusted.
 */
export interface BeyondReach {
  /** A password given or offered: the customer is told not to share it. */
  readonly password: boolean;
  /** The message without the clauses that ask it, read as usual ('' when nothing is left). */
  readonly rest: string;
  /** The clauses that ask it: what the customer wanted done. */
  readonly asked: string;
}

const YOU = String.raw`(?:can|could|would|will|cn|pls|please)\s+(?:you|u|ya|yu)\s+(?:(?:please|pls|just|maybe|simply)\s+)*`;
const THEIRS = String.raw`(?:my|his|her|our|their|the)\s+(?:apple\s*id\s+|icloud\s+)?`;
const ACCOUNT = String.raw`(?:icloud|apple\s*id|account|phone|iphone|ipad|device|backups?|password|passcode|login)`;
/** A request that the bot itself does something on the customer's device or account. */
const ASKS_TO_ACT = new RegExp(
  [
    // "can u reset it for me", "could you just restore it remotely", "can you fix it from your end",
    // "can u get it back from apples servers", "can u check on apples side"
    String.raw`\b${YOU}(?:remotely\s+)?(?:reset|restore|recover|fix|unlock|change|sort(?:\s+out)?|handle|erase|wipe|delete|update|undo|retrieve|get\s+(?:(?:it|them|this|that)\s+)?back|check|do)\b[^.?!,;]{0,30}?\b(?:for\s+me|remotely|from\s+(?:there|your\s+(?:end|side))|(?:from|on)\s+(?:apple'?s?|their)\s+(?:servers?|side|end)|on\s+my\s+behalf)\b`,
    // "can you log into my icloud", "can u sign in to my apple id"
    String.raw`\b${YOU}(?:remotely\s+)?(?:log|sign|get)\s*(?:in|on)(?:\s*to)?\s+${THEIRS}${ACCOUNT}\b`,
    // "can you access my phone", "can you look at my account", "can u reset my password"
    String.raw`\b${YOU}(?:access|see|check|look\s+(?:at|into|in)|open|go\s+into|get\s+into|reset|change|unlock|recover)\s+${THEIRS}${ACCOUNT}\b`,
    // "just do it for me", "pls fix it for me", "restore it remotely"
    String.raw`\b(?:do|fix|sort|handle|restore|reset)\s+(?:it|this|that|everything|all\s+(?:of\s+)?this)\s+(?:for\s+me|remotely)\b`,
    // "remote access", "can you remote into it"
    String.raw`\bremote(?:ly)?\s+(?:access|control|in(?:to)?|support|desktop)\b`,
  ].join('|'),
  'i',
);
const SECRET = String.raw`(?:apple\s*id\s+|icloud\s+)?(?:password|passcode|pw|login|log-?in\s+(?:details|info)|credentials)`;
/** A password offered ("ill give u my password", "do you need my apple id password?", "here's my login"). */
const OFFERS_PASSWORD = new RegExp(
  [
    String.raw`\b(?:i'?ll|i\s+will|i\s+can|can\s+i|should\s+i|shall\s+i|let\s+me|want\s+me\s+to|happy\s+to)\s+(?:just\s+)?(?:give|send|tell|share|type|dm|text)\s+(?:(?:you|u|ya)\s+)?(?:my|the|his|her)\s+${SECRET}\b`,
    String.raw`\b(?:do|would|will|don'?t)\s+(?:you|u)\s+(?:need|want)\s+(?:my|the|his|her)\s+${SECRET}\b`,
    String.raw`\bhere(?:'?s|\s+is)\s+(?:my|the|his|her)\s+${SECRET}\b`,
  ].join('|'),
  'i',
);
/** A clause of a typed message with the punctuation that ends it, which says whether what is left asks. */
const CLAUSE = /[^.?!,;]+[.?!,;]*/g;

/** What of `text` is beyond the bot's reach, or undefined when nothing is. */
export function beyondReach(text: string): BeyondReach | undefined {
  const clauses = text.match(CLAUSE) ?? [];
  const offers = clauses.map((clause) => OFFERS_PASSWORD.test(clause) || passwordsIn(clause).length > 0);
  const beyond = clauses.map((clause, index) => offers[index] || ASKS_TO_ACT.test(clause));
  if (!beyond.includes(true)) return undefined;
  const rest = clauses.filter((_, index) => !beyond[index]).join('').trim().replace(/^[.?!,;\s]+|[,;\s]+$/g, '');
  const asked = clauses.filter((_, index) => beyond[index]).join('').trim();
  return { password: offers.includes(true), rest, asked };
}
