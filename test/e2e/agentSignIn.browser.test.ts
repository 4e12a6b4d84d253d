import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentAccounts } from '../../src/storage/agentAccounts.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { launchChromium } from '../support/browser.js';
import { startBot, type RunningBot } from '../support/botServer.js';
import { startOidcProvider, type LocalProvider } from '../support/oidcProvider.js';

/** The bot's public address: the browser's requests to it are carried to the bot's local port, as a reverse proxy would. */
const PUBLIC = 'https://support.contoso.test';
/** A bound, not a speed target: Chromium and two servers on a loaded 2-core machine. */
const BROWSER_FLOW_TIMEOUT_MS = 90_000;

let provider: LocalProvider;
let storage: StorageBackend;
let bot: RunningBot;
let browser: Browser;

beforeAll(async () => {
  provider = await startOidcProvider(`${PUBLIC}/agent/sign-in/callback`, { alice: { email: 'alice@contoso.com', email_verified: true, name: 'Alice' } });
  storage = openSqliteStorage(IN_MEMORY);
  bot = await startBot({ AGENT_OIDC_ISSUER: provider.issuer, AGENT_OIDC_CLIENT_ID: provider.clientId, AGENT_OIDC_CLIENT_SECRET: provider.clientSecret, PUBLIC_BASE_URL: PUBLIC }, { storage });
  await new AgentAccounts(storage.agents, { sessionMs: 3600_000 }).add('Alice', { email: 'alice@contoso.com' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await bot?.close();
  await storage?.close();
  await provider?.close();
});

describe('agent console sign-in page', () => {
  it('signs an agent in with the provider from the console page and opens the console, leaving no session in the address bar', async () => {
    const context = await browser.newContext();
    await context.route(`${PUBLIC}/**`, async (route) => {
      const url = new URL(route.request().url());
      const response = await route.fetch({ url: `${bot.url}${url.pathname}${url.search}`, maxRedirects: 0 });
      await route.fulfill({ response });
    });
    const page = await context.newPage();
    await page.goto(`${PUBLIC}/agent`);
    await page.click('a.sign-in-method:has-text("Sign in with Microsoft")');

    await page.waitForSelector('input[name="login"]');
    await page.fill('input[name="login"]', 'alice');
    await page.fill('input[name="password"]', 'any password');
    await page.click('button[type="submit"]');
    await page.waitForSelector('button[type="submit"]:has-text("Continue")');
    await page.click('button[type="submit"]');

    await page.waitForSelector('#who:has-text("Alice")');
    expect(await page.isHidden('#login')).toBe(true);
    expect(page.url()).toBe(`${PUBLIC}/agent`);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('agentToken')")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await context.close();
  }, BROWSER_FLOW_TIMEOUT_MS);
});
