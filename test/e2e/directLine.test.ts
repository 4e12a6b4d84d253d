import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { jsonOf, startBot, type RunningBot } from '../support/botServer.js';

const TTL_SECONDS = 1800;
let now = Date.parse('2025-01-06T09:00:00Z');
let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({ DIRECT_LINE_TOKEN_TTL_SECONDS: String(TTL_SECONDS) }, { now: () => now });
});
afterAll(async () => {
  await bot.close();
});

interface Session {
  token: string;
  conversationId: string;
  userId: string;
}

/** What the page does first: a token for a new conversation, then starting it as Web Chat does. */
async function startConversation(): Promise<Session & { streamUrl: string }> {
  const session = (await jsonOf(await fetch(`${bot.url}/api/directline/token`, { method: 'POST' }))) as Session;
  const response = await directLine(session.token, 'POST', '/conversations', { user: { id: session.userId } });
  expect(response.status).toBe(201);
  return { ...session, ...(await jsonOf(response)) };
}

function directLine(token: string | undefined, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
  return fetch(`${bot.url}/v3/directline${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

async function poll(session: Session, watermark = ''): Promise<{ activities: any[]; watermark: string }> {
  const response = await directLine(session.token, 'GET', `/conversations/${session.conversationId}/activities?watermark=${watermark}`);
  expect(response.status).toBe(200);
  return jsonOf(response);
}

const say = (session: Session, text: string) =>
  directLine(session.token, 'POST', `/conversations/${session.conversationId}/activities`, { type: 'message', text, from: { id: session.userId, name: 'You' }, channelData: { clientActivityID: `c-${text}` } });

/** A stream and every ActivitySet it has pushed so far. */
async function openStream(url: string) {
  const ws = new WebSocket(url);
  const sets: { activities: any[]; watermark: string }[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  ws.on('message', (data) => {
    sets.push(JSON.parse(String(data)));
    for (const wait of waiting.filter((entry) => sets.length >= entry.count)) wait.resolve();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    sets,
    until: (count: number) => (sets.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ count, resolve }))),
    close: () => ws.close(),
  };
}

const streamRefusal = (url: string) =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.on('open', () => resolve(101));
    ws.on('error', () => undefined);
  });

const textsOf = (activities: readonly any[]) => activities.filter((activity) => activity.type === 'message').map((activity) => activity.text as string);

describe('the embedded Direct Line over HTTP', () => {
  it('welcomes the customer when the page starts a conversation, through the bot', async () => {
    const session = await startConversation();
    const { activities, watermark } = await poll(session);
    expect(textsOf(activities).join('\n')).toMatch(/Backup & Restore assistant/);
    expect(activities[0].suggestedActions.actions.length).toBeGreaterThan(1);
    expect(activities[0]).toMatchObject({ from: { role: 'bot' }, recipient: { id: session.userId } });
    expect(watermark).toBe(String(activities.length));
  });

  it('echoes a message, shows the bot typing, then answers, each with a higher watermark', async () => {
    const session = await startConversation();
    const { watermark } = await poll(session);
    const posted = await say(session, 'my restore is taking forever');
    expect(posted.status).toBe(200);
    const { id } = await jsonOf(posted);
    const next = await poll(session, watermark);
    const [echo, typing, ...replies] = next.activities;
    expect(echo).toMatchObject({ id, type: 'message', from: { id: session.userId, role: 'user' }, channelData: { clientActivityID: 'c-my restore is taking forever' } });
    expect(typing).toMatchObject({ type: 'typing', from: { role: 'bot' } });
    expect(textsOf(replies).join('\n')).toMatch(/1 to 4 hours per gigabyte/);
    expect(Number(next.watermark)).toBe(Number(watermark) + next.activities.length);
  });

  it('pushes activities over the WebSocket stream, after the watermark Web Chat already has', async () => {
    const session = await startConversation();
    const { watermark } = await poll(session);
    const stream = await openStream(`${session.streamUrl}&watermark=${watermark}`);
    await say(session, 'my restore is taking forever');
    await stream.until(3);
    stream.close();
    const pushed = stream.sets.flatMap((set) => set.activities);
    expect(pushed[0].text).toBe('my restore is taking forever');
    expect(pushed[1].type).toBe('typing');
    expect(textsOf(pushed).join('\n')).toMatch(/1 to 4 hours per gigabyte/);
    expect(stream.sets.at(-1)!.watermark).toBe(String(Number(watermark) + pushed.length));
  });

  it('sends a new stream the whole conversation when its URL has no watermark', async () => {
    const session = await startConversation();
    const stream = await openStream(session.streamUrl);
    await stream.until(1);
    stream.close();
    expect(textsOf(stream.sets[0]!.activities).join('\n')).toMatch(/Backup & Restore assistant/);
  });

  it('never shows one conversation the activities of another', async () => {
    const a = await startConversation();
    const b = await startConversation();
    const streamB = await openStream(`${b.streamUrl}&watermark=${(await poll(b)).watermark}`);
    await say(a, 'my restore is taking forever');
    await say(b, 'thanks');
    await streamB.until(3);
    streamB.close();
    const seenByB = [...(await poll(b)).activities, ...streamB.sets.flatMap((set) => set.activities)];
    expect(seenByB.every((activity) => activity.conversation.id === b.conversationId)).toBe(true);
    expect(JSON.stringify(seenByB)).not.toContain(a.conversationId);
    expect(textsOf(seenByB).join('\n')).not.toMatch(/taking forever|hours per gigabyte/);
    expect(JSON.stringify(await poll(a))).not.toContain(b.conversationId);
  });

  it('answers 404 for a conversation that does not exist', async () => {
    const session = await startConversation();
    for (const response of [
      await directLine(session.token, 'GET', '/conversations/no-such-conversation/activities'),
      await directLine(session.token, 'POST', '/conversations/no-such-conversation/activities', { type: 'message', text: 'hi' }),
      await directLine(session.token, 'GET', '/conversations/no-such-conversation'),
    ]) {
      expect(response.status).toBe(404);
      expect((await jsonOf(response)).error.code).toBe('ERR_DIRECTLINE_NOT_FOUND');
    }
    expect(await streamRefusal(session.streamUrl.replace(session.conversationId, 'no-such-conversation'))).toBe(404);
  });

  it.each([
    ['malformed JSON', '{"type": "message",'],
    ['an array', [{ type: 'message' }]],
    ['an activity without a type', { text: 'hi' }],
    ['a type that is not text', { type: 42 }],
    ['text that is not text', { type: 'message', text: { html: '<b>hi</b>' } }],
  ])('answers 400 with a short JSON error for %s', async (_name, body) => {
    const session = await startConversation();
    const response = await directLine(session.token, 'POST', `/conversations/${session.conversationId}/activities`, body);
    expect(response.status).toBe(400);
    const error = (await jsonOf(response)).error;
    expect(typeof error.message).toBe('string');
    expect(error.message.length).toBeLessThan(200);
    expect(JSON.stringify(error)).not.toMatch(/at .*\.[jt]s/);
  });

  it('answers 400 for a watermark that is not a number', async () => {
    const session = await startConversation();
    const response = await directLine(session.token, 'GET', `/conversations/${session.conversationId}/activities?watermark=abc`);
    expect(response.status).toBe(400);
  });

  it('does not let a token for conversation A read, write or stream conversation B', async () => {
    const a = await startConversation();
    const b = await startConversation();
    const attempts = [
      await directLine(a.token, 'GET', `/conversations/${b.conversationId}/activities`),
      await directLine(a.token, 'POST', `/conversations/${b.conversationId}/activities`, { type: 'message', text: 'hi' }),
      await directLine(a.token, 'GET', `/conversations/${b.conversationId}`),
    ];
    for (const response of attempts) {
      expect(response.status).toBe(403);
      const body = await response.text();
      expect(body).toContain('ERR_DIRECTLINE_UNAUTHORIZED');
      expect(body).not.toContain('Backup & Restore assistant');
    }
    expect(await streamRefusal(b.streamUrl.replace(encodeURIComponent(b.token), encodeURIComponent(a.token)))).toBe(403);
    expect(textsOf((await poll(b)).activities)).not.toContain('hi');
  });

  it('answers 401 without a token and 403 for a made-up one', async () => {
    const session = await startConversation();
    const path = `/conversations/${session.conversationId}/activities`;
    expect((await directLine(undefined, 'GET', path)).status).toBe(401);
    expect((await directLine(undefined, 'POST', '/conversations', {})).status).toBe(401);
    const forged = `${session.token.split('.')[0]}.${'A'.repeat(43)}`;
    expect((await directLine(forged, 'GET', path)).status).toBe(403);
    expect((await directLine('not-a-token', 'GET', path)).status).toBe(403);
  });

  it('refuses a token once its lifetime is over', async () => {
    const session = await startConversation();
    const path = `/conversations/${session.conversationId}/activities`;
    now += TTL_SECONDS * 1000;
    expect((await directLine(session.token, 'GET', path)).status).toBe(403);
    expect(await streamRefusal(session.streamUrl)).toBe(403);
  });

  it('refreshes a token into a new one for the same conversation, as Web Chat does every 15 minutes', async () => {
    const session = await startConversation();
    now += (TTL_SECONDS * 1000) / 2;
    const response = await directLine(session.token, 'POST', '/tokens/refresh');
    expect(response.status).toBe(200);
    const refreshed = await jsonOf(response);
    expect(refreshed).toMatchObject({ conversationId: session.conversationId, expires_in: TTL_SECONDS });
    expect(refreshed.token).not.toBe(session.token);
    expect((await directLine(session.token, 'GET', `/conversations/${session.conversationId}/activities`)).status).toBe(403);
    now += (TTL_SECONDS * 1000) / 2;
    expect((await directLine(refreshed.token, 'GET', `/conversations/${session.conversationId}/activities`)).status).toBe(200);
  });

  it('gives a reconnecting Web Chat a stream URL that resumes after its watermark', async () => {
    const session = await startConversation();
    const response = await directLine(session.token, 'GET', `/conversations/${session.conversationId}?watermark=1`);
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body).toMatchObject({ conversationId: session.conversationId, token: session.token });
    expect(body.streamUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/.+\/stream\?t=.+&watermark=1$/);
    const resumed = await openStream(body.streamUrl);
    await say(session, 'thanks');
    await resumed.until(1);
    resumed.close();
    expect(resumed.sets[0]!.activities[0].text).toBe('thanks');
  });
});
