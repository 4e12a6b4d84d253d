import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium } from '../support/browser.js';
import { agentOnline, caseId, startBot, type RunningBot } from '../support/botServer.js';

const TOKEN = 'avatar-console-token-0123456789';
/** A bound, not a speed target: Web Chat's bundle loads and renders on a loaded 2-core machine. */
const BROWSER_FLOW_TIMEOUT_MS = 90_000;
let bot: RunningBot;
let browser: Browser;

beforeAll(async () => {
  bot = await startBot({ AGENT_TOKENS: `Dana Whitfield=${TOKEN}` });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

const agentApi = (route: string, body: unknown) =>
  fetch(`${bot.url}${route}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The row Web Chat draws for the message with this text: its avatar gutter and its status line. */
const row = (page: Page, text: RegExp) => page.locator('.webchat__stacked-layout').filter({ has: page.locator('.webchat__bubble__content', { hasText: text }) }).last();

describe('a support agent in the web chat page', () => {
  it("shows the agent's initials and name on their messages, and the bot's own avatar on the bot's", async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const session = page.waitForResponse((response) => response.url().endsWith('/api/directline/token')).then((response) => response.json());
    await page.goto(bot.url);
    const { conversationId } = (await session) as { conversationId: string };
    const box = page.getByRole('textbox');
    await box.fill('my restore is taking forever');
    await box.press('Enter');
    await page.locator('.webchat__bubble__content', { hasText: /hours per gigabyte/ }).waitFor();
    await agentOnline(bot, TOKEN);
    await box.fill('I want to talk to a person');
    await box.press('Enter');
    await expect.poll(() => bot.assembly.queue.list().then((cases) => cases.map((item) => item.conversationId))).toContain(conversationId);

    expect((await agentApi(`/api/agent/conversations/${caseId(conversationId)}/accept`, {})).status).toBe(200);
    expect((await agentApi(`/api/agent/conversations/${caseId(conversationId)}/messages`, { text: 'Hello, Dana here. How big is the backup?' })).status).toBe(202);

    const agentRow = row(page, /Dana here/);
    await agentRow.waitFor();
    await expect(agentRow.locator('.webchat__stacked-layout__main > .webchat__stacked-layout__avatar-gutter').innerText()).resolves.toBe('DW');
    await expect(agentRow.locator('.webchat__stacked-layout__status').innerText()).resolves.toMatch(/^Dana Whitfield ·/);
    const welcome = row(page, /Backup & Restore assistant/);
    await expect(welcome.locator('.webchat__stacked-layout__main > .webchat__stacked-layout__avatar-gutter').innerText()).resolves.toBe('BR');
    // The bot's notice that the agent joined stays in the bot's group, under the bot's avatar.
    await expect(row(page, /has joined the chat/).locator('.webchat__agent-avatar').count()).resolves.toBe(0);
    await expect(page.locator('.webchat__agent-avatar').count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-agent-avatar.png') });
    expect(problems).toEqual([]);
    await context.close();
  }, BROWSER_FLOW_TIMEOUT_MS);
});
