import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { agentOnline, caseId, jsonOf, startBot, type RunningBot } from '../support/botServer.js';

/** A web chat customer on the embedded Direct Line handed to a person through the agent console, and back. */
const TOKEN = 'agent-token-for-tests-0123456789';
let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({ AGENT_TOKENS: `Dana=${TOKEN}` });
});
// Dana's console is open: the customer is queued, not offered to leave a message.
beforeEach(() => agentOnline(bot, TOKEN));
afterAll(async () => {
  await bot.close();
});

const agentApi = (path: string, body: unknown) =>
  fetch(`${bot.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('a web chat handed to a person', () => {
  it("shows the customer the agent's messages and the hand-back, in process and without any handoff internals", async () => {
    const session = await jsonOf(await fetch(`${bot.url}/api/directline/token`, { method: 'POST' }));
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${session.token}` };
    const started = await jsonOf(await fetch(`${bot.url}/v3/directline/conversations`, { method: 'POST', headers, body: '{}' }));
    const ws = new WebSocket(started.streamUrl);
    const pushed: any[] = [];
    ws.on('message', (data) => pushed.push(...JSON.parse(String(data)).activities));
    await new Promise((resolve) => ws.once('open', resolve));
    const post = (text: string) => fetch(`${bot.url}/v3/directline/conversations/${session.conversationId}/activities`, { method: 'POST', headers, body: JSON.stringify({ type: 'message', text }) });

    expect((await post('can I talk to a human please')).status).toBe(200);
    expect((await agentApi(`/api/agent/conversations/${caseId(session.conversationId)}/accept`, { agent: 'Dana' })).status).toBe(200);
    expect((await agentApi(`/api/agent/conversations/${caseId(session.conversationId)}/messages`, { agent: 'Dana', text: 'Thanks, checking that for you.' })).status).toBe(202);
    expect((await agentApi(`/api/agent/conversations/${caseId(session.conversationId)}/handback`, { agent: 'Dana', mode: 'topic', topic: 'slow_restore' })).status).toBe(200);
    const polled = await jsonOf(await fetch(`${bot.url}/v3/directline/conversations/${session.conversationId}/activities`, { headers }));
    ws.close();

    const texts = polled.activities.filter((activity: any) => activity.type === 'message').map((activity: any) => String(activity.text ?? '')).join('\n');
    expect(texts).toMatch(/Dana from the support team has joined/);
    expect(texts).toContain('Thanks, checking that for you.');
    // The agent's words come from the agent, by name; everything else from the bot.
    const agentLine = polled.activities.find((activity: any) => activity.text === 'Thanks, checking that for you.');
    expect(agentLine.from).toMatchObject({ id: 'agent-dana', name: 'Dana', role: 'bot' });
    expect(agentLine.channelData).toEqual({ speaker: 'Dana' });
    expect(polled.activities.filter((activity: any) => activity.type === 'message' && activity.from.role === 'bot' && activity !== agentLine).every((activity: any) => activity.from.id === 'restore-support-bot')).toBe(true);
    expect(texts).toMatch(/per gigabyte/);
    expect(pushed.map((activity) => activity.id)).toEqual(polled.activities.map((activity: any) => activity.id));
    expect(JSON.stringify(polled)).not.toMatch(/handoff|relatesTo|serviceUrl|embedded-directline/i);
  });
});
