import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentAccounts } from '../../src/storage/agentAccounts.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { jsonOf, startBot, type RunningBot } from '../support/botServer.js';
import { startOidcProvider, type LocalProvider } from '../support/oidcProvider.js';

/** Where browsers reach the bot (its reverse proxy); the test maps it to the bot's local port. */
const PUBLIC = 'https://support.contoso.test';
const HOUR = 3600 * 1000;

let provider: LocalProvider;
let storage: StorageBackend;
let bot: RunningBot;
let skew = 0;

/**
 * A browser as far as sign-in needs one: a cookie jar per origin, redirects followed one by one,
 * and the provider's login and consent forms submitted (as a login name and any password).
 */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  constructor(private readonly login: string) {}

  /** Starts at `url` and goes on until the bot answers something other than a redirect to the provider. */
  async signIn(url = `${bot.url}/agent/sign-in`): Promise<Response> {
    let response = await this.request(url);
    for (let step = 0; step < 20; step += 1) {
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, response.url || url);
        // The provider sends the browser to PUBLIC_BASE_URL: through the proxy, to the bot.
        if (next.origin === PUBLIC) return this.request(`${bot.url}${next.pathname}${next.search}`);
        if (next.origin === new URL(bot.url).origin) return response;
        response = await this.request(next.href);
      } else if (response.status === 200 && new URL(response.url).origin === new URL(provider.issuer).origin) {
        response = await this.submit(response);
      } else {
        return response;
      }
    }
    throw new Error('sign-in went round in circles');
  }

  /** The pending sign-in's URL at the provider, and the redirect back, without following it. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const { origin } = new URL(url);
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      if (value === '' || /max-age=0/i.test(line)) jar.delete(pair.slice(0, at));
      else jar.set(pair.slice(0, at), value);
    }
    Object.defineProperty(response, 'url', { value: url });
    return response;
  }

  private async submit(page: Response): Promise<Response> {
    const html = await page.text();
    const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(html)?.[1];
    if (!action) throw new Error(`no form on the provider's page:\n${html.slice(0, 500)}`);
    const fields = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields.set(name!, value!);
    if (fields.get('prompt') === 'login') {
      fields.set('login', this.login);
      fields.set('password', 'any password');
    }
    return this.request(new URL(action, page.url).href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
  }
}

const sessionOf = (response: Response): string | undefined => /^\/agent#session=([A-Za-z0-9_-]+)$/.exec(response.headers.get('location') ?? '')?.[1];
const me = (token: string) => fetch(`${bot.url}/api/agent/me`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  provider = await startOidcProvider(`${PUBLIC}/agent/sign-in/callback`, {
    alice: { email: 'alice@contoso.com', email_verified: true, name: 'Alice' },
    // Claims Alice's address without the provider having verified it.
    mallory: { email: 'alice@contoso.com', email_verified: false, name: 'Mallory' },
    bo: { email: 'bo@contoso.com', email_verified: true, name: 'Bo' },
  });
  storage = openSqliteStorage(IN_MEMORY);
  bot = await startBot(
    { AGENT_OIDC_ISSUER: provider.issuer, AGENT_OIDC_CLIENT_ID: provider.clientId, AGENT_OIDC_CLIENT_SECRET: provider.clientSecret, PUBLIC_BASE_URL: PUBLIC, AGENT_SESSION_HOURS: '12' },
    { storage, now: () => Date.now() + skew },
  );
  const accounts = new AgentAccounts(storage.agents, { sessionMs: HOUR });
  await accounts.add('Alice', { email: 'alice@contoso.com' });
});
afterAll(async () => {
  await bot?.close();
  await storage?.close();
  await provider?.close();
});

describe('console sign-in with an OpenID Connect provider', () => {
  it('offers the sign-in on the console page', async () => {
    expect(await jsonOf(await fetch(`${bot.url}/api/agent/sign-in-methods`))).toEqual({ methods: [{ id: 'microsoft', label: 'Sign in with Microsoft', url: '/agent/sign-in' }] });
  });

  it('sends the browser to the provider with PKCE (S256), a state and a nonce, remembered only in a short-lived cookie', async () => {
    const started = await new Browser('alice').request(`${bot.url}/agent/sign-in`);
    expect(started.status).toBe(302);
    const authorize = new URL(started.headers.get('location') ?? '');
    expect(authorize.origin).toBe(provider.issuer);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: provider.clientId,
      redirect_uri: `${PUBLIC}/agent/sign-in/callback`,
      response_type: 'code',
      scope: 'openid profile email',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.any(String),
      nonce: expect.any(String),
    });
    expect(started.headers.get('set-cookie')).toMatch(/^agent_sign_in=[A-Za-z0-9_-]+; Path=\/agent\/sign-in; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
  });

  it("signs a linked person in through the provider's own login and consent pages, with a console session in the fragment", async () => {
    const done = await new Browser('alice').signIn();
    expect(done.status).toBe(302);
    const session = sessionOf(done);
    expect(session).toBeDefined();
    expect(done.headers.get('set-cookie')).toMatch(/^agent_sign_in=; Path=\/agent\/sign-in; Max-Age=0/);
    expect(await jsonOf(await me(session!))).toEqual({ name: 'Alice' });
    expect((await fetch(`${bot.url}/api/agent/queue`, { headers: { authorization: `Bearer ${session}` } })).status).toBe(200);
  });

  it('refuses a person linked to no agent account with a page that says what to ask for', async () => {
    const refused = await new Browser('bo').signIn();
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/text\/html/);
    expect(refused.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const page = await refused.text();
    expect(page).toMatch(/bo@contoso\.com is not linked to an agent account/);
    expect(page).toMatch(/npm run agents -- link/);
    expect(page).toContain('ERR_AGENT_NOT_LINKED');
  });

  it("refuses someone whose copy of a linked address the provider has not verified", async () => {
    const refused = await new Browser('mallory').signIn();
    expect(refused.status).toBe(403);
    expect(sessionOf(refused)).toBeUndefined();
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    const browser = new Browser('alice');
    const started = await browser.request(`${bot.url}/agent/sign-in`);
    const authorize = new URL(started.headers.get('location') ?? '');
    authorize.searchParams.set('state', 'a-state-this-browser-never-had');
    const refused = await browser.signIn(authorize.href);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/Sign-in did not complete[\s\S]*ERR_AGENT_SIGN_IN/);
  });

  it("refuses a callback that arrives in a browser that did not start the sign-in (someone else's link)", async () => {
    const victim = new Browser('alice');
    const started = await new Browser('alice').request(`${bot.url}/agent/sign-in`);
    const refused = await victim.signIn(started.headers.get('location') ?? '');
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/not started in this browser/);
  });

  it('refuses an overlong callback before asking the provider anything', async () => {
    const refused = await new Browser('alice').request(`${bot.url}/agent/sign-in/callback?code=${'x'.repeat(9000)}&state=s`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/too long/);
  });

  it('ends a console session on sign-out, on the API at once', async () => {
    const session = sessionOf(await new Browser('alice').signIn());
    expect((await me(session!)).status).toBe(200);
    const out = await fetch(`${bot.url}/api/agent/sign-out`, { method: 'POST', headers: { authorization: `Bearer ${session}` } });
    expect(out.status).toBe(204);
    expect((await me(session!)).status).toBe(401);
  });

  it('refuses a console session once it has expired', async () => {
    const session = sessionOf(await new Browser('alice').signIn());
    expect((await me(session!)).status).toBe(200);
    skew = 12 * HOUR + 1000;
    try {
      const expired = await me(session!);
      expect(expired.status).toBe(401);
      expect((await jsonOf(expired)).error.code).toBe('ERR_AGENT_UNAUTHORIZED');
    } finally {
      skew = 0;
    }
  });
});

describe('failed provider sign-ins', () => {
  it('stops sign-ins from an address whose sign-ins kept failing, with a page and Retry-After, until the window has passed', async () => {
    const shared = bot;
    const limited = await startBot(
      { AGENT_OIDC_ISSUER: provider.issuer, AGENT_OIDC_CLIENT_ID: provider.clientId, AGENT_OIDC_CLIENT_SECRET: provider.clientSecret, PUBLIC_BASE_URL: PUBLIC, AGENT_AUTH_MAX_FAILURES: '2', AGENT_AUTH_WINDOW_SECONDS: '60' },
      { storage, now: () => Date.now() + skew },
    );
    bot = limited;
    try {
      expect((await new Browser('bo').signIn()).status).toBe(403);
      expect((await new Browser('bo').signIn()).status).toBe(403);

      const refused = await new Browser('alice').signIn();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(refused.headers.get('content-type')).toMatch(/text\/html/);
      expect(await refused.text()).toMatch(/Too many failed sign-in attempts[\s\S]*ERR_AGENT_RATE_LIMITED/);

      skew = 61_000;
      const signedIn = await new Browser('alice').signIn();
      expect(sessionOf(signedIn)).toBeDefined();
    } finally {
      skew = 0;
      bot = shared;
      await limited.close();
    }
  });
});

describe('without a provider configured', () => {
  it('offers no provider sign-in and has no sign-in route', async () => {
    const plain = await startBot();
    try {
      expect(await jsonOf(await fetch(`${plain.url}/api/agent/sign-in-methods`))).toEqual({ methods: [] });
      expect((await fetch(`${plain.url}/agent/sign-in`, { redirect: 'manual' })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
