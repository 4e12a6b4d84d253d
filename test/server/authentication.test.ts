import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_URL, startBot, type RunningBot } from '../support/botServer.js';

let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({ MicrosoftAppId: '00000000-0000-0000-0000-0000000000aa', MicrosoftAppPassword: 'not-a-real-secret' });
});
afterAll(async () => {
  await bot.close();
});

const message = { type: 'message', id: 'm1', channelId: 'webchat', serviceUrl: SERVICE_URL, conversation: { id: 'auth-1' }, from: { id: 'u' }, recipient: { id: 'b' }, text: 'hello' };

describe('with MicrosoftAppId set', () => {
  it('rejects a request without a token with 401 and sends nothing', async () => {
    const mark = bot.sent.length;
    const response = await bot.post(message);
    expect(response.status).toBe(401);
    expect(bot.sent.length).toBe(mark);
  });

  it('does not echo the app password in the response', async () => {
    const response = await bot.post(message, { authorization: 'Bearer not.a.jwt' });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('not-a-real-secret');
  });
});
