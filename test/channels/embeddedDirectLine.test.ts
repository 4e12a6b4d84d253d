import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { EmbeddedDirectLine, type ActivityJson } from '../../src/channels/directline/embeddedDirectLine.js';
import { DirectLineTokens, type TokenGrant } from '../../src/channels/directline/tokens.js';

const SERVICE_URL = 'http://127.0.0.1:1/directline/connector/key';
const TTL_SECONDS = 1800;

/** The embedded Direct Line with a bot that records what reaches it and answers nothing. */
function directLine(options: { maxHistory?: number; maxConversations?: number } = {}) {
  let now = 1_000_000;
  const delivered: ActivityJson[] = [];
  const line = new EmbeddedDirectLine({
    bot: { processEmbedded: async (activity) => void delivered.push(activity) },
    tokens: new DirectLineTokens({ ttlSeconds: TTL_SECONDS, now: () => now }),
    logger: pino({ level: 'silent' }),
    now: () => now,
    ...options,
  });
  const open = () => {
    const started = line.createConversation();
    return { ...started, grant: line.grantOf(`Bearer ${started.token}`) as TokenGrant };
  };
  return { line, delivered, open, advance: (ms: number) => (now += ms) };
}

describe('the embedded Direct Line', () => {
  it('tells the bot once that the bot and the customer joined, when the conversation starts', async () => {
    const { line, delivered, open } = directLine();
    const { grant, userId } = open();
    await line.start(grant, SERVICE_URL);
    await line.start(grant, SERVICE_URL);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ type: 'conversationUpdate', channelId: 'webchat', serviceUrl: SERVICE_URL, membersAdded: [{}, { id: userId }] });
  });

  it('decides who the customer is and where replies go, whatever the client claims', async () => {
    const { line, delivered, open } = directLine();
    const { grant, userId, conversationId } = open();
    await line.post(grant, { type: 'message', text: 'hi', from: { id: 'someone-else', name: 'Sam' }, serviceUrl: 'http://attacker.test', conversation: { id: 'other' } }, SERVICE_URL);
    expect(delivered[0]).toMatchObject({ from: { id: userId, name: 'Sam', role: 'user' }, serviceUrl: SERVICE_URL, conversation: { id: conversationId } });
    const echoed = line.read(conversationId, 0).activities[0]!;
    expect(echoed).not.toHaveProperty('serviceUrl');
  });

  it('shows the bot typing right after a customer message, before the bot has answered', async () => {
    const { line, open } = directLine();
    const { grant, conversationId } = open();
    const { id } = await line.post(grant, { type: 'message', text: 'my restore is slow' }, SERVICE_URL);
    const [message, typing] = line.read(conversationId, 0).activities;
    expect(message).toMatchObject({ id, type: 'message' });
    expect(typing).toMatchObject({ type: 'typing', from: { role: 'bot' }, replyToId: id });
  });

  it('keeps the newest activities of a long conversation while watermarks keep counting', () => {
    const { line, open } = directLine({ maxHistory: 3 });
    const { conversationId } = open();
    for (let index = 1; index <= 5; index += 1) line.receiveFromBot(conversationId, { type: 'message', text: `reply ${index}` });
    const { activities, watermark } = line.read(conversationId, 0);
    expect(activities.map((activity) => activity.text)).toEqual(['reply 3', 'reply 4', 'reply 5']);
    expect(watermark).toBe('5');
    expect(line.read(conversationId, 4).activities.map((activity) => activity.text)).toEqual(['reply 5']);
  });

  it('keeps the bot connector address out of what the customer receives', () => {
    const { line, open } = directLine();
    const { conversationId } = open();
    line.receiveFromBot(conversationId, { type: 'message', text: 'hello', serviceUrl: SERVICE_URL, from: { id: 'restore-support-bot' } });
    const [reply] = line.read(conversationId, 0).activities;
    expect(reply).not.toHaveProperty('serviceUrl');
    expect(reply).toMatchObject({ from: { role: 'bot' } });
  });

  it('forgets a conversation once no token can reach it any more', () => {
    const { line, open, advance } = directLine();
    const { conversationId } = open();
    advance(TTL_SECONDS * 1000);
    open();
    expect(() => line.read(conversationId, 0)).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('keeps a conversation whose token was refreshed', () => {
    const { line, open, advance } = directLine();
    const { conversationId, grant } = open();
    advance((TTL_SECONDS * 1000) / 2);
    const refreshed = line.refresh(grant);
    advance((TTL_SECONDS * 1000) / 2);
    open();
    expect(line.grantOf(`Bearer ${refreshed.token}`).conversationId).toBe(conversationId);
    expect(line.read(conversationId, 0).activities).toEqual([]);
  });

  it('drops the least recently active conversation when full', () => {
    const { line, open, advance } = directLine({ maxConversations: 2 });
    const first = open();
    advance(1);
    const second = open();
    advance(1);
    line.receiveFromBot(first.conversationId, { type: 'message', text: 'still talking' });
    advance(1);
    open();
    expect(line.read(first.conversationId, 0).activities).toHaveLength(1);
    expect(() => line.read(second.conversationId, 0)).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('pushes each new activity to subscribers until they leave', () => {
    const { line, open } = directLine();
    const { conversationId } = open();
    const pushed: string[] = [];
    const leave = line.subscribe(conversationId, { push: (set) => pushed.push(`${set.watermark}:${set.activities[0]?.text}`), close: () => undefined });
    line.receiveFromBot(conversationId, { type: 'message', text: 'one' });
    leave();
    line.receiveFromBot(conversationId, { type: 'message', text: 'two' });
    expect(pushed).toEqual(['1:one']);
  });
});
