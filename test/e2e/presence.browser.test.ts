import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_PATH, hasChromium, launchChromium } from '../support/browser.js';
import { agentOnline, caseId, jsonOf, startBot, type RunningBot } from '../support/botServer.js';

const TOKEN = 'browser-presence-token-0123456789';
/** A bound, not a speed target: two page loads and a console sign-in on a loaded 2-core machine. */
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

const agentApi = (route: string, body?: unknown) =>
  fetch(`${bot.url}${route}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const bubble = (page: Page, text: RegExp) => page.locator('.webchat__bubble__content').filter({ hasText: text }).last();

async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox');
  await box.fill(text);
  await box.press('Enter');
}

describe('presence in the browser', () => {
  it("shows the agent's answer to a message left with nobody online when the customer reopens the chat page", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const first = await context.newPage();
    const session = first.waitForResponse((response) => response.url().endsWith('/api/directline/token')).then((response) => response.json());
    await first.goto(bot.url);
    const { conversationId } = (await session) as { conversationId: string };
    await bubble(first, /Backup & Restore assistant/).waitFor();
    await send(first, 'I want to talk to a person');
    await bubble(first, /nobody from the support team is online/i).waitFor();
    await send(first, 'My iPad restore stops halfway every night, please help');
    await bubble(first, /your message is with the support team/i).waitFor();
    await first.close();

    await agentOnline(bot, TOKEN);
    expect((await agentApi(`/api/agent/conversations/${caseId(conversationId)}/accept`, {})).status).toBe(200);
    expect((await agentApi(`/api/agent/conversations/${caseId(conversationId)}/messages`, { text: 'Hello, Dana here. Is the iPad plugged in overnight?' })).status).toBe(202);

    const again = await context.newPage();
    const newConversations: string[] = [];
    again.on('request', (request) => {
      if (request.url().endsWith('/api/directline/token')) newConversations.push(request.url());
    });
    await again.goto(bot.url);
    await bubble(again, /Is the iPad plugged in overnight\?/).waitFor();
    await expect(bubble(again, /your message is with the support team/i).isVisible()).resolves.toBe(true);
    expect(newConversations).toEqual([]);
    await context.close();
  }, BROWSER_FLOW_TIMEOUT_MS);

  it('counts an agent online while their console is open, lists them there, and offline once it is closed', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
    const problems: string[] = [];
    const workers: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('worker', (worker) => workers.push(worker.url()));
    await page.goto(`${bot.url}/agent`);
    await page.fill('#agent-token', TOKEN);
    await page.click('#login-form button');
    await page.waitForSelector('#presence-list li.available:has-text("Dana")');
    expect((await jsonOf(await agentApi('/api/agent/online'))).agents).toEqual([expect.objectContaining({ name: 'Dana', status: 'available' })]);

    // The heartbeat's clock runs in a worker the strict CSP allows, so a background tab keeps beating.
    expect(workers).toEqual([`${bot.url}/agent/presence-worker.js`]);
    expect(problems).toEqual([]);
    await page.selectOption('#presence-status', 'away');
    await page.waitForSelector('#presence-list li.away:has-text("Dana")');
    await page.close({ runBeforeUnload: true });
    await expect.poll(async () => (await jsonOf(await agentApi('/api/agent/online'))).agents).toEqual([]);
  }, BROWSER_FLOW_TIMEOUT_MS);
});
