import { describe, expect, it } from 'vitest';
import { DirectLineTokens } from '../../src/channels/directline/tokens.js';

const TTL_SECONDS = 1800;

function tokensAt(start = 1_000_000) {
  let now = start;
  const tokens = new DirectLineTokens({ ttlSeconds: TTL_SECONDS, now: () => now });
  return { tokens, advance: (ms: number) => (now += ms) };
}

describe('embedded Direct Line tokens', () => {
  it('carry at least 32 random bytes in URL-safe base64, never the same twice', () => {
    const { tokens } = tokensAt();
    const issued = Array.from({ length: 200 }, () => tokens.issue('conversation', 'user').token);
    expect(new Set(issued).size).toBe(issued.length);
    for (const token of issued) {
      expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(Buffer.from(token.split('.')[1]!, 'base64url').length).toBeGreaterThanOrEqual(32);
    }
  });

  it('grant their conversation and user until the lifetime ends, and nothing from then on', () => {
    const { tokens, advance } = tokensAt();
    const { token, expiresIn } = tokens.issue('conversation-a', 'user-a');
    expect(expiresIn).toBe(TTL_SECONDS);
    advance(TTL_SECONDS * 1000 - 1);
    expect(tokens.verify(token)).toMatchObject({ conversationId: 'conversation-a', userId: 'user-a' });
    advance(1);
    expect(tokens.verify(token)).toBeNull();
  });

  it('refuse a token whose secret part was altered, even by one character', () => {
    const { tokens } = tokensAt();
    const { token } = tokens.issue('conversation', 'user');
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(tokens.verify(token.slice(0, -1) + last)).toBeNull();
    expect(tokens.verify(token)).not.toBeNull();
  });

  it.each([[''], ['no-dot'], ['.'], ['a.b.c'], ['selector.']])('refuse the malformed token %j', (token) => {
    const { tokens } = tokensAt();
    tokens.issue('conversation', 'user');
    expect(tokens.verify(token)).toBeNull();
  });
});
