import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium } from '../support/browser.js';
import { startBot, type RunningBot } from '../support/botServer.js';

const PHONE = { width: 390, height: 800 };

let bot: RunningBot;
let browser: Browser;
beforeAll(async () => {
  bot = await startBot();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

/**
 * The page in a fresh browser context that may only reach this server, as on an offline machine;
 * `problems` collects script errors and anything the page tried to fetch from elsewhere.
 */
async function openChat(viewport = PHONE) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.route('**/*', (route) => {
    if (route.request().url().startsWith(bot.url)) return route.continue();
    problems.push(`left the server: ${route.request().url()}`);
    return route.abort();
  });
  const session = page.waitForResponse((response) => response.url().endsWith('/api/directline/token')).then((response) => response.json());
  await page.goto(bot.url);
  const { conversationId } = (await session) as { conversationId: string };
  await bubble(page, /Backup & Restore assistant/).waitFor();
  // Web Chat keeps its "Connecting…" notice up a moment after the first activity arrives.
  await page.getByText(/^Connecting/).waitFor({ state: 'hidden' });
  return { page, problems, conversationId, close: () => context.close() };
}

const bubble = (page: Page, text: RegExp) => page.locator('.webchat__bubble__content').filter({ hasText: text }).last();
const suggestedAction = (page: Page, name: string) => page.getByRole('toolbar', { name: 'Suggested actions' }).getByRole('button', { name });

describe('the Web Chat page in Chromium', () => {
  it('lets a customer describe a slow restore, read the answer and go on with a choice button', async () => {
    const chat = await openChat();
    const { page } = chat;
    await expect(page.title()).resolves.toBe('Backup & Restore Help');
    await expect(suggestedAction(page, 'Restore is taking a long time').isVisible()).resolves.toBe(true);

    const box = page.getByRole('textbox');
    await box.fill('my restore is taking forever');
    await box.press('Enter');
    await bubble(page, /1 to 4 hours per gigabyte/).waitFor();

    await suggestedAction(page, "No, I'm at home").click();
    const listItem = page.locator('.webchat__bubble__content li').filter({ hasText: 'power source' });
    await listItem.waitFor();
    await expect(page.locator('.webchat__bubble__content').filter({ hasText: /check the basics/ }).locator('li').count()).resolves.toBe(2);
    await page.screenshot({ path: `${ARTIFACTS}/webchat-phone.png` });
    expect(chat.problems).toEqual([]);
    await chat.close();
  });

  it('fits a 320-pixel-wide phone without sideways scrolling, choices wrapping onto new lines', async () => {
    const chat = await openChat({ width: 320, height: 640 });
    const { page } = chat;
    // A string, because the test compiles without the DOM library.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBe(0);
    for (const button of await page.getByRole('toolbar', { name: 'Suggested actions' }).getByRole('button').all()) {
      const box = await button.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(320);
    }
    await page.screenshot({ path: `${ARTIFACTS}/webchat-320px.png` });
    await chat.close();
  });

  it('renders a card the bot sends, and its button answers the bot', async () => {
    const chat = await openChat({ width: 1024, height: 768 });
    const { page, conversationId } = chat;
    await bot.assembly.embeddedDelivery.deliver(conversationId, {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.hero',
          content: { title: 'Still stuck?', text: 'A person from our support team can look at it with you.', buttons: [{ type: 'imBack', title: 'Talk to a person', value: 'talk to a person' }] },
        },
      ],
    });
    const card = page.locator('.webchat__bubble__content').filter({ hasText: 'Still stuck?' });
    await card.waitFor();
    await card.getByRole('button', { name: 'Talk to a person' }).click();
    await bubble(page, /^talk to a person$/).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/webchat-card.png` });
    expect(chat.problems).toEqual([]);
    await chat.close();
  });

  it('shows a typing indicator while the bot is typing', async () => {
    const chat = await openChat();
    await bot.assembly.embeddedDelivery.deliver(chat.conversationId, { type: 'typing' });
    await chat.page.locator('.webchat__typing-indicator').waitFor();
    await chat.close();
  });
});
