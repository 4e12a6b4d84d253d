import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choicesOf, conversation, jsonOf, startBot, textOf, type RunningBot } from '../support/botServer.js';

let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot();
});
afterAll(async () => {
  await bot.close();
});

describe('POST /api/messages', () => {
  it('posts the answer to the conversation on the serviceUrl, as a reply to the customer message', async () => {
    const chat = conversation(bot);
    const { status, activityId, replies } = await chat.say('my restore is taking forever');
    expect(status).toBe(200);
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) {
      expect(reply.conversationId).toBe(chat.id);
      expect(reply.replyToId).toBe(activityId);
      expect(reply.body.replyToId).toBe(activityId);
    }
    expect(textOf(replies)).toMatch(/1 to 4 hours per gigabyte/);
  });

  it('welcomes each new member other than the bot with what it helps with', async () => {
    const chat = conversation(bot);
    const { status, replies } = await chat.join();
    expect(status).toBe(200);
    expect(replies).toHaveLength(1);
    expect(textOf(replies)).toMatch(/restor/i);
    expect(choicesOf(replies).length).toBeGreaterThan(1);
  });

  it('does not welcome the same member twice', async () => {
    const chat = conversation(bot);
    await chat.join();
    const again = await chat.join();
    expect(again.replies).toHaveLength(0);
  });

  it('answers 400 with a short JSON error for malformed JSON', async () => {
    const response = await bot.post('{"type": "message",');
    expect(response.status).toBe(400);
    const body = await jsonOf(response);
    expect(body.error.message).toMatch(/json/i);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js/);
  });

  it('answers 400 for a JSON body that is not an activity', async () => {
    for (const body of [[1, 2], { hello: 'world' }, { type: 'message', channelId: 'webchat', conversation: { id: 'c' } }, 'null']) {
      const response = await bot.post(body);
      expect(response.status).toBe(400);
      expect((await jsonOf(response)).error.code).toBe('ERR_REQUEST_INVALID');
    }
  });

  it('rejects a serviceUrl that is not http(s)', async () => {
    const response = await bot.post({ type: 'message', channelId: 'webchat', serviceUrl: 'file:///etc/passwd', conversation: { id: 'c' }, from: { id: 'u' }, text: 'hi' });
    expect(response.status).toBe(400);
  });

  it('ignores unknown activity types with 200 and sends nothing', async () => {
    const chat = conversation(bot);
    const mark = bot.sent.length;
    const response = await bot.post({ type: 'somethingNew', channelId: 'webchat', serviceUrl: 'https://connector.test', conversation: { id: chat.id }, from: chat.user, recipient: { id: 'bot-id' } });
    expect(response.status).toBe(200);
    expect(bot.sent.slice(mark)).toHaveLength(0);
  });

  it.each([
    ['empty text', ''],
    ['emoji only', '🙂🙂🙂'],
    ['punctuation only', '?!...'],
  ])('replies politely to %s', async (_name, text) => {
    const { status, replies } = await conversation(bot).say(text);
    expect(status).toBe(200);
    expect(textOf(replies)).toMatch(/text|what can i help/i);
  });

  it('asks for a shorter message when one is 10,000 characters long', async () => {
    const { status, replies } = await conversation(bot).say('restore '.repeat(1250));
    expect(status).toBe(200);
    expect(textOf(replies)).toMatch(/long message/i);
  });

  it('refuses politely, keeping nothing, a file sent without text that it cannot fetch from the channel', async () => {
    const { replies } = await conversation(bot).say('', { text: undefined, attachments: [{ contentType: 'image/png', contentUrl: 'https://example.test/a.png' }] });
    expect(textOf(replies)).toMatch(/couldn't take that file.*Nothing from it has been kept/is);
  });

  it('answers GET /healthz with 200', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
  });
});
