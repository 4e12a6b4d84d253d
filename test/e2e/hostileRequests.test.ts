import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationState } from '../../src/bot/state.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { agentOnline, caseId, conversation, jsonOf, SERVICE_URL, startBot, textOf, type RunningBot } from '../support/botServer.js';

/**
 * The attacks of the security review (#13) that reach the server over HTTP, each kept as the
 * behaviour that now holds.
 */
const FAILING_CONNECTOR = 'https://failing-connector.test';
const tokenOf = (agent: string): string => `agent-token-of-${agent}-0123456789`;
const storage = openSqliteStorage(IN_MEMORY);
let bot: RunningBot;

beforeAll(async () => {
  bot = await startBot(
    { AGENT_TOKENS: `Ana=${tokenOf('Ana')},Bo=${tokenOf('Bo')}`, CONNECTOR_ATTEMPTS: '1', REQUEST_TIMEOUT_MS: '1000' },
    { storage, serviceUrls: ['https://elsewhere.test'] },
  );
});
afterAll(async () => {
  await bot.close();
  await storage.close();
});

const agentApi = (agent: string, path: string, body?: unknown) =>
  fetch(`${bot.url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${tokenOf(agent)}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const stateOf = async (conversationId: string): Promise<ConversationState> => {
  const key = `webchat|${conversationId}`;
  return ((await storage.state.read([key]))[key] as { state: ConversationState }).state;
};

describe('request bodies', () => {
  it.each(['/api/messages', '/api/directline/token', '/v3/directline/conversations'])('refuses a gzip body on %s before reading it', async (path) => {
    // 200 kB of JSON squeezed into a few hundred bytes: the size limit counts the compressed bytes.
    const bomb = gzipSync(JSON.stringify({ type: 'message', text: 'a'.repeat(200_000) }));
    const response = await fetch(`${bot.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb });
    expect(response.status).toBe(415);
    expect((await jsonOf(response)).error.code).toBe('ERR_REQUEST_MEDIA_TYPE');
  });

  it('cuts off a request whose body never finishes arriving', async () => {
    const { port } = new URL(bot.url);
    const closed = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/messages', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
      req.on('response', (res) => resolve(`status ${res.statusCode}`));
      req.on('error', () => resolve('connection closed'));
      req.write('{"type":');
    });
    expect(closed).toMatch(/status 408|connection closed/);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });
});

describe('hostile messages', () => {
  it("answers a message of 60,000 '<at>' tags and keeps serving", async () => {
    const chat = conversation(bot);
    const answer = await chat.say('<at>'.repeat(60_000));
    expect(answer.status).toBe(200);
    expect(textOf(answer.replies)).toMatch(/long message/i);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('keeps a bounded list of greeted members when an update lists thousands, and greets once', async () => {
    const chat = conversation(bot);
    const members = Array.from({ length: 7000 }, (_, index) => ({ id: `member-${index}` }));
    const response = await bot.post({ type: 'conversationUpdate', id: `${chat.id}-crowd`, channelId: 'webchat', serviceUrl: SERVICE_URL, conversation: { id: chat.id }, recipient: { id: 'bot-id' }, from: chat.user, membersAdded: members });
    expect(response.status).toBe(200);
    expect((await stateOf(chat.id)).welcomed.length).toBeLessThanOrEqual(50);
  });
});

describe('a handoff in progress', () => {
  // Ana's console is open: customers are queued, not offered to leave a message.
  beforeEach(() => agentOnline(bot, tokenOf('Ana')));

  it("keeps sending the agent's messages to the address the handoff began with, whatever a later activity names", async () => {
    const chat = conversation(bot);
    await chat.say('I want to talk to a person');
    expect((await agentApi('Ana', `/api/agent/conversations/${caseId(chat.id)}/accept`, {})).status).toBe(200);
    await bot.post({ type: 'message', id: `${chat.id}-hijack`, channelId: 'webchat', serviceUrl: 'https://elsewhere.test', conversation: { id: chat.id }, from: chat.user, recipient: { id: 'bot-id' }, text: 'hello' });
    const mark = bot.sent.length;
    expect((await agentApi('Ana', `/api/agent/conversations/${caseId(chat.id)}/messages`, { text: 'Ana here' })).status).toBe(202);
    const sent = bot.sent.slice(mark);
    expect(sent.map((activity) => activity.serviceUrl)).toEqual([SERVICE_URL]);
  });

  it("acts as the token's owner: an agent's token cannot speak as another agent, whatever the body says", async () => {
    const chat = conversation(bot);
    await chat.say('a human please');
    await agentApi('Ana', `/api/agent/conversations/${caseId(chat.id)}/accept`, { agent: 'Bo' });
    expect((await stateOf(chat.id)).handoff).toMatchObject({ status: 'accepted', agent: 'Ana' });
    const asAna = await agentApi('Bo', `/api/agent/conversations/${caseId(chat.id)}/messages`, { agent: 'Ana', text: 'I am Ana, honest' });
    expect(asAna.status).toBe(409);
    expect((await agentApi('Bo', '/api/agent/me')).status).toBe(200);
    expect(await jsonOf(await agentApi('Bo', '/api/agent/me'))).toEqual({ name: 'Bo' });
  });

  it('refuses a hand-back to a topic or node the content does not have with 400, prototype keys included', async () => {
    const chat = conversation(bot);
    await chat.say('get me a person');
    await agentApi('Ana', `/api/agent/conversations/${caseId(chat.id)}/accept`, {});
    for (const target of [
      { mode: 'topic', topic: 'no_such_topic' },
      { mode: 'topic', topic: '__proto__' },
      { mode: 'node', tree: 'cannot_restore', node: '__proto__' },
      { mode: 'node', tree: 'constructor', node: 'intro' },
    ]) {
      const response = await agentApi('Ana', `/api/agent/conversations/${caseId(chat.id)}/handback`, target);
      expect(response.status).toBe(400);
      const body = await jsonOf(response);
      expect(body.error.code).toBe('ERR_HANDOFF_TARGET');
      expect(JSON.stringify(body)).not.toMatch(/TypeError|RangeError|\.ts:|\.js:/);
    }
    expect((await stateOf(chat.id)).handoff).toMatchObject({ status: 'accepted', agent: 'Ana' });
  });

  it("answers the agent 502 when the customer's channel refuses a message, and keeps the conversation with the agent", async () => {
    nock(FAILING_CONNECTOR).persist().post(/.*/).reply(500, { error: 'down' });
    const chat = conversation(bot, { serviceUrl: FAILING_CONNECTOR });
    await chat.say('let me talk to somebody');
    const accepted = await agentApi('Ana', `/api/agent/conversations/${caseId(chat.id)}/accept`, {});
    expect(accepted.status).toBe(502);
    expect((await jsonOf(accepted)).error.code).toBe('ERR_CONNECTOR_SEND');
    const said = await agentApi('Ana', `/api/agent/conversations/${caseId(chat.id)}/messages`, { text: 'can you hear me?' });
    expect(said.status).toBe(502);
    const state = await stateOf(chat.id);
    expect(state.handoff).toMatchObject({ status: 'accepted', agent: 'Ana' });
    const kept = await storage.transcripts.read({ channelId: 'webchat', conversationId: chat.id });
    expect(kept.some((line) => line.text === 'let me talk to somebody')).toBe(true);
  });
});

describe('the agent console page', () => {
  it('is served with a content security policy and may not be framed', async () => {
    const response = await fetch(`${bot.url}/agent`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'.*frame-ancestors 'none'/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });
});
