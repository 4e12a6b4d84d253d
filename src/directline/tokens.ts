import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits: out of reach of guessing, whatever the request rate. */
const SECRET_BYTES = 32;

/**
 * A token is `<conversationId>.<secret>`: the conversation id finds the record, and the secret is
 * compared by hash in constant time, so response times say nothing about how much of a guess was
 * right. A conversation has one live token; only its hash is kept.
 */
interface ParsedToken {
  readonly conversationId: string;
  readonly secret: string;
}

export const newSecret = (): string => randomBytes(SECRET_BYTES).toString('base64url');

export const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export const tokenOf = (conversationId: string, secret: string): string => `${conversationId}.${secret}`;

/** Null for anything that is not `id.secret` with both parts URL-safe base64 of sane length. */
export function parseToken(token: string): ParsedToken | null {
  const match = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,128})$/.exec(token);
  return match ? { conversationId: match[1] as string, secret: match[2] as string } : null;
}

export function secretMatches(expectedHash: string, secret: string): boolean {
  const expected = Buffer.from(expectedHash, 'hex');
  const given = Buffer.from(hashOf(secret), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
