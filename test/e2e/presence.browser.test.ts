import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { agentOnline, caseId, jsonOf, startBot, type RunningBot } from '../support/botServer.js';

const TOKEN = 'browser-presence-token-0123456789';
/** A bound, not a speed target: two page loads and a console sign-in on a loaded 2-core machine. */
const BROWSER_FLOW_TIMEOUT_MS = 90_000;
let bot: RunningBot;
let browser: Browser;
/** Moves the server's clock forward (a night passing); the browser's own clock is left alone. */
let ahead = 0;

beforeAll(async () => {
  bot = await startBot({ AGENT_TOKENS: `Dana=${TOKEN}` }, { now: () => Date.now() + ahead });
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

/** A visitor asks for a person with nobody online, leaves `message` and closes the page; the context keeps its storage. */
async function leaveAMessage(context: BrowserContext, message: string): Promise<{ conversationId: string; resumeKey: string }> {
  const page = await context.newPage();
  const session = page.waitForResponse((response) => response.url().endsWith('/api/directline/token')).then((response) => response.json());
  await page.goto(bot.url);
  const kept = (await session) as { conversationId: string; resumeKey: string };
  await bubble(page, /Backup & Restore assistant/).waitFor();
  await send(page, 'I want to talk to a person');
  await bubble(page, /nobody from the support team is online/i).waitFor();
  await send(page, message);
  await bubble(page, /your message is with the support team/i).waitFor();
  await page.close();
  return kept;
}

describe('presence in the browser', () => {
  it("shows the agent's answer to a message left with nobody online when the customer reopens the chat page", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const { conversationId } = await leaveAMessage(context, 'My iPad restore stops halfway every night, please help');

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
  it("shows the agent's next-day answer after the kept token expired, through the page's resume key", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const { conversationId, resumeKey } = await leaveAMessage(context, 'The restore of my iPhone says it cannot find the backup, please help');

    // The night passes: the page's token (30 minutes) has long expired when Dana answers.
    ahead += 16 * 3_600_000;
    await agentOnline(bot, TOKEN);
    expect((await agentApi(`/api/agent/conversations/${caseId(conversationId)}/accept`, {})).status).toBe(200);
    expect((await agentApi(`/api/agent/conversations/${caseId(conversationId)}/messages`, { text: 'Good morning, Dana here. Which iOS version is the iPhone on?' })).status).toBe(202);
    ahead += 3_600_000;

    const again = await context.newPage();
    const calls: string[] = [];
    again.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (/\/(token|resume|refresh)$/.test(path)) calls.push(`${path} ${response.status()}`);
    });
    await again.goto(bot.url);
    await bubble(again, /Which iOS version is the iPhone on\?/).waitFor();
    await expect(bubble(again, /your message is with the support team/i).isVisible()).resolves.toBe(true);
    expect(calls).toEqual(['/v3/directline/tokens/refresh 403', '/api/directline/resume 200']);
    const kept = JSON.parse((await again.evaluate<string | null>("window.localStorage.getItem('restore-help.conversation')")) ?? '{}') as { conversationId?: string; resumeKey?: string };
    expect(kept.conversationId).toBe(conversationId);
    expect(kept.resumeKey).toEqual(expect.any(String));
    expect(kept.resumeKey).not.toBe(resumeKey);
    await context.close();
  }, BROWSER_FLOW_TIMEOUT_MS);
  it('picks the same conversation up through the resume key when a page left open outlives its token', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    const calls: string[] = [];
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (/\/(token|resume|refresh)$/.test(path)) calls.push(`${path} ${response.status()}`);
    });
    const session = page.waitForResponse((response) => response.url().endsWith('/api/directline/token')).then((response) => response.json());
    await page.goto(bot.url);
    const { conversationId } = (await session) as { conversationId: string };
    await bubble(page, /Backup & Restore assistant/).waitFor();

    // The laptop sleeps with the page open; on waking, the first message meets an expired token.
    ahead += 2 * 3_600_000;
    await send(page, 'Is anyone still there?');
    await expect.poll(() => calls).toContain('/api/directline/resume 200');
    await bubble(page, /Backup & Restore assistant/).waitFor();
    await page.getByText(/^Connecting/).waitFor({ state: 'hidden' });
    await send(page, 'My iPhone restore is stuck on the progress bar');
    const texts = async () => {
      const { webChat } = bot.assembly;
      const kept: { activities: readonly any[] } = webChat.mode === 'embedded' ? await webChat.directLine.read(conversationId, 0) : { activities: [] };
      return kept.activities.filter((activity) => activity.from?.role === 'user').map((activity) => activity.text);
    };
    await expect.poll(texts).toContain('My iPhone restore is stuck on the progress bar');
    expect(calls.filter((call) => call.startsWith('/api/directline/token'))).toEqual(['/api/directline/token 200']);
    await context.close();
  }, BROWSER_FLOW_TIMEOUT_MS);
});
