import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { agentOnline, caseId, conversation, jsonOf, startBot, textOf, type RunningBot } from '../support/botServer.js';

/**
 * Presence and left messages through the real server: the console's heartbeats decide whether a
 * customer asking for a person is queued or offered to leave a message, and an agent who comes
 * online later answers it (Teams: proactively; web chat: kept in the conversation's history).
 */
const TENANT = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
const TEAMS_SERVICE_URL = `https://smba.trafficmanager.net/amer/${TENANT}/`;
const tokenOf = (agent: string): string => `presence-token-of-${agent}-0123456789`;

let bot: RunningBot;
let clock: number;
const later = (seconds: number) => {
  clock += seconds * 1000;
};
beforeEach(async () => {
  clock = Date.parse('2026-12-01T10:00:00Z');
  bot = await startBot({ AGENT_TOKENS: `Dana=${tokenOf('Dana')},Bo=${tokenOf('Bo')}` }, { now: () => clock, serviceUrls: [TEAMS_SERVICE_URL] });
});
afterEach(async () => {
  await bot.close();
});

const agentApi = (agent: string, route: string, body?: unknown) =>
  fetch(`${bot.url}${route}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${tokenOf(agent)}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const online = async (agent = 'Dana') => (await jsonOf(await agentApi(agent, '/api/agent/online'))).agents;

describe('who is online', () => {
  it("counts an agent online from their console's heartbeat, and offline a minute after the last one", async () => {
    expect(await online()).toEqual([]);
    expect((await agentApi('Dana', '/api/agent/presence', {})).status).toBe(200);
    later(59);
    expect(await online('Bo')).toEqual([{ name: 'Dana', status: 'available', lastSeenAt: '2026-12-01T10:00:00.000Z' }]);
    later(2);
    expect(await online('Bo')).toEqual([]);
  });

  it('lists an agent who is away, and takes them off at once when their console closes', async () => {
    await agentApi('Bo', '/api/agent/presence', { status: 'away' });
    expect(await online()).toEqual([expect.objectContaining({ name: 'Bo', status: 'away' })]);
    await agentApi('Bo', '/api/agent/presence', { status: 'offline' });
    expect(await online()).toEqual([]);
  });

  it("marks only the token's owner: a body naming someone else or another status is refused", async () => {
    const impersonating = await agentApi('Bo', '/api/agent/presence', { status: 'available', name: 'Dana' });
    expect(impersonating.status).toBe(400);
    expect((await jsonOf(impersonating)).error.code).toBe('ERR_REQUEST_INVALID');
    expect((await agentApi('Bo', '/api/agent/presence', { status: 'dancing' })).status).toBe(400);
    const anonymous = await fetch(`${bot.url}/api/agent/presence`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    expect((await fetch(`${bot.url}/api/agent/online`)).status).toBe(401);
    expect(await online()).toEqual([]);
  });

  it("serves the console's presence script and its heartbeat worker, which the console page loads", async () => {
    const script = await fetch(`${bot.url}/agent/presence.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('/api/agent/presence');
    const worker = await fetch(`${bot.url}/agent/presence-worker.js`);
    expect(worker.status).toBe(200);
    expect(await worker.text()).toContain("postMessage('beat')");
    expect(await (await fetch(`${bot.url}/agent`)).text()).toMatch(/<script src="\/agent\/presence\.js"><\/script>/);
  });
});

describe('a customer asking for a person', () => {
  it('is queued with their place while an agent is online', async () => {
    await agentOnline(bot, tokenOf('Dana'));
    const first = conversation(bot);
    const second = conversation(bot);
    await first.say('I want to talk to a person');
    const { replies } = await second.say('I want to talk to a person');
    expect(textOf(replies)).toMatch(/number 2 in the queue/);
    expect(textOf(replies)).not.toMatch(/leave them a message/);
  });

  it('is told when the last agent closes the console while they wait, and what they write next is kept as a message', async () => {
    await agentOnline(bot, tokenOf('Dana'));
    const chat = conversation(bot);
    expect(textOf((await chat.say('I want to talk to a person')).replies)).toMatch(/number 1 in the queue/);
    await agentOnline(bot, tokenOf('Dana'), 'offline');
    expect(textOf((await chat.say('hello? anyone there?')).replies)).toMatch(/the support agents have just gone offline/i);
    const { conversations } = await jsonOf(await agentApi('Bo', '/api/agent/queue'));
    expect(conversations).toEqual([expect.objectContaining({ conversationId: chat.id, status: 'queued', leftMessage: expect.objectContaining({ text: 'hello? anyone there?', parts: 1 }) })]);
    expect(textOf((await chat.say('never mind')).replies)).toMatch(/cancelled the request/);
    expect((await jsonOf(await agentApi('Bo', '/api/agent/queue'))).conversations).toEqual([expect.objectContaining({ conversationId: chat.id, status: 'closed' })]);
  });

  it('is told plainly that nobody is online, and is never queued without a message', async () => {
    const chat = conversation(bot);
    const { replies } = await chat.say('I want to talk to a person');
    expect(textOf(replies)).toMatch(/nobody from the support team is online right now/i);
    expect(textOf(replies)).not.toMatch(/in the queue/);
    expect((await jsonOf(await agentApi('Dana', '/api/agent/queue'))).conversations).toEqual([]);
  });

  it('in Teams, leaves a message that an agent who comes online later answers, sent to the chat proactively', async () => {
    const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'teams', 'personal-message.json'), 'utf8'));
    const chat = conversation(bot, { channelId: 'msteams', id: fixture.conversation.id, serviceUrl: TEAMS_SERVICE_URL, extra: { conversation: fixture.conversation, channelData: fixture.channelData, recipient: fixture.recipient } });
    expect(textOf((await chat.say('talk to a human')).replies)).toMatch(/nobody from the support team is online/i);
    expect(textOf((await chat.say('My iPhone 13 restore stops at "Cannot Restore Backup", please help')).replies)).toMatch(/your message is with the support team/i);
    expect(textOf((await chat.say('hello? anyone there?')).replies)).toMatch(/added that to your message/i);

    later(3 * 3600);
    await agentOnline(bot, tokenOf('Dana'));
    const id = encodeURIComponent(`msteams|${chat.id}`);
    const { conversations } = await jsonOf(await agentApi('Dana', '/api/agent/queue'));
    expect(conversations).toEqual([
      expect.objectContaining({
        conversationId: chat.id,
        status: 'queued',
        leftMessage: { text: 'My iPhone 13 restore stops at "Cannot Restore Backup", please help\nhello? anyone there?', at: '2026-12-01T10:00:00.000Z', parts: 2 },
      }),
    ]);
    const mark = bot.sent.length;
    expect((await agentApi('Dana', `/api/agent/conversations/${id}/accept`, {})).status).toBe(200);
    expect((await agentApi('Dana', `/api/agent/conversations/${id}/messages`, { text: 'Hi, Dana here. Is the iPhone on Wi-Fi and charging?' })).status).toBe(202);

    const proactive = bot.sent.slice(mark);
    expect(proactive.every((activity) => activity.serviceUrl === TEAMS_SERVICE_URL && activity.conversationId === chat.id)).toBe(true);
    expect(textOf(proactive)).toMatch(/Dana from the support team has joined/);
    expect(textOf(proactive)).toContain('**Dana:** Hi, Dana here. Is the iPhone on Wi-Fi and charging?');
  });

  it('in the web chat, leaves a message whose answer is in the conversation when the customer comes back', async () => {
    const session = await jsonOf(await fetch(`${bot.url}/api/directline/token`, { method: 'POST' }));
    const headers = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
    const base = `${bot.url}/v3/directline/conversations/${session.conversationId}`;
    await fetch(`${bot.url}/v3/directline/conversations`, { method: 'POST', headers: headers(session.token), body: '{}' });
    for (const text of ['can I talk to a human please', 'My restore from iCloud keeps failing at the same point']) {
      expect((await fetch(`${base}/activities`, { method: 'POST', headers: headers(session.token), body: JSON.stringify({ type: 'message', text }) })).status).toBe(200);
    }
    // The customer closes the page; twenty minutes later an agent opens the console and answers.
    later(20 * 60);
    await agentOnline(bot, tokenOf('Bo'));
    expect((await agentApi('Bo', `/api/agent/conversations/${caseId(session.conversationId)}/accept`, {})).status).toBe(200);
    expect((await agentApi('Bo', `/api/agent/conversations/${caseId(session.conversationId)}/messages`, { text: 'Hello, Bo here: which iOS version is the new iPhone on?' })).status).toBe(202);

    // Back on the page: the kept token is renewed, and the conversation's stream replays its history.
    const renewed = await jsonOf(await fetch(`${bot.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: headers(session.token) }));
    expect(renewed.conversationId).toBe(session.conversationId);
    const resumed = await jsonOf(await fetch(`${base}?watermark=`, { headers: headers(renewed.token) }));
    const ws = new WebSocket(resumed.streamUrl);
    const shown: any[] = [];
    const answered = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        shown.push(...JSON.parse(String(data)).activities);
        if (shown.some((activity) => activity.from?.name === 'Bo')) resolve();
      }),
    );
    await answered;
    ws.close();
    const texts = shown.filter((activity) => activity.type === 'message').map((activity) => `${activity.from.name ?? activity.from.id}: ${activity.text}`);
    expect(texts.join('\n')).toMatch(/nobody from the support team is online/i);
    expect(texts.join('\n')).toMatch(/your message is with the support team/i);
    expect(texts.join('\n')).toMatch(/Bo from the support team has joined/);
    expect(texts.at(-1)).toBe('Bo: Hello, Bo here: which iOS version is the new iPhone on?');
  });
});
