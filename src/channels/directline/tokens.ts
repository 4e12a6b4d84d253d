import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a valid token lets its holder do: read and write one conversation, as one user. */
export interface TokenGrant {
  readonly conversationId: string;
  readonly userId: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

export interface IssuedToken {
  readonly token: string;
  readonly expiresIn: number;
}

export interface TokenOptions {
  readonly ttlSeconds: number;
  /** Milliseconds since the epoch; injected so tests can expire tokens without sleeping. */
  readonly now?: () => number;
}

/** 256 bits: out of reach of guessing, whatever the request rate. */
const SECRET_BYTES = 32;
const SELECTOR_BYTES = 12;
const SWEEP_EVERY_MS = 60_000;

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Opaque bearer tokens for the embedded Direct Line, each bound to one conversation and user.
 * A token is `selector.secret`: the selector finds the record, and the secret is compared by hash in
 * constant time, so response times say nothing about how much of a guess was right. Only hashes
 * are kept.
 */
export class DirectLineTokens {
  private readonly records = new Map<string, { readonly secretHash: Buffer; readonly grant: TokenGrant }>();
  private readonly now: () => number;
  private nextSweep = 0;

  constructor(private readonly options: TokenOptions) {
    this.now = options.now ?? Date.now;
  }

  issue(conversationId: string, userId: string): IssuedToken {
    this.sweep();
    const selector = randomBytes(SELECTOR_BYTES).toString('base64url');
    const secret = randomBytes(SECRET_BYTES).toString('base64url');
    const expiresAt = this.now() + this.options.ttlSeconds * 1000;
    this.records.set(selector, { secretHash: sha256(secret), grant: { conversationId, userId, expiresAt } });
    return { token: `${selector}.${secret}`, expiresIn: this.options.ttlSeconds };
  }

  /** The grant of a live token; null for anything else (malformed, unknown or expired). */
  verify(token: string): TokenGrant | null {
    const [selector, secret, extra] = token.split('.');
    if (!selector || !secret || extra !== undefined) return null;
    const record = this.records.get(selector);
    if (!record || !timingSafeEqual(record.secretHash, sha256(secret))) return null;
    if (record.grant.expiresAt <= this.now()) {
      this.records.delete(selector);
      return null;
    }
    return record.grant;
  }

  private sweep(): void {
    const now = this.now();
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_EVERY_MS;
    for (const [selector, record] of this.records) if (record.grant.expiresAt <= now) this.records.delete(selector);
  }
}
