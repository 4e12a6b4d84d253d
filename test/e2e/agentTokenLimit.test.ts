import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jsonOf, startBot, type RunningBot } from '../support/botServer.js';

const ANA = 'token-of-ana-from-the-environment';
const WINDOW_SECONDS = 120;

let bot: RunningBot;
let skew = 0;

const me = (token: string) => fetch(`${bot.url}/api/agent/me`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  bot = await startBot({ AGENT_TOKENS: `Ana=${ANA}`, AGENT_AUTH_MAX_FAILURES: '3', AGENT_AUTH_WINDOW_SECONDS: String(WINDOW_SECONDS) }, { now: () => Date.now() + skew });
});
afterAll(async () => {
  await bot?.close();
});
// Each test starts after the last one's window, so its failures are its own.
beforeEach(() => {
  skew += (WINDOW_SECONDS + 1) * 1000;
});

describe('wrong agent tokens over HTTP', () => {
  it('answers 429 with Retry-After once an address has tried too many wrong tokens, the right token included', async () => {
    for (const guess of ['guess-one', 'guess-two', 'guess-three']) expect((await me(guess)).status).toBe(401);
    const refused = await me(ANA);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect((await jsonOf(refused)).error).toMatchObject({ code: 'ERR_AGENT_RATE_LIMITED', message: expect.stringMatching(/try again in/) });

    skew += retryAfter * 1000;
    expect((await me(ANA)).status).toBe(200);
  });

  it('never counts or refuses an agent whose token is right, however often the console calls', async () => {
    for (let call = 0; call < 30; call += 1) expect((await me(ANA)).status).toBe(200);
    expect((await me('one-wrong-token')).status).toBe(401);
    expect((await me(ANA)).status).toBe(200);
  });

  it('counts a stale token polled again and again once, so it locks nobody out', async () => {
    for (let poll = 0; poll < 10; poll += 1) expect((await me('an-expired-console-session')).status).toBe(401);
    expect((await me(ANA)).status).toBe(200);
  });

  it('counts no failure for a request that presents no token at all', async () => {
    for (let call = 0; call < 5; call += 1) expect((await fetch(`${bot.url}/api/agent/me`)).status).toBe(401);
    expect((await me(ANA)).status).toBe(200);
  });
});

describe('wrong agent tokens behind a reverse proxy (TRUST_PROXY_HOPS=1)', () => {
  let proxied: RunningBot;
  beforeAll(async () => {
    proxied = await startBot({ AGENT_TOKENS: `Ana=${ANA}`, AGENT_AUTH_MAX_FAILURES: '3', TRUST_PROXY_HOPS: '1' });
  });
  afterAll(async () => {
    await proxied?.close();
  });
  const via = (forwardedFor: string, token: string) => fetch(`${proxied.url}/api/agent/me`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': forwardedFor } });

  it('charges failures to the address the proxy saw, so a new forged entry each time does not escape the limit', async () => {
    for (const [forged, guess] of [['192.0.2.1', 'guess-a'], ['192.0.2.2', 'guess-b'], ['192.0.2.3', 'guess-c']]) {
      expect((await via(`${forged}, 198.51.100.7`, guess!)).status).toBe(401);
    }
    expect((await via('192.0.2.4, 198.51.100.7', ANA)).status).toBe(429);
    // Everyone else behind the same proxy still signs in.
    expect((await via('198.51.100.8', ANA)).status).toBe(200);
  });
});
