import { copyFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium } from '../support/browser.js';
import { agentOnline, conversation, startBot, textOf, type RunningBot } from '../support/botServer.js';

const TOKEN = 'browser-console-token-0123456789';
/**
 * A bound, not a speed target: the page polls every 1.5 s and the flow waits on several polls, which
 * on a loaded 2-core CI machine running the whole suite in parallel took longer than the default 20 s.
 */
const BROWSER_FLOW_TIMEOUT_MS = 90_000;
/** The README's picture of the console; rewritten only when asked, so the suite leaves tracked files alone. */
const DOCS_SCREENSHOT = path.join(import.meta.dirname, '..', '..', 'docs', 'console.png');
let bot: RunningBot;
let browser: Browser;

beforeAll(async () => {
  bot = await startBot({ AGENT_TOKENS: `Dana=${TOKEN}` });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

/** A web chat customer who described their problem, then asked for a person. */
async function waitingCustomer(problem: string) {
  // Dana is online (as her console will be), so the customer is queued rather than offered to leave a message.
  await agentOnline(bot, TOKEN);
  const customer = conversation(bot);
  await customer.say(problem);
  await customer.say('I want to talk to a person');
  return customer;
}

/** A Teams customer: the one channel that vouches for a customer's name. */
async function waitingTeamsCustomer(name: string, problem: string) {
  const id = `teams-${name.replace(/\W/g, '')}-${process.pid}`;
  const customer = conversation(bot, { channelId: 'msteams', id, extra: { conversation: { id, conversationType: 'personal', tenantId: 'tenant-1' } } });
  const from = { from: { id: `29:${id}`, name, aadObjectId: `aad-${id}` } };
  await agentOnline(bot, TOKEN);
  await customer.say(problem, from);
  await customer.say('I want to talk to a person', from);
  return customer;
}

async function signedIn(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${bot.url}/agent`);
  await page.fill('#agent-token', TOKEN);
  await page.click('#login-form button');
  await page.waitForSelector('#who:has-text("Dana")');
  return page;
}

const toCustomer = (id: string, mark: number) => textOf(bot.sent.slice(mark).filter((sent) => sent.conversationId === id));

describe('agent console page', () => {
  it('shows who waits and for how long, then lets an agent accept, read a labelled transcript, send a KB answer and hand back', async () => {
    const customer = await waitingCustomer('my restore is taking forever');
    await waitingTeamsCustomer('Maria Lopez', 'iphone says cannot restore backup');
    const context = await browser.newContext({ viewport: { width: 1180, height: 760 } });
    const page = await signedIn(context);

    const card = page.locator(`button.case[data-id="webchat|${customer.id}"]`);
    await expect(card.locator('.who').innerText()).resolves.toMatch(/^Web chat visitor [0-9a-f]{6}$/);
    await expect(card.locator('.topic').innerText()).resolves.toBe('Restore is taking a long time');
    await expect(card.locator('.words').innerText()).resolves.toBe('“my restore is taking forever”');
    await expect(card.locator('.waited').innerText()).resolves.toMatch(/^waiting \d+ s$/);
    await expect(page.locator('button.case .who', { hasText: 'Maria Lopez' }).count()).resolves.toBe(1);

    await card.click();
    await page.waitForSelector('#summary:has-text("Restore is taking a long time")');
    await page.click('#accept-form button');
    await page.waitForSelector('#reply-form:not(.hidden)');
    await page.locator('.line.customer .meta', { hasText: /^Customer · / }).first().waitFor();
    // The bot's answer is markdown: bold arrives as bold, not as asterisks.
    await expect(page.locator('.line.bot strong').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('#transcript').innerText()).resolves.not.toContain('**');

    const mark = bot.sent.length;
    await page.fill('#reply-text', 'Hello, Dana here. How big is the backup?');
    await page.click('#reply-form button');
    await expect.poll(() => toCustomer(customer.id, mark)).toMatch(/Dana here/);
    await page.locator('.line.agent .meta', { hasText: /^Dana · / }).waitFor();
    await customer.say('about 20 GB');
    await page.waitForSelector('.line.customer:has-text("about 20 GB")');
    await page.screenshot({ path: path.join(ARTIFACTS, 'agent-console.png') });
    if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(path.join(ARTIFACTS, 'agent-console.png'), DOCS_SCREENSHOT);

    await page.click('#picker summary');
    await page.fill('#kb-search', 'wi-fi');
    await page.click('#kb-results button:has-text("Wi-Fi needed for an iCloud restore")');
    await page.waitForSelector('#kb-preview:not(.hidden)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'agent-console-picker.png') });
    const beforeAnswer = bot.sent.length;
    await page.click('#kb-send');
    await expect.poll(() => toCustomer(customer.id, beforeAnswer)).toMatch(/Wi-Fi/);

    const beforeHandBack = bot.sent.length;
    await page.selectOption('#handback-mode', 'plain');
    await page.click('#handback-form button[type=submit]');
    await expect.poll(() => toCustomer(customer.id, beforeHandBack)).toMatch(/I'm back/);
    await context.close();
  }, BROWSER_FLOW_TIMEOUT_MS);

  it('raises an alert for a new case: the count of waiting customers in the title and a desktop notification', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['notifications'], { origin: bot.url });
    // Records each notification the page shows; the browser's own Notification still shows it.
    // A string, because the test compiles without the DOM library.
    await context.addInitScript(`
      window.shownNotifications = [];
      window.Notification = class extends window.Notification {
        constructor(title, options) { super(title, options); window.shownNotifications.push(title); }
      };
    `);
    const page = await signedIn(context);
    await page.waitForSelector('#queue');
    const waitingNow = async () => (await bot.assembly.queue.list()).filter((item) => item.status === 'queued').length;
    await expect.poll(() => page.title()).toBe((await waitingNow()) > 0 ? `(${await waitingNow()}) Agent console · Backup & Restore Help` : 'Agent console · Backup & Restore Help');

    await waitingTeamsCustomer('Sam Okafor', 'restore keeps failing');
    const expected = `(${await waitingNow()}) Agent console · Backup & Restore Help`;
    await expect.poll(() => page.title(), { timeout: 15_000 }).toBe(expected);
    await expect.poll(() => page.evaluate('window.shownNotifications'), { timeout: 15_000 }).toEqual(['Sam Okafor is waiting']);
    await context.close();
  }, BROWSER_FLOW_TIMEOUT_MS);

  it('closes a chat from the console without handing it back', async () => {
    const customer = await waitingCustomer('restore keeps failing');
    const context = await browser.newContext();
    const page = await signedIn(context);
    await page.click(`button.case[data-id="webchat|${customer.id}"]`);
    await page.click('#accept-form button');
    await page.waitForSelector('#handback-form:not(.hidden)');
    const mark = bot.sent.length;
    await page.click('#close-case');
    await expect.poll(() => toCustomer(customer.id, mark)).toMatch(/Dana from the support team has closed this chat/);
    await page.waitForSelector(`button.case.closed[data-id="webchat|${customer.id}"]`);
    expect(await page.isHidden('#reply-form')).toBe(true);
    await context.close();
  }, BROWSER_FLOW_TIMEOUT_MS);

  it("remembers an agent's choice of sound for new customers on their next visit", async () => {
    const context = await browser.newContext();
    const page = await signedIn(context);
    expect(await page.isChecked('#sound')).toBe(false);
    await page.check('#sound');
    await page.reload();
    await page.waitForSelector('#who:has-text("Dana")');
    expect(await page.isChecked('#sound')).toBe(true);
    await context.close();
  }, BROWSER_FLOW_TIMEOUT_MS);

  it('shows markup a customer sends as harmless text: no image, no script link, links open apart from the console', async () => {
    const customer = await waitingCustomer('<img src=x onerror="document.title=\'pwned\'"> [tap here](javascript:document.title=\'pwned\') see https://support.apple.com/en-us/118105');
    const context = await browser.newContext();
    const page = await signedIn(context);
    await page.click(`button.case[data-id="webchat|${customer.id}"]`);
    const line = page.locator('.line.customer').first();
    await line.waitFor();
    await expect(page.locator('#transcript img').count()).resolves.toBe(0);
    await expect(line.locator('a:has-text("tap here")').getAttribute('href')).resolves.toBeNull();
    const link = line.locator('a[href^="https://support.apple.com"]');
    await expect(link.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    await expect(link.getAttribute('target')).resolves.toBe('_blank');
    await expect(page.title()).resolves.not.toBe('pwned');
    await context.close();
  }, BROWSER_FLOW_TIMEOUT_MS);

  it('shows the server\'s refusal of an action to a signed-in agent, where they can read it', async () => {
    const customer = await waitingCustomer('my restore stopped at half way');
    const context = await browser.newContext();
    const page = await context.newPage();
    // The page's timers stand still: no poll redraws the case between the close below and the reply.
    await page.clock.install();
    await page.goto(`${bot.url}/agent`);
    await page.fill('#agent-token', TOKEN);
    await page.click('#login-form button');
    await page.waitForSelector('#who:has-text("Dana")');
    await page.click(`button.case[data-id="webchat|${customer.id}"]`);
    await page.click('#accept-form button');
    await page.waitForSelector('#reply-form:not(.hidden)');
    // Closed elsewhere (another tab of Dana's) while this page still offers a reply.
    const closed = await fetch(`${bot.url}/api/agent/conversations/${encodeURIComponent(`webchat|${customer.id}`)}/close`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(closed.status).toBe(200);
    await page.fill('#reply-text', 'Are you still there?');
    await page.click('#reply-form button');
    await page.waitForSelector('#error:has-text("closed")');
    expect(await page.isVisible('#error')).toBe(true);
    await context.close();
  }, BROWSER_FLOW_TIMEOUT_MS);

  it('keeps the console closed to a wrong token', async () => {
    const page = await browser.newPage();
    await page.goto(`${bot.url}/agent`);
    await page.fill('#agent-token', 'not-the-token-at-all');
    await page.click('#login-form button');
    await page.waitForSelector('#error:has-text("not accepted")');
    expect(await page.isHidden('#console')).toBe(true);
    await page.close();
  });
});
