import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../../src/storage/backend.js';
import { AgentAccounts } from '../../src/storage/agentAccounts.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { launchChromium } from '../support/browser.js';
import { agentOnline, conversation, startBot, textOf, type RunningBot } from '../support/botServer.js';

/**
 * The console pages once their session ends under them (a token rotated or removed, a session
 * expired): they stop calling the API, say so, and take a new sign-in. The page's clock is
 * Playwright's, so a minute of polling runs at once and nothing here waits on real time.
 */
const BROWSER_FLOW_TIMEOUT_MS = 90_000;
let bot: RunningBot;
let browser: Browser;
let storage: StorageBackend;
let accounts: AgentAccounts;

beforeAll(async () => {
  storage = openSqliteStorage(IN_MEMORY);
  bot = await startBot({}, { storage });
  accounts = new AgentAccounts(storage.agents, { sessionMs: 3_600_000 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await bot?.close();
  await storage?.close();
});

/** Every agent API call the page answered (with its status), and every one it sent, answered or not. */
function watch(page: Page): { calls: string[]; sent: string[] } {
  const calls: string[] = [];
  const sent: string[] = [];
  const agentApi = (url: string) => new URL(url).pathname.startsWith('/api/agent/');
  page.on('request', (request) => {
    if (agentApi(request.url())) sent.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  page.on('response', (response) => {
    if (agentApi(response.url())) calls.push(`${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`);
  });
  return { calls, sent };
}

async function signIn(page: Page, token: string, name: string): Promise<void> {
  await page.fill('#agent-token', token);
  await page.click('#login-form button');
  await page.waitForSelector(`#who:has-text("${name}")`);
  // Until the page has started its polling, running its clock would advance timers that do not exist yet.
  await page.waitForSelector('body[data-session="open"]');
}

describe('a console whose session ends', () => {
  it('stops polling once its token is rotated, says the agent must sign in again, and carries on after they do', async () => {
    const { token } = await accounts.add('Rui');
    const page = await browser.newPage();
    await page.clock.install();
    const { calls, sent } = watch(page);
    await page.goto(`${bot.url}/agent`);
    await signIn(page, token, 'Rui');
    await page.clock.runFor(4_500);
    await expect.poll(() => calls.filter((call) => call === 'GET /api/agent/queue 200').length).toBeGreaterThanOrEqual(3);

    const { token: rotated } = await accounts.rotate('Rui');
    await page.clock.runFor(1_500);
    await page.waitForSelector('#error:has-text("Sign in again")');
    expect(await page.isVisible('#login-form')).toBe(true);
    expect(await page.isHidden('#console')).toBe(true);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('agentToken')")).toBeNull();
    const refused = calls.filter((call) => call.endsWith(' 401'));
    expect(refused.length).toBeGreaterThanOrEqual(1);

    // A minute of the page's time: no poll, heartbeat or clock of its own asks anything more.
    const before = sent.length;
    await page.clock.runFor(60_000);
    expect(sent.slice(before)).toEqual([]);

    await signIn(page, rotated, 'Rui');
    const again = calls.length;
    await page.clock.runFor(3_000);
    await expect.poll(() => calls.slice(again).filter((call) => call === 'GET /api/agent/queue 200').length).toBeGreaterThanOrEqual(2);
    expect(calls.slice(again).filter((call) => call.endsWith(' 401'))).toEqual([]);
    await page.close();
  }, BROWSER_FLOW_TIMEOUT_MS);

  it('keeps a reply written as the session ended, and sends it once the agent has signed in again', async () => {
    const { token } = await accounts.add('Lea');
    await agentOnline(bot, token);
    const customer = conversation(bot);
    await customer.say('my restore is taking forever');
    await customer.say('I want to talk to a person');
    const page = await browser.newPage();
    await page.goto(`${bot.url}/agent`);
    await signIn(page, token, 'Lea');
    await page.click(`button.case[data-id="webchat|${customer.id}"]`);
    await page.click('#accept-form button');
    await page.waitForSelector('#reply-form:not(.hidden)');

    const mark = bot.sent.length;
    await page.fill('#reply-text', 'Lea here: is the phone on Wi-Fi and charging?');
    const { token: rotated } = await accounts.rotate('Lea');
    // Sent as the session ends: the reply meets the 401 itself, or a poll met it first and the
    // page no longer sends anything; either way the form is submitted and nothing goes out.
    await page.locator('#reply-form').evaluate((form) => (form as unknown as { requestSubmit(): void }).requestSubmit());
    await page.waitForSelector('#error:has-text("Sign in again")');
    expect(textOf(bot.sent.slice(mark))).not.toContain('Lea here');

    await signIn(page, rotated, 'Lea');
    expect(await page.inputValue('#reply-text')).toBe('Lea here: is the phone on Wi-Fi and charging?');
    await page.click('#reply-form button');
    await expect.poll(() => textOf(bot.sent.slice(mark).filter((sent) => sent.conversationId === customer.id))).toContain('Lea here');
    await page.close();
  }, BROWSER_FLOW_TIMEOUT_MS);

  it('says a token kept by an earlier page of the tab has ended, rather than that it was mistyped', async () => {
    const { token } = await accounts.add('Ines');
    const page = await browser.newPage();
    await page.goto(`${bot.url}/agent/inbox`);
    await signIn(page, token, 'Ines');
    await accounts.remove('Ines');
    await page.goto(`${bot.url}/agent/insights`);
    await page.waitForSelector('#error:has-text("Sign in again")');
    expect(await page.isHidden('#insights')).toBe(true);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('agentToken')")).toBeNull();
    await page.close();
  }, BROWSER_FLOW_TIMEOUT_MS);

  it("ends the Insights page's session at the agent's next action there, which shows the sign-in again", async () => {
    const { token } = await accounts.add('Noor');
    const page = await browser.newPage();
    await page.goto(`${bot.url}/agent/insights`);
    await signIn(page, token, 'Noor');
    await page.waitForSelector('body[data-ready="true"]');
    await accounts.rotate('Noor');
    await page.click('#since-form button');
    await page.waitForSelector('#error:has-text("Sign in again")');
    expect(await page.isHidden('#insights')).toBe(true);
    expect(await page.isVisible('#login-form')).toBe(true);
    await page.close();
  }, BROWSER_FLOW_TIMEOUT_MS);
});
