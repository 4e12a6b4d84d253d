import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { shutDown } from '../../src/server/shutdown.js';
import { conversation, startBot, type RunningBot } from '../support/botServer.js';

let bot: RunningBot | undefined;
afterEach(async () => {
  await bot?.close().catch(() => undefined);
  bot = undefined;
});

/**
 * Starts a turn whose reply the connector takes `delayMs` to accept; resolves once the turn is
 * waiting on it. `answered()` tells whether the bot has answered the request yet.
 */
async function turnInFlight(running: RunningBot, delayMs: number) {
  const serviceUrl = `https://slow-${delayMs}.test`;
  const texts: string[] = [];
  let reached!: () => void;
  const waiting = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const scope = nock(serviceUrl)
    .post(/\/v3\/conversations\/.*/)
    .delay(delayMs)
    .reply(200, (_uri, body) => {
      texts.push(String((body as { text?: string }).text ?? ''));
      return { id: 'ok' };
    });
  scope.on('request', () => reached());
  let done = false;
  const response = conversation(running, { extra: { serviceUrl } })
    .say('my restore is taking forever')
    .finally(() => {
      done = true;
    });
  await waiting;
  return { response, texts, answered: () => done };
}

describe('draining', () => {
  it('answers /readyz 503 and refuses new activities with 503 while a turn finishes, then reports it finished', async () => {
    bot = await startBot();
    const { response, texts, answered } = await turnInFlight(bot, 400);
    const drained = bot.assembly.gate.drain(5_000);

    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    const refused = await conversation(bot).say('hello');
    expect(refused.status).toBe(503);
    expect(refused.replies).toHaveLength(0);

    expect(answered()).toBe(false);
    expect((await response).status).toBe(200);
    expect(texts.join('\n')).toMatch(/per gigabyte/);
    expect(await drained).toBe(true);
  });

  it('refuses a Web Chat message on the embedded Direct Line with 503 ERR_SHUTTING_DOWN', async () => {
    const running = (bot = await startBot());
    const { token, conversationId, userId } = (await (await fetch(`${running.url}/api/directline/token`, { method: 'POST' })).json()) as Record<string, string>;
    const directLine = (path: string, body: unknown) =>
      fetch(`${running.url}/v3/directline${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    expect((await directLine('/conversations', { user: { id: userId } })).status).toBe(201);
    await running.assembly.gate.drain(1_000);
    const refused = await directLine(`/conversations/${conversationId}/activities`, { type: 'message', text: 'hello', from: { id: userId } });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ERR_SHUTTING_DOWN');
  });

  it('answers /readyz 200 before shutdown begins', async () => {
    bot = await startBot();
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('gives up waiting after the grace period', async () => {
    bot = await startBot();
    const { response } = await turnInFlight(bot, 1_000);
    expect(await bot.assembly.gate.drain(50)).toBe(false);
    await response;
  });
});

describe('shutting down', () => {
  it('lets the turn in flight deliver its reply and answer, then closes every connection', async () => {
    bot = await startBot();
    const { url, assembly } = bot;
    const { response, texts, answered } = await turnInFlight(bot, 300);
    expect(answered()).toBe(false);
    await shutDown(assembly.server, assembly.gate, 5_000, createLogger('silent'));
    expect((await response).status).toBe(200);
    expect(texts.join('\n')).toMatch(/per gigabyte/);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
