import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, LEVEL, type LogLine } from '../support/logs.js';
import { caseId, conversation, SERVICE_URL, startBot, type RunningBot } from '../support/botServer.js';


/**
 * The logs of whole conversations, captured through the application's own logger: at info and
 * above they carry ids, never what customers wrote and never a secret.
 */
const AGENT_TOKEN = 'agent-token-never-logged-0123456789';
const APP_PASSWORD = 'app-password-never-logged';
/** Words only the customers use, so any log line holding them holds message text. */
const CUSTOMER_WORDS = ['Zanzibar', 'quokka', 'Thistlewood'];

const atInfo = (lines: readonly LogLine[]) => lines.filter((line) => line.level >= LEVEL.info);

describe('logs of a conversation', () => {
  const logs = captureLogs('debug');
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot({ AGENT_TOKENS: `Dana=${AGENT_TOKEN}` }, { logger: logs.logger });
    const agentApi = (path: string, body?: unknown) =>
      fetch(`${bot.url}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${AGENT_TOKEN}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const chat = conversation(bot);
    await chat.join();
    await chat.say('my restore is taking forever in Zanzibar');
    await chat.say('no, the quokka ate my charger');
    await chat.say('can I talk to a person please');
    await agentApi('/api/agent/queue');
    await agentApi(`/api/agent/conversations/${caseId(chat.id)}/accept`, { agent: 'Dana' });
    await chat.say('my name is Ada Thistlewood');
    await agentApi(`/api/agent/conversations/${caseId(chat.id)}/messages`, { agent: 'Dana', text: 'Hello Ada' });
  });
  afterAll(async () => {
    await bot.close();
  });

  it('holds no customer text at any level, the recognition explained without their words', () => {
    const text = JSON.stringify(atInfo(logs.lines));
    for (const word of CUSTOMER_WORDS) expect(text).not.toContain(word);
    // Not at debug level either: the recognition line explains the reading (candidates, the KB words
    // matched) without the customer's own words, which logs would keep at rest.
    const debug = logs.lines.filter((line) => line.level === LEVEL.debug && line.msg === 'recognition');
    expect(debug.length).toBeGreaterThan(0);
    for (const word of CUSTOMER_WORDS) expect(JSON.stringify(debug).toLowerCase()).not.toContain(word.toLowerCase());
  });

  it('holds no agent token', () => {
    expect(logs.raw.join('')).not.toContain(AGENT_TOKEN);
  });

  it('ties every turn line to its conversation and activity', () => {
    const turns = logs.lines.filter((line) => line.msg === 'turn');
    expect(turns.length).toBeGreaterThanOrEqual(3);
    for (const line of turns) {
      expect(line.conversationId).toEqual(expect.any(String));
      expect(line.activityId).toEqual(expect.any(String));
    }
  });

  it('writes JSON lines only', () => {
    for (const line of logs.raw) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('logs of refused requests', () => {
  const logs = captureLogs('debug');
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot({ MicrosoftAppId: '00000000-0000-0000-0000-0000000000aa', MicrosoftAppPassword: APP_PASSWORD }, { logger: logs.logger });
  });
  afterAll(async () => {
    await bot.close();
  });

  it('logs a refused token with its code and ids, without the token, the password or the text', async () => {
    const forged = 'eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.';
    const response = await bot.post(
      { type: 'message', id: 'forged-1', channelId: 'webchat', serviceUrl: SERVICE_URL, conversation: { id: 'forged' }, from: { id: 'u' }, text: 'Zanzibar' },
      { authorization: `Bearer ${forged}` },
    );
    expect(response.status).toBe(401);
    expect(logs.lines).toContainEqual(expect.objectContaining({ level: LEVEL.warn, code: 'ERR_AUTH_TOKEN', conversationId: 'forged', activityId: 'forged-1' }));
    const text = logs.raw.join('');
    for (const secret of [forged, APP_PASSWORD, 'Zanzibar']) expect(text).not.toContain(secret);
  });
});
