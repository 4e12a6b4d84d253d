import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { jsonOf, startBot, type RunningBot } from '../support/botServer.js';

/** Hostile use of the embedded Direct Line over HTTP (issue #13), each refused or bounded. */
const STREAM_BUFFER_BYTES = 16_384;
let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({ DIRECT_LINE_MAX_STREAMS: '2', DIRECT_LINE_STREAM_BUFFER_BYTES: String(STREAM_BUFFER_BYTES), DIRECT_LINE_MAX_PENDING: '100' });
});
afterAll(async () => {
  await bot.close();
});

interface Session {
  token: string;
  conversationId: string;
  userId: string;
  streamUrl: string;
}

const directLine = (token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> =>
  fetch(`${bot.url}/v3/directline${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

async function startConversation(): Promise<Session> {
  const session = (await jsonOf(await fetch(`${bot.url}/api/directline/token`, { method: 'POST' }))) as Session;
  const response = await directLine(session.token, 'POST', '/conversations', { user: { id: session.userId } });
  expect(response.status).toBe(201);
  return { ...session, ...(await jsonOf(response)) };
}

const say = (session: Session, text: string) => directLine(session.token, 'POST', `/conversations/${session.conversationId}/activities`, { type: 'message', text, from: { id: session.userId } });
const poll = async (session: Session, watermark = '') => jsonOf(await directLine(session.token, 'GET', `/conversations/${session.conversationId}/activities?watermark=${watermark}`));

/**
 * A WebSocket client that completes the handshake and then stops reading (ws itself resumes a
 * paused socket, so this one speaks the handshake by hand). `ended` resolves when the server hangs up.
 */
async function pausedReader(streamUrl: string) {
  const url = new URL(streamUrl);
  const socket = connect(Number(url.port), url.hostname);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`);
  const [head] = (await once(socket, 'data')) as [Buffer];
  expect(head.toString('latin1')).toMatch(/^HTTP\/1\.1 101/);
  socket.pause();
  return { socket, ended: closed };
}

/** A stream, everything it received, and how it ended. */
function stream(url: string) {
  const ws = new WebSocket(url);
  const received: string[] = [];
  ws.on('message', (data) => received.push(String(data)));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.on('error', () => undefined);
  return { ws, received, opened, closed };
}

describe('the embedded Direct Line under attack', () => {
  it('never sends a web chat client the handoff.initiate event, a connector address or a key', async () => {
    const session = await startConversation();
    const watching = stream(session.streamUrl);
    await watching.opened;
    expect((await say(session, 'talk to a person')).status).toBe(200);
    const everything = JSON.stringify([await poll(session), ...watching.received.map((text) => JSON.parse(text))]);
    watching.ws.close();
    expect(everything).toMatch(/person/i);
    expect(everything).not.toMatch(/handoff|relatesTo|serviceUrl|connector|127\.0\.0\.1|embedded-directline/i);
    expect(JSON.parse(everything)[0].activities.every((activity: { type: string }) => ['message', 'typing'].includes(activity.type))).toBe(true);
  });

  it('has no route on which anyone can post as the bot', async () => {
    const session = await startConversation();
    for (const path of [
      `/directline/connector/anything/v3/conversations/${session.conversationId}/activities`,
      `/directline/connector/anything/v3/conversations/${session.conversationId}/activities/x`,
      `/v3/conversations/${session.conversationId}/activities`,
    ]) {
      const response = await fetch(`${bot.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'I am the bot: send me your Apple ID password' }) });
      expect(response.status).toBe(404);
    }
    expect(JSON.stringify(await poll(session))).not.toContain('Apple ID password');
  });

  it('refuses a client conversationUpdate with 7,000 members with 400 ERR_DIRECTLINE_ACTIVITY, before the bot sees it', async () => {
    const session = await startConversation();
    const { watermark } = await poll(session);
    const membersAdded = Array.from({ length: 7000 }, (_, index) => ({ id: `member-${index}` }));
    const response = await directLine(session.token, 'POST', `/conversations/${session.conversationId}/activities`, { type: 'conversationUpdate', membersAdded });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).error.code).toBe('ERR_DIRECTLINE_ACTIVITY');
    expect((await poll(session, watermark)).activities).toEqual([]);
  });

  it('refuses an activity that carries 200 kB of junk fields Web Chat never sends inside channelData', async () => {
    const session = await startConversation();
    const response = await directLine(session.token, 'POST', `/conversations/${session.conversationId}/activities`, { type: 'message', text: 'hi', channelData: { junk: 'x'.repeat(200_000) } });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).error).toMatchObject({ code: 'ERR_DIRECTLINE_ACTIVITY', message: expect.stringMatching(/^channelData/) });
  });

  it('refuses a message longer than MAX_MESSAGE_CHARS with 400', async () => {
    const session = await startConversation();
    const response = await say(session, 'x'.repeat(2001));
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).error.code).toBe('ERR_DIRECTLINE_ACTIVITY');
  });

  it('keeps a few streams per conversation: a third one closes the first', async () => {
    const session = await startConversation();
    const streams = [stream(session.streamUrl), stream(session.streamUrl)];
    await Promise.all(streams.map((entry) => entry.opened));
    const third = stream(session.streamUrl);
    await third.opened;
    expect(await streams[0]!.closed).toBe(1000);
    third.ws.close();
    streams[1]!.ws.close();
  });

  it('drops a stream whose reader stopped reading once it holds more than its buffer', async () => {
    const session = await startConversation();
    const reader = await pausedReader(session.streamUrl);
    // Bot-sized messages until the kernel's socket buffers are full and the server's own buffer grows.
    for (let index = 0; index < 600; index += 1) {
      await bot.assembly.embeddedDelivery.deliver(session.conversationId, { type: 'message', text: `${index} ${'x'.repeat(60_000)}` });
    }
    reader.socket.resume();
    await reader.ended;
    // The conversation itself carries on.
    expect((await say(session, 'thanks')).status).toBe(200);
  });

  it('answers a started conversation after a flood of token requests far past the pending limit', async () => {
    const session = await startConversation();
    const flood = Array.from({ length: 20 }, async () => {
      for (let index = 0; index < 50; index += 1) expect((await fetch(`${bot.url}/api/directline/token`, { method: 'POST' })).status).toBe(200);
    });
    await Promise.all(flood);
    const response = await say(session, 'my restore is taking forever');
    expect(response.status).toBe(200);
    expect(JSON.stringify(await poll(session))).toMatch(/per gigabyte/);
  });

  it('stops accepting the old token as soon as a refresh hands out a new one', async () => {
    const session = await startConversation();
    const refreshed = await jsonOf(await directLine(session.token, 'POST', '/tokens/refresh'));
    expect(refreshed.token).not.toBe(session.token);
    expect((await directLine(session.token, 'GET', `/conversations/${session.conversationId}/activities`)).status).toBe(403);
    expect((await directLine(session.token, 'POST', '/tokens/refresh')).status).toBe(403);
    expect((await directLine(refreshed.token, 'GET', `/conversations/${session.conversationId}/activities`)).status).toBe(200);
  });
});
