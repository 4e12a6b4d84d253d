import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { agentOnline, caseId, jsonOf, startBot, type RunningBot } from '../support/botServer.js';
import { captureLogs } from '../support/logs.js';

/**
 * The Web Chat page's way back into its conversation after the token expired, through the real
 * server: the resume key handed out with the first token trades, once, for a fresh token of the
 * same conversation, whose history holds what an agent answered meanwhile.
 */
const TTL_SECONDS = 1800;
const AGENT_TOKEN = 'resume-agent-token-0123456789';
const HOUR_MS = 3_600_000;

let bot: RunningBot;
let clock: number;
let logs: ReturnType<typeof captureLogs>;
afterEach(async () => {
  await bot?.close();
});

async function start(env: Record<string, string> = {}): Promise<void> {
  clock = Date.parse('2026-12-01T17:00:00Z');
  logs = captureLogs('debug');
  bot = await startBot({ AGENT_TOKENS: `Bo=${AGENT_TOKEN}`, DIRECT_LINE_TOKEN_TTL_SECONDS: String(TTL_SECONDS), ...env }, { now: () => clock, logger: logs.logger });
}

const headers = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
const agentApi = (route: string, body: unknown) =>
  fetch(`${bot.url}${route}`, { method: 'POST', headers: headers(AGENT_TOKEN), body: JSON.stringify(body) });
const resume = (body: unknown) =>
  fetch(`${bot.url}/api/directline/resume`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** What the page does: a token (and resume key), then Web Chat starts the conversation and the customer writes. */
async function leaveAMessage(): Promise<{ token: string; conversationId: string; userId: string; resumeKey: string }> {
  const session = await jsonOf(await fetch(`${bot.url}/api/directline/token`, { method: 'POST' }));
  await fetch(`${bot.url}/v3/directline/conversations`, { method: 'POST', headers: headers(session.token), body: '{}' });
  for (const text of ['can I talk to a human please', 'My restore from iCloud keeps failing at the same point']) {
    const posted = await fetch(`${bot.url}/v3/directline/conversations/${session.conversationId}/activities`, { method: 'POST', headers: headers(session.token), body: JSON.stringify({ type: 'message', text }) });
    expect(posted.status).toBe(200);
  }
  return session;
}

/** Everything the stream replays from the start, once a message from `until` is among it. */
async function replayed(streamUrl: string, until: string): Promise<string[]> {
  const ws = new WebSocket(streamUrl);
  const shown: any[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data) => {
      shown.push(...JSON.parse(String(data)).activities);
      if (shown.some((activity) => activity.from?.name === until)) resolve();
    });
  });
  ws.close();
  return shown.filter((activity) => activity.type === 'message').map((activity) => `${activity.from.name ?? activity.from.role}: ${activity.text}`);
}

describe('resuming a web chat after its token expired', () => {
  it("shows the customer who comes back the next day the agent's answer, in the same conversation", async () => {
    await start();
    const session = await leaveAMessage();
    // The customer closes the page at 17:00; Bo answers at 9:00 the next morning; the customer looks at 19:00.
    clock += 16 * HOUR_MS;
    await agentOnline(bot, AGENT_TOKEN);
    expect((await agentApi(`/api/agent/conversations/${caseId(session.conversationId)}/accept`, {})).status).toBe(200);
    expect((await agentApi(`/api/agent/conversations/${caseId(session.conversationId)}/messages`, { text: 'Hello, Bo here: is the phone on Wi-Fi and charging?' })).status).toBe(202);
    clock += 10 * HOUR_MS;

    const refresh = await fetch(`${bot.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: headers(session.token) });
    expect(refresh.status).toBe(403);
    const resumed = await resume({ resumeKey: session.resumeKey });
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get('cache-control')).toBe('no-store');
    const fresh = await jsonOf(resumed);
    expect(fresh).toMatchObject({ conversationId: session.conversationId, userId: session.userId, expires_in: TTL_SECONDS, domain: '/v3/directline' });
    expect(fresh.resumeKey).not.toBe(session.resumeKey);

    const reconnected = await fetch(`${bot.url}/v3/directline/conversations/${session.conversationId}?watermark=`, { headers: headers(fresh.token) });
    expect(reconnected.status).toBe(200);
    const texts = await replayed((await jsonOf(reconnected)).streamUrl, 'Bo');
    expect(texts.join('\n')).toMatch(/your message is with the support team/i);
    expect(texts.at(-1)).toBe('Bo: Hello, Bo here: is the phone on Wi-Fi and charging?');
  });

  it('refuses a used key, a wrong key and a key for no conversation with one answer, and never logs a key', async () => {
    await start();
    const session = await leaveAMessage();
    clock += 2 * TTL_SECONDS * 1000;
    const first = await jsonOf(await resume({ resumeKey: session.resumeKey }));
    const [conversationId, secret] = session.resumeKey.split('.') as [string, string];
    const refusals = await Promise.all(
      [session.resumeKey, `${conversationId}.${'A'.repeat(43)}`, `${'B'.repeat(22)}.${secret}`].map(async (resumeKey) => {
        const response = await resume({ resumeKey });
        return { status: response.status, body: await jsonOf(response) };
      }),
    );
    expect(new Set(refusals.map((refusal) => JSON.stringify(refusal)))).toEqual(
      new Set([JSON.stringify({ status: 403, body: { error: { code: 'ERR_DIRECTLINE_RESUME', message: 'this chat can no longer be resumed; start a new one' } } })]),
    );
    const logged = logs.raw.join('');
    for (const key of [session.resumeKey, first.resumeKey]) expect(logged).not.toContain(key.split('.')[1]);
  });

  it('refuses a body that is not one short key before looking anything up', async () => {
    await start();
    for (const body of [{}, { resumeKey: 42 }, { resumeKey: 'x'.repeat(201) }, { resumeKey: 'a.b', extra: 1 }]) {
      const response = await resume(body);
      expect(response.status).toBe(400);
      expect((await jsonOf(response)).error.code).toBe('ERR_REQUEST_INVALID');
    }
    expect((await resume('x'.repeat(2_000_000))).status).toBe(413);
  });

  it('hands the page no key when WEB_CHAT_RESUME_DAYS is 0, and forgets the conversation with its token', async () => {
    await start({ WEB_CHAT_RESUME_DAYS: '0' });
    const session = await leaveAMessage();
    expect(session).not.toHaveProperty('resumeKey');
    clock += 2 * TTL_SECONDS * 1000;
    await fetch(`${bot.url}/api/directline/token`, { method: 'POST' });
    await expect.poll(() => bot.assembly.webChat.mode === 'embedded' && bot.assembly.webChat.directLine.read(session.conversationId, 0).then(() => 'kept', () => 'forgotten')).toBe('forgotten');
  });
  it("refuses every key when the page talks to Azure's Direct Line, which hands out none", async () => {
    await start({ DIRECT_LINE_SECRET: 'azure-direct-line-secret-for-tests-0123456789' });
    const response = await resume({ resumeKey: `${'C'.repeat(22)}.${'D'.repeat(43)}` });
    expect(response.status).toBe(403);
    expect((await jsonOf(response)).error.code).toBe('ERR_DIRECTLINE_RESUME');
  });
});
