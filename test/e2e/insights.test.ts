import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEvents } from '../../src/insights/recorder.js';
import { buildInsights } from '../../src/insights/report.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { agentOnline, caseId, conversation, startBot, type RunningBot } from '../support/botServer.js';

/** What the bot records while customers talk to it through the real server, and the insights read back from it. */
let bot: RunningBot;
let storage: StorageBackend;
let clock: number;
const MINUTE = 60_000;

async function start(env: Record<string, string> = {}) {
  storage = openSqliteStorage(IN_MEMORY);
  clock = Date.parse('2026-03-01T10:00:00.000Z');
  bot = await startBot({ AGENT_TOKENS: 'ana=ana-token-0123456789', ...env }, { storage, now: () => clock });
}
afterEach(async () => {
  await bot.close();
  await storage.close();
});

async function recorded() {
  // The recorder's batch goes out in the next pass of the event loop, its group commit in the one after.
  for (let pass = 0; pass < 2; pass += 1) await new Promise((resolve) => setImmediate(resolve));
  return readEvents(storage.events);
}

async function insights(minutesLater: number) {
  const { content } = bot.assembly;
  const catalog = {
    topics: content.intents.filter((intent) => !intent.action).map((intent) => ({ id: intent.id, title: intent.title })),
    trees: [...content.trees.values()].map((tree) => ({ id: tree.id, nodes: Object.keys(tree.nodes) })),
  };
  return buildInsights(await recorded(), { catalog, now: new Date(clock + minutesLater * MINUTE), abandonAfterMs: 30 * MINUTE });
}

describe('events recorded by the bot', () => {
  beforeEach(() => start());

  it('records a walk-through step by step: topic asked, nodes reached, resolved where it worked, topic answered', async () => {
    const chat = conversation(bot);
    await chat.say('it keeps saying cannot restore backup');
    await chat.say('No, still failing');
    await chat.say("Yes, it's restoring now");
    const events = (await recorded()).map((entry) => entry.event);
    expect(events).toEqual([
      { kind: 'asked', topic: 'cannot_restore' },
      { kind: 'reached', tree: 'cannot_restore', node: 'intro', open: true },
      { kind: 'reached', tree: 'cannot_restore', node: 'wifi', open: true },
      { kind: 'reached', tree: 'cannot_restore', node: 'resolved' },
      { kind: 'finished', tree: 'cannot_restore', node: 'wifi', resolved: true },
      { kind: 'answered', topic: 'cannot_restore' },
    ]);
    const report = await insights(0);
    expect(report.nodes.find((row) => row.tree === 'cannot_restore' && row.node === 'wifi')).toMatchObject({ reached: 1, resolved: 1, abandoned: 0 });
    expect(report.topics.find((row) => row.id === 'cannot_restore')).toMatchObject({ asked: 1, answered: 1 });
  });

  it('keeps what it could not place, with why, for the inbox', async () => {
    const chat = conversation(bot);
    await chat.say('will it rain in Paris tomorrow');
    await chat.say('it keeps saying cannot restore backup');
    await chat.say('what is the capital of peru');
    const unplaced = (await recorded()).map((entry) => entry.event).filter((event) => event.kind === 'unplaced');
    expect(unplaced).toEqual([
      { kind: 'unplaced', why: 'out_of_scope', text: 'will it rain in Paris tomorrow' },
      { kind: 'unplaced', why: 'in_tree', text: 'what is the capital of peru', tree: 'cannot_restore', node: 'intro' },
    ]);
    expect((await insights(0)).unanswered.map((row) => row.text)).toEqual(['will it rain in Paris tomorrow', 'what is the capital of peru']);
  });

  it('counts a customer who stops answering as abandoned at that step once quiet long enough, with no timer running', async () => {
    const chat = conversation(bot);
    await chat.say('it keeps saying cannot restore backup');
    await chat.say('No, still failing');
    const row = async (minutes: number) => (await insights(minutes)).nodes.find((node) => node.tree === 'cannot_restore' && node.node === 'wifi');
    expect((await row(5))?.abandoned).toBe(0);
    expect((await row(31))?.abandoned).toBe(1);
  });

  it('records a request for a person at the step the customer was at', async () => {
    const chat = conversation(bot);
    await chat.say('it keeps saying cannot restore backup');
    await chat.say('talk to a person');
    expect((await recorded()).map((entry) => entry.event)).toContainEqual({ kind: 'handedOff', reason: 'customer_asked', topic: 'cannot_restore', tree: 'cannot_restore', node: 'intro' });
    expect((await insights(60)).nodes.find((node) => node.node === 'intro' && node.tree === 'cannot_restore')).toMatchObject({ handedOff: 1, abandoned: 0 });
  });

  it("records how a person ended each handoff, once the conversation is saved: handed back at a topic, or closed", async () => {
    await agentOnline(bot, 'ana-token-0123456789');
    const agentApi = (path: string, body: unknown) =>
      fetch(`${bot.url}${path}`, { method: 'POST', headers: { authorization: 'Bearer ana-token-0123456789', 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const handedBack = conversation(bot);
    await handedBack.say('it keeps saying cannot restore backup');
    await handedBack.say('talk to a person');
    expect((await agentApi(`/api/agent/conversations/${caseId(handedBack.id)}/accept`, {})).status).toBe(200);
    expect((await agentApi(`/api/agent/conversations/${caseId(handedBack.id)}/handback`, { mode: 'topic', topic: 'slow_restore' })).status).toBe(200);
    const closed = conversation(bot);
    await closed.say('it keeps saying cannot restore backup');
    await closed.say('talk to a person');
    expect((await agentApi(`/api/agent/conversations/${caseId(closed.id)}/accept`, {})).status).toBe(200);
    expect((await agentApi(`/api/agent/conversations/${caseId(closed.id)}/close`, {})).status).toBe(200);

    const ends = (await recorded()).filter((entry) => entry.event.kind === 'handedBack');
    expect(ends).toEqual([
      { at: expect.any(String), conversation: `webchat|${handedBack.id}`, event: { kind: 'handedBack', how: 'topic', toTopic: 'slow_restore' } },
      { at: expect.any(String), conversation: `webchat|${closed.id}`, event: { kind: 'handedBack', how: 'close' } },
    ]);
    expect((await insights(60)).topics.find((row) => row.id === 'cannot_restore')).toMatchObject({ handoffs: 2, handedBack: 1, closedByAgent: 1 });
  });

  it('records a customer who stops waiting for a person: withdrawn with cancel, or timed out in the queue', async () => {
    await agentOnline(bot, 'ana-token-0123456789');
    const withdrawn = conversation(bot);
    await withdrawn.say('it keeps saying cannot restore backup');
    await withdrawn.say('talk to a person');
    await withdrawn.say('cancel');
    const outwaited = conversation(bot);
    await outwaited.say('it keeps saying cannot restore backup');
    await outwaited.say('talk to a person');
    clock += 16 * MINUTE;
    // Still online (the heartbeat), so the customer is not turned into a left message: the queue itself timed out.
    await agentOnline(bot, 'ana-token-0123456789');
    await outwaited.say('hello? is anyone there');

    const ends = (await recorded()).filter((entry) => entry.event.kind === 'waitEnded');
    expect(ends.map((entry) => [entry.conversation, entry.event])).toEqual([
      [`webchat|${withdrawn.id}`, { kind: 'waitEnded', why: 'withdrawn', from: 'queued' }],
      [`webchat|${outwaited.id}`, { kind: 'waitEnded', why: 'timedOut', from: 'queued' }],
    ]);
    expect((await insights(60)).topics.find((row) => row.id === 'cannot_restore')).toMatchObject({ handoffs: 2, withdrawn: 1, timedOut: 1 });
  });

  it('records an offer to leave a message that lapsed unanswered as a wait that timed out', async () => {
    // Agents exist but none is online: the customer is offered to leave a message.
    const offered = conversation(bot);
    await offered.say('it keeps saying cannot restore backup');
    const said = async (text: string) => (await offered.say(text)).replies.map((reply) => reply.body.text).join('\n');
    expect(await said('talk to a person')).toMatch(/leave them a message/i);
    clock += 16 * MINUTE;
    expect(await said('my restore is slow')).toMatch(/per gigabyte/);

    const ends = (await recorded()).filter((entry) => entry.event.kind === 'waitEnded');
    expect(ends.map((entry) => [entry.conversation, entry.event])).toEqual([[`webchat|${offered.id}`, { kind: 'waitEnded', why: 'timedOut', from: 'offered' }]]);
    expect((await insights(60)).topics.find((row) => row.id === 'cannot_restore')).toMatchObject({ handoffs: 1, timedOut: 1 });
  });

  it('records a hand-back an agent gives in a Teams shared chat with "take over:"', async () => {
    await bot.close();
    await storage.close();
    await start({ AGENT_USER_IDS: '29:agent-dana' });
    const chatId = '19:shared@thread.v2';
    const group = { conversation: { id: chatId, isGroup: true, conversationType: 'groupChat' } };
    const chat = conversation(bot, { channelId: 'msteams', id: chatId, extra: group });
    const mention = { type: 'mention', text: '<at>Support Bot</at>', mentioned: { id: 'bot-id', name: 'Support Bot' } };
    await chat.say('<at>Support Bot</at> talk to a person', { entities: [mention] });
    await bot.post({ type: 'message', id: 'agent-take-over', channelId: 'msteams', serviceUrl: 'https://connector.test', ...group, from: { id: '29:agent-dana', name: 'Dana' }, recipient: { id: 'bot-id' }, text: '<at>Support Bot</at> take over: slow restore', entities: [mention] });
    expect((await recorded()).map((entry) => entry.event)).toContainEqual({ kind: 'handedBack', how: 'topic', toTopic: 'slow_restore' });
  });

  it("records an external hub's completed handoff as closed by its agent, and one that failed as a wait ended unanswered", async () => {
    await bot.close();
    await storage.close();
    await start({ HANDOFF_HUB_CHANNELS: 'contact-centre' });
    const status = (conversationId: string, state: string, id = `status-${conversationId}-${state}`) =>
      bot.post({ type: 'event', name: 'handoff.status', id, channelId: 'contact-centre', serviceUrl: 'https://connector.test', conversation: { id: conversationId }, from: { id: 'hub' }, recipient: { id: 'bot-id' }, value: { state } });
    const completed = conversation(bot, { channelId: 'contact-centre' });
    await completed.say('talk to a person');
    await status(completed.id, 'accepted');
    await status(completed.id, 'completed');
    const failed = conversation(bot, { channelId: 'contact-centre' });
    await failed.say('it keeps saying cannot restore backup');
    await failed.say('talk to a person');
    await status(failed.id, 'failed');
    // A second "completed" (another activity) after the handoff is over ends nothing.
    await status(completed.id, 'completed', 'status-late');
    const ends = (await recorded()).filter((entry) => entry.event.kind === 'handedBack');
    expect(ends.map((entry) => [entry.conversation, entry.event])).toEqual([[`contact-centre|${completed.id}`, { kind: 'handedBack', how: 'close' }]]);
    const unanswered = (await recorded()).filter((entry) => entry.event.kind === 'waitEnded');
    expect(unanswered.map((entry) => [entry.conversation, entry.event])).toEqual([[`contact-centre|${failed.id}`, { kind: 'waitEnded', why: 'hubFailed', from: 'queued' }]]);
    expect((await insights(60)).topics.find((row) => row.id === 'cannot_restore')).toMatchObject({ handoffs: 1, timedOut: 1 });
  });

  it('records nothing twice when a channel replays an activity', async () => {
    const chat = conversation(bot);
    const first = await chat.say('which of my backups should I restore from?');
    await bot.post({ type: 'message', id: first.activityId, channelId: 'webchat', serviceUrl: 'https://connector.test', conversation: { id: chat.id }, from: chat.user, recipient: { id: 'bot-id' }, text: 'which of my backups should I restore from?' });
    expect((await recorded()).filter((entry) => entry.event.kind === 'asked')).toHaveLength(1);
  });
});

describe('with insights turned off', () => {
  beforeEach(() => start({ INSIGHTS_ENABLED: 'false' }));

  it('records nothing', async () => {
    await conversation(bot).say('will it rain in Paris tomorrow');
    expect(await recorded()).toEqual([]);
  });
});
