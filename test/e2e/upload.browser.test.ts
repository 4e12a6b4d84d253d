import { PNG } from 'pngjs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium } from '../support/browser.js';
import { agentOnline, caseId, jsonOf, startBot, type RunningBot } from '../support/botServer.js';

/** Web Chat's own upload button, in Chromium, against the real server and its embedded Direct Line. */
const AGENT = 'agent-token-for-tests-0123456789';
let bot: RunningBot;
let browser: Browser;
beforeAll(async () => {
  bot = await startBot({ AGENT_TOKENS: `Dana=${AGENT}` });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

function screenshot(): Buffer {
  const image = new PNG({ width: 120, height: 240 });
  for (let offset = 0; offset < image.data.length; offset += 4) image.data.set([0x0b, 0x5c, 0xad, 0xff], offset);
  return PNG.sync.write(image);
}

describe('the upload button of the Web Chat page', () => {
  it("sends a PNG that the customer sees in their chat, the agent API serves and the agent's console shows", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    const session = page.waitForResponse((response) => response.url().endsWith('/api/directline/token')).then((response) => response.json());
    await page.goto(bot.url);
    const { conversationId } = (await session) as { conversationId: string };
    await page.locator('.webchat__bubble__content').filter({ hasText: /Backup & Restore assistant/ }).waitFor();

    const picture = screenshot();
    let sent = false;
    const uploaded = page.waitForResponse((response) => /\/upload\?userId=/.test(response.url()), { timeout: 60_000 });
    void uploaded.then(() => (sent = true), () => undefined);
    await page.locator('input[type="file"]').setInputFiles({ name: 'alert.png', mimeType: 'image/png', buffer: picture });
    // Web Chat 4.18 stages the chosen file in the send box once it has read it and drawn its
    // thumbnail (seconds on a busy machine); a click on Send before that sends nothing, so the
    // test clicks until the upload goes, as a customer would.
    for (let tries = 0; tries < 30 && !sent; tries += 1) {
      await page.getByRole('button', { name: 'Send' }).click();
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect((await uploaded).status()).toBe(200);
    await page.locator('.webchat__bubble__content').filter({ hasText: /kept your picture for the support team/ }).waitFor();
    // The customer's own message shows the picture from the thumbnail their page drew.
    await expect(page.locator('.webchat__bubble--from-user img').count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}/webchat-upload.png` });

    await agentOnline(bot, AGENT);
    const box = page.getByRole('textbox');
    await box.fill('can I talk to a person please');
    await box.press('Enter');
    const headers = { authorization: `Bearer ${AGENT}` };
    let view: any;
    for (let tries = 0; tries < 50 && !view?.lines; tries += 1) {
      const response = await fetch(`${bot.url}/api/agent/conversations/${caseId(conversationId)}`, { headers });
      if (response.ok) view = await jsonOf(response);
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(view.context.attachments).toEqual([{ id: expect.any(String), name: 'alert.png', contentType: 'image/png', bytes: picture.length }]);
    const served = await fetch(`${bot.url}/api/agent/attachments/${view.context.attachments[0].id}`, { headers });
    expect(Buffer.from(await served.arrayBuffer()).equals(picture)).toBe(true);

    // The agent's console fetches the picture with the agent's token and shows it from a blob: URL.
    const desk = await context.newPage();
    await desk.goto(`${bot.url}/agent`);
    await desk.fill('#agent-token', AGENT);
    await desk.click('#login-form button');
    await desk.click(`button.case[data-id="webchat|${conversationId}"]`);
    const thumbnail = desk.locator('a.attachment img.thumbnail');
    await thumbnail.waitFor();
    expect(await thumbnail.getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(() => thumbnail.evaluate((image) => (image as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
});
