import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium } from '../support/browser.js';
import { conversation, startBot, type RunningBot } from '../support/botServer.js';

/**
 * The Insights and inbox pages in Chromium, over a day of made-up conversations sent through the
 * real server. docs/insights.png is rewritten only with UPDATE_SCREENSHOTS=1 (otherwise the shot
 * goes to test-artifacts/), so a test run never changes the docs.
 */
const TOKEN = 'browser-insights-token-0123456789';
const TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/amer/6babcaad-604b-40ac-a9d7-9fd97c0b779f/';
const teamsFixture = (name: string): Record<string, any> => JSON.parse(readFileSync(path.join(projectRoot, 'test', 'fixtures', 'teams', `${name}.json`), 'utf8'));
/** A thumbs-down comment typed in Teams' feedback form, with markup a careless page would run. */
const COMMENT = 'I needed the steps for a Mac <img src=x onerror="document.body.dataset.pwned=1"> call me on +44 20 7946 0958';
const projectRoot = path.join(import.meta.dirname, '..', '..');
/** A bound, not a speed target: a loaded 2-core machine starts Chromium and the charts slowly. */
const BROWSER_FLOW_TIMEOUT_MS = 90_000;
let bot: RunningBot;
let browser: Browser;
let contentDir: string;
let clock = Date.parse('2026-03-02T09:00:00.000Z');

async function talk(...messages: string[]) {
  const chat = conversation(bot);
  for (const text of messages) {
    await chat.say(text);
    clock += 20_000;
  }
}

beforeAll(async () => {
  contentDir = mkdtempSync(path.join(tmpdir(), 'insights-browser-'));
  cpSync(path.join(projectRoot, 'kb'), path.join(contentDir, 'kb'), { recursive: true });
  cpSync(path.join(projectRoot, 'dialogs'), path.join(contentDir, 'dialogs'), { recursive: true });
  bot = await startBot({ AGENT_TOKENS: `Dana=${TOKEN}`, CONTENT_DIR: contentDir }, { now: () => clock, serviceUrls: [TEAMS_SERVICE_URL] });
  await talk('it keeps saying cannot restore backup', 'No, still failing', "Yes, it's restoring now", '👍 That helped');
  await talk('cannot restore backup error again', 'No, still failing', 'No, my Wi-Fi is fine');
  await talk('icloud says cannot restore backup', 'talk to a person', 'cancel');
  await talk('which of my backups should I restore from?', '👍 That helped');
  await talk('which of my backups should I restore from?', '👎 Not helpful');
  await talk('my restore is slow');
  await talk('the purple frobnicator hums');
  await talk('purple frobnicator humming loudly');
  await talk('will it rain in Paris tomorrow');
  await bot.post({ ...teamsFixture('personal-message'), text: 'which of my backups should I restore from?', attachments: [] });
  const dislike = teamsFixture('invoke-feedback-dislike');
  await bot.post({ ...dislike, value: { actionName: 'feedback', actionValue: { reaction: 'dislike', feedback: JSON.stringify({ feedbackText: COMMENT }) } } });
  // An hour later: the customers left at a question have given up there.
  clock += 60 * 60_000;
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await bot?.close();
  rmSync(contentDir, { recursive: true, force: true });
});

describe('the Insights page', () => {
  it('draws topics, helpfulness and a funnel per walk-through from what customers did', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${bot.url}/agent/insights`);
    await page.fill('#agent-token', TOKEN);
    await page.click('#login-form button');
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('canvas[data-tree="cannot_restore"]');
    const cannotRestore = page.locator('#topics-table tr', { hasText: '"Cannot Restore Backup" error' });
    // Asked, answered, helpful, not helpful, to a person, handed back, closed by agent, stopped waiting, wait timed out.
    expect((await cannotRestore.locator('td').allTextContents()).slice(1)).toEqual(['3', '1', '1', '0', '1', '0', '0', '1', '0']);
    // Two unplaced groups, and the question whose answer was not helpful.
    expect(await page.locator('#unanswered-table tbody tr').count()).toBe(3);
    // Chart.js drew something on each canvas (not a blank bitmap).
    const drawn = await page.evaluate<number[]>('[...document.querySelectorAll("canvas")].map((canvas) => canvas.toDataURL().length)');
    expect(drawn.every((size) => size > 3000)).toBe(true);
    const shot = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(projectRoot, 'docs', 'insights.png') : path.join(ARTIFACTS, 'insights.png');
    await page.screenshot({ path: shot, fullPage: true });
    await page.close();
  }, BROWSER_FLOW_TIMEOUT_MS);
});

describe('the inbox page', () => {
  it("lets an agent assign a group to a topic, which adds its wordings to the topic's file", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    await page.goto(`${bot.url}/agent/inbox`);
    await page.fill('#agent-token', TOKEN);
    await page.click('#login-form button');
    const group = page.locator('article.group', { hasText: 'the purple frobnicator hums' });
    await group.waitFor();
    expect(await group.locator('.meta').textContent()).toMatch(/^2 messages/);
    await group.locator('select').selectOption('photos_in_backup');
    await group.locator('button[type=submit]').click();
    await page.waitForSelector('#notice:has-text("Added 2 example(s) to kb/photos_in_backup.yaml")');
    expect(await page.locator('article.group', { hasText: 'frobnicator' }).count()).toBe(0);
    expect(readFileSync(path.join(contentDir, 'kb', 'photos_in_backup.yaml'), 'utf8')).toContain('- purple frobnicator humming loudly\n');

    await page.locator('article.group', { hasText: 'will it rain in Paris' }).locator('button[type=button]').click();
    await page.waitForSelector('#notice:has-text("Dismissed")');
    expect(await page.locator('article.group', { hasText: 'will it rain in Paris' }).count()).toBe(0);
    await page.close();
  }, BROWSER_FLOW_TIMEOUT_MS);

  it("shows what customers wrote about an unhelpful answer under its group, as text and masked", async () => {
    const page = await browser.newPage();
    await page.goto(`${bot.url}/agent/inbox`);
    await page.fill('#agent-token', TOKEN);
    await page.click('#login-form button');
    const group = page.locator('article.group', { hasText: 'which of my backups should I restore from?' });
    await group.waitFor();
    const comments = await group.locator('.comments q').allTextContents();
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain('I needed the steps for a Mac <img src=x onerror=');
    expect(comments[0]).not.toContain('7946');
    expect(await group.locator('.comments img').count()).toBe(0);
    expect(await page.evaluate<string | undefined>('document.body.dataset.pwned')).toBeUndefined();
    await page.close();
  }, BROWSER_FLOW_TIMEOUT_MS);

  it('shows customer text as text, never as markup', async () => {
    await talk('<img src=x onerror="document.body.dataset.pwned=1"> zzqx');
    const page = await browser.newPage();
    await page.goto(`${bot.url}/agent/inbox`);
    await page.fill('#agent-token', TOKEN);
    await page.click('#login-form button');
    await page.locator('article.group', { hasText: 'onerror' }).first().waitFor();
    expect(await page.evaluate<string | undefined>('document.body.dataset.pwned')).toBeUndefined();
    await page.close();
  }, BROWSER_FLOW_TIMEOUT_MS);
});
