import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversation, jsonOf, startBot, type RunningBot } from '../support/botServer.js';

/** The inbox and insights API and pages through the real server, on a copy of the content. */
const TOKEN = 'ana-token-0123456789';
const projectRoot = path.join(import.meta.dirname, '..', '..');
let bot: RunningBot;
let contentDir: string;
let clock: number;

beforeEach(async () => {
  contentDir = mkdtempSync(path.join(tmpdir(), 'insights-content-'));
  cpSync(path.join(projectRoot, 'kb'), path.join(contentDir, 'kb'), { recursive: true });
  cpSync(path.join(projectRoot, 'dialogs'), path.join(contentDir, 'dialogs'), { recursive: true });
  clock = Date.parse('2026-03-01T10:00:00.000Z');
  bot = await startBot({ AGENT_TOKENS: `ana=${TOKEN}`, CONTENT_DIR: contentDir }, { now: () => clock });
});
afterEach(async () => {
  await bot.close();
  rmSync(contentDir, { recursive: true, force: true });
});

const api = (route: string, body?: unknown, token = TOKEN) =>
  fetch(`${bot.url}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Each message in a conversation of its own, a minute apart (two in a row would bring a person). */
async function unplaced(...texts: string[]) {
  for (const text of texts) {
    await conversation(bot).say(text);
    clock += 60_000;
  }
  // The recorder's batch goes out in the next pass of the event loop, its group commit in the one after.
  for (let pass = 0; pass < 2; pass += 1) await new Promise((resolve) => setImmediate(resolve));
}

async function inbox() {
  const response = await api('/api/agent/inbox');
  expect(response.status).toBe(200);
  return jsonOf(response);
}

describe('the unanswered inbox API', () => {
  it('refuses a request without an agent token', async () => {
    expect((await api('/api/agent/inbox', undefined, 'not-a-token-at-all')).status).toBe(401);
  });

  it('groups what the bot could not place, with counts and dates, and lists the topics to assign to', async () => {
    await unplaced('will it rain in Paris tomorrow', 'will it rain in Paris this weekend');
    const { groups, topics } = await inbox();
    expect(groups).toEqual([
      expect.objectContaining({ text: 'will it rain in Paris tomorrow', count: 2, firstAt: '2026-03-01T10:00:00.000Z', lastAt: '2026-03-01T10:01:00.000Z', examples: ['will it rain in Paris tomorrow', 'will it rain in Paris this weekend'] }),
    ]);
    expect(topics).toContainEqual(expect.objectContaining({ id: 'which_backup', title: 'Which backup to choose' }));
  });

  it('dismisses a group until the same words come again', async () => {
    await unplaced('will it rain in Paris tomorrow');
    const [group] = (await inbox()).groups;
    expect((await api(`/api/agent/inbox/${group.id}/dismiss`, {})).status).toBe(200);
    expect((await inbox()).groups).toEqual([]);
    expect((await api(`/api/agent/inbox/${group.id}/dismiss`, {})).status).toBe(404);
    clock += 60_000;
    await unplaced('will it rain in Paris tomorrow');
    expect((await inbox()).groups).toHaveLength(1);
  });

  it("assigns a group to a topic: its wordings are added to the topic's kb file and it leaves the inbox", async () => {
    await unplaced('the purple frobnicator hums', 'purple frobnicator humming loudly');
    const [group] = (await inbox()).groups;
    const response = await api(`/api/agent/inbox/${group.id}/assign`, { topic: 'photos_in_backup' });
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({ file: 'kb/photos_in_backup.yaml', added: group.examples, skipped: [] });
    const file = readFileSync(path.join(contentDir, 'kb', 'photos_in_backup.yaml'), 'utf8');
    for (const example of group.examples) expect(file).toContain(`- ${example}\n`);
    expect((await inbox()).groups).toEqual([]);
  });

  it('refuses an unknown topic with 404 and a body without a topic with 400, leaving the group in the inbox', async () => {
    await unplaced('the purple frobnicator hums');
    const [group] = (await inbox()).groups;
    expect((await api(`/api/agent/inbox/${group.id}/assign`, { topic: 'nope' })).status).toBe(404);
    expect((await api(`/api/agent/inbox/${group.id}/assign`, { topic: 'cancel' })).status).toBe(404);
    expect((await api(`/api/agent/inbox/${group.id}/assign`, {})).status).toBe(400);
    expect((await inbox()).groups).toHaveLength(1);
  });
});

describe('the insights API', () => {
  it('answers one object with topics, nodes and unanswered messages', async () => {
    await unplaced('will it rain in Paris tomorrow', 'it keeps saying cannot restore backup');
    const insights = await jsonOf(await api('/api/agent/insights'));
    expect(Object.keys(insights).sort()).toEqual(['nodes', 'topics', 'unanswered']);
    expect(insights.topics.find((topic: { id: string }) => topic.id === 'cannot_restore')).toEqual({ id: 'cannot_restore', title: expect.any(String), asked: 1, answered: 0, helpful: 0, notHelpful: 0, handoffs: 0, handedBack: 0, closedByAgent: 0, withdrawn: 0, timedOut: 0 });
    expect(insights.nodes).toContainEqual({ tree: 'cannot_restore', node: 'intro', reached: 1, resolved: 0, handedOff: 0, abandoned: 0, explained: 0 });
    expect(insights.unanswered).toEqual([{ text: 'will it rain in Paris tomorrow', count: 1, lastAt: '2026-03-01T10:00:00.000Z' }]);
  });

  it('counts only events since a date, and refuses a date it cannot read', async () => {
    await unplaced('will it rain in Paris tomorrow');
    expect((await jsonOf(await api('/api/agent/insights?since=2026-03-02'))).unanswered).toEqual([]);
    expect((await jsonOf(await api('/api/agent/insights?since=2026-03-01'))).unanswered).toHaveLength(1);
    expect((await api('/api/agent/insights?since=yesterday')).status).toBe(400);
  });
});

describe('the pages', () => {
  it.each(['/agent/insights', '/agent/inbox', '/agent/insights.js', '/agent/inbox.js', '/agent/chart.js', '/agent/session.js'])('serves %s under the console CSP', async (route) => {
    const response = await fetch(`${bot.url}${route}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
