import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StorageBackend } from '../../src/storage/backend.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { agentOnline, caseId, conversation, jsonOf, startBot, textOf, type RunningBot } from '../support/botServer.js';

/** The console's API through the real server, as the page calls it: each agent with their own token. */
const tokenOf = (agent: string): string => `console-queue-token-of-${agent}-0123456789`;
let bot: RunningBot;
let storage: StorageBackend;

beforeAll(async () => {
  storage = openSqliteStorage(IN_MEMORY);
  bot = await startBot({ AGENT_TOKENS: ['Dana', 'Bo'].map((agent) => `${agent}=${tokenOf(agent)}`).join(',') }, { storage });
});
// Dana's console is open, so customers are queued rather than offered to leave a message.
beforeEach(async () => {
  await agentOnline(bot, tokenOf('Dana'));
});
afterAll(async () => {
  await bot?.close();
  await storage?.close();
});

const api = (route: string, options: { agent?: string; body?: unknown } = {}) =>
  fetch(`${bot.url}${route}`, {
    method: options.body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${tokenOf(options.agent ?? 'Dana')}`, 'content-type': 'application/json' },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  });
const queue = async (agent = 'Dana'): Promise<any[]> => (await jsonOf(await api('/api/agent/queue', { agent }))).conversations;
const cardOf = async (conversationId: string, agent = 'Dana') => (await queue(agent)).find((item) => item.conversationId === conversationId);

/** A web chat customer who described their problem, then asked for a person. */
async function waitingWebChatCustomer(problem = 'my restore is taking forever') {
  const customer = conversation(bot);
  await customer.say(problem);
  await customer.say('I want to talk to a person');
  return customer;
}

describe('the console queue', () => {
  it("names a Teams customer by the name Teams gives, with the topic's title and their own first words", async () => {
    const id = `teams-chat-${process.pid}`;
    const customer = conversation(bot, { channelId: 'msteams', id, extra: { conversation: { id, conversationType: 'personal', tenantId: 'tenant-1' } } });
    const from = { from: { id: '29:maria', name: 'Maria Lopez', aadObjectId: 'aad-maria' } };
    await customer.say('iphone says cannot restore backup', from);
    await customer.say('I want to talk to a person', from);
    expect(await cardOf(id)).toMatchObject({
      customer: 'Maria Lopez',
      topic: 'cannot_restore',
      topicTitle: '"Cannot Restore Backup" error',
      firstWords: 'iphone says cannot restore backup',
      reason: 'customer_asked',
      status: 'queued',
    });
  });

  it('names a web chat visitor by the channel and a short tag, never by the name their page claims', async () => {
    const customer = conversation(bot);
    await customer.say('my restore is taking forever', { from: { id: 'user-x', name: 'Apple Support' } });
    await customer.say('I want to talk to a person', { from: { id: 'user-x', name: 'Apple Support' } });
    const card = await cardOf(customer.id);
    expect(card.customer).toMatch(/^Web chat visitor [0-9a-f]{6}$/);
    expect(JSON.stringify(card)).not.toContain('Apple Support');
  });

  it("lists the agent's own chats first, then waiting customers longest wait first, and counts waits on the server's clock", async () => {
    const first = await waitingWebChatCustomer();
    const second = await waitingWebChatCustomer('restore keeps failing');
    const mine = await waitingWebChatCustomer('my photos are missing after the restore');
    expect((await api(`/api/agent/conversations/${caseId(mine.id)}/accept`, { body: {} })).status).toBe(200);
    const response = await jsonOf(await api('/api/agent/queue'));
    expect(Date.parse(response.now)).not.toBeNaN();
    const order = response.conversations.map((item: any) => item.conversationId).filter((id: string) => [first.id, second.id, mine.id].includes(id));
    expect(order).toEqual([mine.id, first.id, second.id]);
    const forBo = (await queue('Bo')).map((item) => item.conversationId).filter((id: string) => [first.id, second.id, mine.id].includes(id));
    expect(forBo).toEqual([first.id, second.id, mine.id]);
  });

  it('labels transcript lines Customer, Bot and, from the moment they accepted, the agent by name', async () => {
    const customer = await waitingWebChatCustomer();
    await api(`/api/agent/conversations/${caseId(customer.id)}/accept`, { body: {} });
    await api(`/api/agent/conversations/${caseId(customer.id)}/messages`, { body: { text: 'Hello, **Dana** here.' } });
    const view = await jsonOf(await api(`/api/agent/conversations/${caseId(customer.id)}`));
    const speakers = new Map(view.lines.map((line: any) => [line.text, line.speaker]));
    expect(speakers.get('my restore is taking forever')).toBe('Customer');
    expect(speakers.get('Hello, **Dana** here.')).toBe('Dana');
    expect([...speakers.values()]).toContain('Bot');
    expect(view.customer).toMatch(/^Web chat visitor /);
    expect(view.topicTitle).toBe('Restore is taking a long time');
  });

  it('shows that a customer left a message, with its words and time, on their card', async () => {
    await agentOnline(bot, tokenOf('Dana'), 'offline');
    const customer = conversation(bot);
    await customer.say('my restore is taking forever');
    await customer.say('I want to talk to a person');
    await customer.say('Please email me, my restore failed twice');
    const leftMessage = { text: 'Please email me, my restore failed twice', at: expect.any(String), parts: 1 };
    expect((await cardOf(customer.id)).leftMessage).toEqual(leftMessage);
    expect((await jsonOf(await api(`/api/agent/conversations/${caseId(customer.id)}`))).leftMessage).toEqual(leftMessage);
  });

  it('finds knowledge-base answers by the words of their title, in any order, with the answer to preview', async () => {
    const { answers } = await jsonOf(await api(`/api/agent/answers?q=${encodeURIComponent('long restore')}`));
    expect(answers).toEqual([expect.objectContaining({ id: 'slow_restore', title: 'Restore is taking a long time', answer: expect.stringMatching(/hours per gigabyte/) })]);
    const all = await jsonOf(await api('/api/agent/answers'));
    expect(all.answers.length).toBe(10);
    expect(all.answers.every((answer: any) => typeof answer.answer === 'string')).toBe(true);
  });

  it('refuses a search longer than a title could need', async () => {
    const response = await api(`/api/agent/answers?q=${'a'.repeat(201)}`);
    expect(response.status).toBe(400);
  });

  it("closes a chat without handing back: the customer is told in the content's words, and the bot answers their next message as usual", async () => {
    const customer = await waitingWebChatCustomer();
    await api(`/api/agent/conversations/${caseId(customer.id)}/accept`, { body: {} });
    const mark = bot.sent.length;
    expect((await api(`/api/agent/conversations/${caseId(customer.id)}/close`, { body: {} })).status).toBe(200);
    const told = textOf(bot.sent.slice(mark).filter((sent) => sent.conversationId === customer.id));
    expect(told).toMatch(/Dana from the support team has closed this chat/);
    expect(told).not.toMatch(/I'm back with you/);
    expect((await cardOf(customer.id)).status).toBe('closed');
    const next = await customer.say('how long does a restore take');
    expect(textOf(next.replies)).toMatch(/hours per gigabyte/);
  });

  it('lets only the agent who holds a chat close it', async () => {
    const customer = await waitingWebChatCustomer();
    await api(`/api/agent/conversations/${caseId(customer.id)}/accept`, { body: {} });
    const mark = bot.sent.length;
    expect((await api(`/api/agent/conversations/${caseId(customer.id)}/close`, { agent: 'Bo', body: {} })).status).toBe(409);
    expect(bot.sent.slice(mark).filter((sent) => sent.conversationId === customer.id)).toEqual([]);
    expect((await cardOf(customer.id)).status).toBe('accepted');
  });
});

describe('the console page and its scripts', () => {
  it('serves the markdown renderer and the sanitiser from this server, under a policy that runs no inline script or style', async () => {
    for (const script of ['marked.js', 'purify.js']) {
      const response = await fetch(`${bot.url}/agent/vendor/${script}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/javascript/);
      expect((await response.text()).length).toBeGreaterThan(10_000);
    }
    const page = await fetch(`${bot.url}/agent`);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/script-src 'self';/);
    expect(policy).toMatch(/style-src 'self';/);
    expect(policy).not.toContain('unsafe-inline');
    expect(await page.text()).not.toMatch(/<script>|style=/);
  });
});
