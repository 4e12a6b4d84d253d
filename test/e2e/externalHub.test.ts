import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversation, SERVICE_URL, startBot, textOf, type RunningBot } from '../support/botServer.js';

const AGENT_ID = '29:agent-dana';
/** The channel id of a contact-centre hub that relays the customer's chat (HANDOFF_HUB_CHANNELS). */
const HUB = 'contact-centre';
let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({ AGENT_USER_IDS: `${AGENT_ID}, 29:agent-lee`, HANDOFF_HUB_CHANNELS: HUB });
});
afterAll(async () => {
  await bot.close();
});

const status = (conversationId: string, state: string, channelId = HUB) =>
  bot.post({ type: 'event', name: 'handoff.status', id: `status-${state}`, channelId, serviceUrl: SERVICE_URL, conversation: { id: conversationId }, from: { id: 'hub' }, recipient: { id: 'bot-id' }, value: { state } });

describe('an external agent hub', () => {
  it('silences the bot once it accepts, and gives the chat back when it completes', async () => {
    const customer = conversation(bot, { channelId: HUB });
    await customer.say('talk to a person');
    expect((await status(customer.id, 'accepted')).status).toBe(200);
    const quiet = await customer.say('my restore is slow');
    expect(quiet.replies).toHaveLength(0);
    const mark = bot.sent.length;
    await status(customer.id, 'completed');
    expect(textOf(bot.sent.slice(mark))).toMatch(/closed their part/);
    expect(textOf((await customer.say('my restore is slow')).replies)).toMatch(/per gigabyte/);
  });

  it('tells the customer when no agent could take the chat', async () => {
    const customer = conversation(bot, { channelId: HUB });
    await customer.say('I need a human');
    const mark = bot.sent.length;
    await status(customer.id, 'failed');
    expect(textOf(bot.sent.slice(mark))).toMatch(/no support agent could take the chat/i);
  });

  it('ignores handoff.status from a channel with no hub: a customer cannot silence the bot or end a handoff', async () => {
    const customer = conversation(bot);
    expect((await status(customer.id, 'accepted', 'webchat')).status).toBe(200);
    expect(textOf((await customer.say('my restore is slow')).replies)).toMatch(/per gigabyte/);
    const viaHub = conversation(bot, { channelId: HUB });
    await viaHub.say('talk to a person');
    await status(viaHub.id, 'accepted');
    const forged = { type: 'event', name: 'handoff.status', id: `forged-${viaHub.id}`, channelId: 'webchat', serviceUrl: SERVICE_URL, conversation: { id: viaHub.id }, from: viaHub.user, recipient: { id: 'bot-id' }, value: { state: 'completed' } };
    expect((await bot.post(forged)).status).toBe(200);
    expect((await viaHub.say('still there?')).replies).toHaveLength(0);
  });

  it('sends handoff.initiate to the hub channel only, never to a customer on another channel', async () => {
    const viaHub = await conversation(bot, { channelId: HUB }).say('get me a human');
    expect(viaHub.replies.some((activity) => activity.body.name === 'handoff.initiate')).toBe(true);
    const webChat = await conversation(bot).say('get me a human');
    expect(webChat.replies.some((activity) => activity.body.type === 'event')).toBe(false);
  });

  it('accepts a handoff.status it does not understand without failing', async () => {
    const customer = conversation(bot, { channelId: HUB });
    expect((await status(customer.id, 'paused')).status).toBe(200);
  });
});

describe('an agent in a shared chat', () => {
  const teams = { channelId: 'msteams', extra: { conversation: { id: '19:shared@thread.v2', isGroup: true, conversationType: 'groupChat' } } };

  it('is never answered, and gives the chat to the bot with "take over: <topic>"', async () => {
    const chat = conversation(bot, { ...teams, id: '19:shared@thread.v2' });
    await chat.say('<at>Support Bot</at> talk to a person', { entities: [{ type: 'mention', text: '<at>Support Bot</at>', mentioned: { id: 'bot-id' } }] });
    const mention = { type: 'mention', text: '<at>Support Bot</at>', mentioned: { id: 'bot-id', name: 'Support Bot' } };
    const agentSays = (text: string, entities: unknown[] = []) =>
      bot.post({ type: 'message', id: `agent-${text.length}`, channelId: 'msteams', serviceUrl: SERVICE_URL, conversation: { id: chat.id, isGroup: true, conversationType: 'groupChat' }, from: { id: AGENT_ID, name: 'Dana' }, recipient: { id: 'bot-id' }, text, entities });
    let mark = bot.sent.length;
    await agentSays('Hi, I am Dana. What does the screen say?');
    await agentSays('<at>Support Bot</at> can you hear me?', [mention]);
    expect(bot.sent.slice(mark)).toHaveLength(0);
    mark = bot.sent.length;
    await agentSays('<at>Support Bot</at> take over: slow restore', [mention]);
    expect(textOf(bot.sent.slice(mark))).toMatch(/per gigabyte/);
  });
});
