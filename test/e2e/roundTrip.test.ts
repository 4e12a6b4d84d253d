import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { agentOnline, caseId, conversation, startBot, textOf, type RunningBot } from '../support/botServer.js';


const AGENTS = ['Dana', 'Kim', 'Lee', 'Ana', 'Bo', 'Eve'];
const tokenOf = (agent: string): string => `agent-token-of-${agent}-0123456789`;
const storage = openSqliteStorage(IN_MEMORY);
let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({ AGENT_TOKENS: AGENTS.map((agent) => `${agent}=${tokenOf(agent)}`).join(','), HANDOFF_HUB_CHANNELS: HUB_CHANNEL }, { storage });
});
// Dana's console is open: customers are queued, not offered to leave a message.
beforeEach(() => agentOnline(bot, tokenOf('Dana')));
afterAll(async () => {
  await bot.close();
  await storage.close();
});

const HUB_CHANNEL = 'contact-centre';

/** The console's API as the agent named in the test's body would call it: with that agent's own token. */
function agentApi(path: string, body?: unknown, token = tokenOf((body as { agent?: string } | undefined)?.agent ?? 'Dana')) {
  return fetch(`${bot.url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}
const sentTo = (conversationId: string, mark: number) => bot.sent.slice(mark).filter((activity) => activity.conversationId === conversationId);

describe('handoff round trip through the agent console', () => {
  it('queues, relays both ways, and hands back into a topic the bot then continues', async () => {
    const customer = conversation(bot);
    await customer.say('Cannot Restore Backup');
    await customer.say('no');
    const asked = await customer.say('can I talk to a human please');
    expect(textOf(asked.replies)).toMatch(/agent|person|support team/i);

    const queue = (await (await agentApi('/api/agent/queue')).json()) as { conversations: { conversationId: string; status: string; topic?: string }[] };
    expect(queue.conversations).toContainEqual(expect.objectContaining({ conversationId: customer.id, status: 'queued', topic: 'cannot_restore' }));

    let mark = bot.sent.length;
    expect((await agentApi(`/api/agent/conversations/${caseId(customer.id)}/accept`, { agent: 'Dana' })).status).toBe(200);
    expect(textOf(sentTo(customer.id, mark))).toMatch(/Dana from the support team has joined/);

    mark = bot.sent.length;
    const relayed = await customer.say('it is an iPad backup going onto an iPhone');
    expect(relayed.replies).toHaveLength(0);
    const detail = (await (await agentApi(`/api/agent/conversations/${caseId(customer.id)}`)).json()) as { lines: { from: string; text: string }[] };
    expect(detail.lines.at(-1)).toMatchObject({ from: 'customer', text: 'it is an iPad backup going onto an iPhone' });

    mark = bot.sent.length;
    expect((await agentApi(`/api/agent/conversations/${caseId(customer.id)}/messages`, { agent: 'Dana', text: 'Thanks, checking that for you.' })).status).toBe(202);
    expect(sentTo(customer.id, mark).map((activity) => activity.body.text)).toEqual(['Thanks, checking that for you.']);

    mark = bot.sent.length;
    expect((await agentApi(`/api/agent/conversations/${caseId(customer.id)}/handback`, { agent: 'Dana', mode: 'topic', topic: 'slow_restore' })).status).toBe(200);
    // The customer hears that the person has left before the bot speaks again.
    expect(textOf(sentTo(customer.id, mark))).toMatch(/Dana from the support team has left the chat.*per gigabyte/s);

    const next = await customer.say('yes');
    expect(textOf(next.replies)).toMatch(/countr|region/i);
  });

  it("keeps the agent's part of the chat in the conversation's transcript, numbered with the rest", async () => {
    const customer = conversation(bot);
    await customer.say('I need a support agent');
    await agentApi(`/api/agent/conversations/${caseId(customer.id)}/accept`, { agent: 'Kim' });
    await customer.say('my backup is from an iPad');
    await agentApi(`/api/agent/conversations/${caseId(customer.id)}/messages`, { agent: 'Kim', text: 'An iPad backup restores onto an iPhone too.' });
    await agentApi(`/api/agent/conversations/${caseId(customer.id)}/handback`, { agent: 'Kim', mode: 'plain' });
    await customer.say('thanks');

    const lines = await storage.transcripts.read({ channelId: 'webchat', conversationId: customer.id });
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index));
    const said = lines.map((line) => [line.from, line.text]);
    const joined = said.findIndex(([from, text]) => from === 'bot' && /Kim from the support team has joined/.test(text ?? ''));
    expect(joined).toBeGreaterThan(0);
    expect(said.slice(joined + 1, joined + 4)).toEqual([
      ['customer', 'my backup is from an iPad'],
      ['agent', 'An iPad backup restores onto an iPhone too.'],
      ['bot', expect.stringMatching(/back|help/i)],
    ]);
    expect(said.at(-2)).toEqual(['customer', 'thanks']);
  });

  it('hands back at a chosen node of a tree', async () => {
    const customer = conversation(bot);
    await customer.say('I need a support agent');
    await agentApi(`/api/agent/conversations/${caseId(customer.id)}/accept`, { agent: 'Lee' });
    const mark = bot.sent.length;
    await agentApi(`/api/agent/conversations/${caseId(customer.id)}/handback`, { agent: 'Lee', mode: 'node', tree: 'cannot_restore', node: 'restart' });
    expect(textOf(sentTo(customer.id, mark))).toMatch(/restart/i);
    const next = await customer.say('still failing');
    expect(textOf(next.replies)).toMatch(/update/i);
  });

  it('never relays one customer to another', async () => {
    const first = conversation(bot);
    const second = conversation(bot);
    await first.say('talk to an agent');
    await second.say('talk to an agent');
    await agentApi(`/api/agent/conversations/${caseId(first.id)}/accept`, { agent: 'Ana' });
    await agentApi(`/api/agent/conversations/${caseId(second.id)}/accept`, { agent: 'Bo' });
    const mark = bot.sent.length;
    await first.say('message only for Ana');
    await agentApi(`/api/agent/conversations/${caseId(first.id)}/messages`, { agent: 'Ana', text: 'Reply only for the first customer' });
    expect(sentTo(second.id, mark)).toHaveLength(0);
    const secondCase = (await (await agentApi(`/api/agent/conversations/${caseId(second.id)}`)).json()) as { lines: { text: string }[] };
    expect(secondCase.lines.map((line) => line.text)).not.toContain('message only for Ana');
  });

  it('refuses an agent who has not accepted the conversation', async () => {
    const customer = conversation(bot);
    await customer.say('let me speak to a person');
    const response = await agentApi(`/api/agent/conversations/${caseId(customer.id)}/messages`, { agent: 'Eve', text: 'hi' });
    expect(response.status).toBe(409);
  });

  it('answers 404 for an unknown conversation and 400 for a bad body', async () => {
    expect((await agentApi('/api/agent/conversations/nope/accept', { agent: 'Dana' })).status).toBe(404);
    const customer = conversation(bot);
    await customer.say('a person please');
    await agentApi(`/api/agent/conversations/${caseId(customer.id)}/accept`, { agent: 'Dana' });
    expect((await agentApi(`/api/agent/conversations/${caseId(customer.id)}/handback`, { agent: 'Dana', mode: 'sideways' })).status).toBe(400);
    expect((await agentApi(`/api/agent/conversations/${caseId(customer.id)}/messages`, { agent: 'Dana', text: '   ' })).status).toBe(400);
  });

  it('answers 401 without a token or with a wrong one', async () => {
    expect((await agentApi('/api/agent/queue', undefined, '')).status).toBe(401);
    expect((await agentApi('/api/agent/queue', undefined, 'wrong-token-wrong-token')).status).toBe(401);
  });
});

describe('the handoff.initiate event', () => {
  it('carries the topic, the tree path with answers, the recogniser candidates and the transcript', async () => {
    const customer = conversation(bot, { channelId: HUB_CHANNEL });
    await customer.say('my iphone says Cannot Restore Backup');
    await customer.say('no');
    const { replies, activityId } = await customer.say('get me a person');
    const event = replies.find((activity) => activity.body.type === 'event');
    expect(event?.body).toMatchObject({
      name: 'handoff.initiate',
      replyToId: activityId,
      value: {
        reason: 'customer_asked',
        topic: 'cannot_restore',
        treePath: [{ tree: 'cannot_restore', node: 'intro', answer: 'No, still failing' }],
        // The fields contact-centre hubs read from Copilot Studio's generic handoff.
        va_LastTopic: 'cannot_restore',
        va_Topics: ['cannot_restore'],
        va_LastPhrases: 'get me a person',
        va_ConversationId: customer.id,
        va_AgentMessage: 'The customer asked to talk to a person.',
        va_BotName: 'Support Bot',
        va_Language: 'en-us',
      },
      attachments: [{ contentType: 'application/json', name: 'Transcript' }],
    });
    expect(event?.body.value.candidates[0]).toMatchObject({ intent: expect.any(String), confidence: expect.any(Number) });
    const lines = event?.body.attachments[0].content.activities.map((activity: { text: string }) => activity.text);
    expect(lines).toContain('my iphone says Cannot Restore Backup');
    expect(lines).toContain('get me a person');
  });
});
