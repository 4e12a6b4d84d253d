import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, CHROME_PATH, hasChromium, launchChromium } from '../support/browser.js';
import { agentOnline, conversation, startBot, textOf, type RunningBot } from '../support/botServer.js';

const TOKEN = 'browser-console-token-0123456789';
/**
 * A bound, not a speed target: the page polls every 1.5 s and the flow waits on several polls, which
 * on a loaded 2-core CI machine running the whole suite in parallel took longer than the default 20 s.
 */
const BROWSER_FLOW_TIMEOUT_MS = 90_000;
let bot: RunningBot;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) throw new Error(`Chromium not found at ${CHROME_PATH}: install Debian's chromium or set CHROME_PATH`);
  bot = await startBot({ AGENT_TOKENS: `Dana=${TOKEN}` });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

describe('agent console page', () => {
  it('lets an agent sign in, accept a waiting customer, reply and hand back', async () => {
    // Dana is online (as her console will be), so the customer is queued rather than offered to leave a message.
    await agentOnline(bot, TOKEN);
    const customer = conversation(bot);
    await customer.say('my restore is taking forever');
    await customer.say('I want to talk to a person');

    const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
    await page.goto(`${bot.url}/agent`);
    await page.fill('#agent-token', TOKEN);
    await page.click('#login-form button');
    await page.waitForSelector('#who:has-text("Dana")');
    await page.click(`button.case[data-id="webchat|${customer.id}"]`);
    await page.waitForSelector('#summary:has-text("slow_restore")');
    await page.click('#accept-form button');
    await page.waitForSelector('#reply-form:not(.hidden)');

    const mark = bot.sent.length;
    await page.fill('#reply-text', 'Hello, Dana here. How big is the backup?');
    await page.click('#reply-form button');
    await expect.poll(() => textOf(bot.sent.slice(mark).filter((sent) => sent.conversationId === customer.id))).toMatch(/Dana here/);

    await customer.say('about 20 GB');
    await page.waitForSelector('.line.customer:has-text("about 20 GB")');
    await page.screenshot({ path: path.join(ARTIFACTS, 'agent-console.png'), fullPage: true });

    const beforeHandBack = bot.sent.length;
    await page.selectOption('#handback-mode', 'plain');
    await page.click('#handback-form button');
    await expect.poll(() => textOf(bot.sent.slice(beforeHandBack).filter((sent) => sent.conversationId === customer.id))).toMatch(/I'm back/);
    await page.close();
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
