import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Conversation } from '../../src/bot/conversation.js';
import { HandoffTurns } from '../../src/bot/handoffTurns.js';
import { OrderedTurns } from '../../src/bot/orderedTurn.js';
import { initialState, type ConversationState } from '../../src/bot/state.js';
import { SupportBot, type People } from '../../src/bot/supportBot.js';
import { Transcript } from '../../src/bot/transcript.js';
import type { MessageTurn, Turn } from '../../src/bot/types.js';
import { loadContent } from '../../src/content/load.js';
import { DialogEngine } from '../../src/dialogs/engine.js';
import { MAX_MESSAGE_PARTS } from '../../src/handoff/flow.js';
import { HandoffQueue } from '../../src/handoff/queue.js';
import { createLogger } from '../../src/logger.js';
import { ChoiceReader } from '../../src/nlu/choiceReader.js';
import type { Recognition } from '../../src/nlu/recognizer.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { ConversationStore } from '../../src/storage/conversationStore.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';

/**
 * The router on its own: no HTTP, no botbuilder. The recogniser is a stub that reads the intent
 * off a table, so each test says exactly what the bot was told the customer meant.
 */
const content = loadContent(path.join(import.meta.dirname, '..', 'fixtures', 'router'));
const MEANT: Record<string, string> = { 'my restore is slow': 'slow_restore', 'get me a human': 'human_agent', 'my restore is slow. get me a human': 'slow_restore', 'my restore is slow. no bots, get me a human': 'human_agent', cancel: 'cancel', 'never mind': 'cancel', 'my restore is stuck': 'stuck_restore', 'how do i take a screenshot?': 'alert_screenshot' };

function recognize(text: string): Recognition {
  const intent = MEANT[text];
  const explanation = { tokens: [], stems: [], corrections: [], synonyms: [], unknown: [], coverage: 1, matched: [] } as unknown as Recognition['explanation'];
  return intent
    ? { verdict: 'match', intent, confidence: 0.9, candidates: [{ intent, confidence: 0.9 }], explanation }
    : { verdict: 'out_of_scope', confidence: 0.1, candidates: [], explanation };
}

let storage: StorageBackend;
let bot: SupportBot;
let store: ConversationStore<ConversationState>;
let queue: HandoffQueue;
let clock: Date;
let people: People;

beforeEach(() => {
  storage = openSqliteStorage(IN_MEMORY);
  store = new ConversationStore<ConversationState>(storage.state, initialState);
  clock = new Date('2026-12-01T10:00:00Z');
  people = 'now';
  const now = () => clock;
  const logger = createLogger('silent');
  const transcript = new Transcript(storage.transcripts, now);
  const turns = new OrderedTurns(store, transcript, logger);
  const engine = new DialogEngine(content.trees, (id) => content.intentById.get(id)?.answer);
  const choiceReader = new ChoiceReader(content);
  const conversation = new Conversation({ content, engine, recognize, readChoice: (choices, text) => choiceReader.read(choices, text), reportsDoing: (choices, text) => choiceReader.reportsDoing(choices, text), asksAbout: (step, text) => choiceReader.asksAbout(step, text), linesAsked: (answer, text) => choiceReader.linesAsked(answer, text), linesTold: (answer, text) => choiceReader.linesTold(answer, text), tellsAbout: (step, text) => choiceReader.tellsAbout(step, text), upset: () => false, bareAnswer: (text) => choiceReader.bareAnswer(text), acknowledges: (text) => choiceReader.acknowledges(text) });
  const handoff = new HandoffTurns({ content, conversation, turns, transcript, queueTimeoutMs: 60_000, now });
  queue = new HandoffQueue({ cases: storage.cases, transcripts: storage.transcripts, conversations: handoff, now });
  bot = new SupportBot({ content, recognize, conversation, turns, transcript, handoff, queue, people: async () => people, logger, maxMessageChars: 100, maxUploadBytes: 5 * 1_048_576, now });
});
afterEach(async () => {
  await storage.close();
});

let sequence = 0;
const says = (text: string, extra: Partial<MessageTurn> = {}): Turn => ({
  kind: 'message',
  channelId: 'webchat',
  conversationId: 'conv-1',
  activityId: `a-${++sequence}`,
  channel: 'webchat',
  scope: 'personal',
  from: { id: 'customer' },
  text,
  hasAttachments: false,
  ...extra,
});
const texts = async (turn: Turn) => (await bot.handle(turn)).replies.map((reply) => reply.text).join('\n');
/** The stuck-restore walk-through's offer of a person, accepted with a question beside the yes. */
const acceptOfferAsking = async () => {
  await bot.handle(says('my restore is stuck'));
  return bot.handle(says('yes please. how do i take a screenshot?'));
};

describe('the router', () => {
  it('starts the topic the recogniser read, and steps its tree on the next answer', async () => {
    expect(await texts(says('my restore is slow'))).toMatch(/1 to 4 hours per gigabyte/);
    expect(await texts(says('yes'))).toMatch(/slower away from home/);
  });

  it('asks for a shorter message over the limit and never keeps the long text', async () => {
    const result = await bot.handle(says('x'.repeat(5000)));
    expect(result.replies.map((reply) => reply.text)).toEqual(['Too long.']);
    expect(result.lines[0]?.text.length).toBeLessThanOrEqual(101);
  });

  it('answers emoji alone as no text, and a file without text as text only', async () => {
    expect(await texts(says('🙂'))).toBe('No text.');
    expect(await texts(says('', { hasAttachments: true }))).toBe('Text only please.');
  });

  it('sends the saved replies again for a replayed activity, without running the turn twice', async () => {
    const first = says('my restore is slow');
    const original = await bot.handle(first);
    const replay = await bot.handle(first);
    expect(replay.replayed).toBe(true);
    expect(replay.replies).toEqual(original.replies);
    expect(replay.lines).toEqual([]);
    expect(await texts(says('yes'))).toMatch(/slower away from home/);
  });

  it('welcomes a person once, however many times and in however large a list they are announced', async () => {
    const joined = (id: string, members: { id: string }[]): Turn => ({ kind: 'membersAdded', channelId: 'webchat', conversationId: 'conv-1', activityId: id, channel: 'webchat', scope: 'personal', members });
    expect(await texts(joined('j1', [{ id: 'customer' }]))).toBe('Hello, I help with restores.');
    expect(await texts(joined('j2', [{ id: 'customer' }]))).toBe('');
    await bot.handle(joined('j3', Array.from({ length: 5000 }, (_, index) => ({ id: `m${index}` }))));
    expect((await store.read('webchat|conv-1')).welcomed.length).toBeLessThanOrEqual(50);
  });
});

describe('the router and a person', () => {
  it('queues the customer and reports the case once the state is saved, with what happened so far', async () => {
    await bot.handle(says('my restore is slow'));
    const asked = await bot.handle(says('get me a human'));
    expect(asked.replies.map((reply) => reply.text)).toEqual(["I'll pass you to a person.", 'You are number 1 in the queue.']);
    expect(asked.handoff?.summary.transcript.map((line) => line.text)).toContain('my restore is slow');
    expect(await queue.list()).toEqual([expect.objectContaining({ status: 'queued', context: expect.objectContaining({ reason: 'customer_asked', topic: 'slow_restore' }) })]);
    expect((await store.read('webchat|conv-1')).handoff).toMatchObject({ status: 'queued' });
  });

  it('keeps the reply address the handoff began with when a later activity names another', async () => {
    await bot.handle(says('get me a human', { reference: { serviceUrl: 'https://first.test' } }));
    await bot.handle(says('hello?', { reference: { serviceUrl: 'https://attacker.test' } }));
    expect(await bot.referenceOf({ channelId: 'webchat', conversationId: 'conv-1' })).toEqual({ serviceUrl: 'https://first.test' });
  });

  it('tells a waiting customer their place once more, lets them withdraw, and closes the case', async () => {
    await bot.handle(says('get me a human'));
    expect(await texts(says('hello?'))).toBe('Still number 1 in the queue.');
    expect(await texts(says('hello??'))).toBe('');
    expect(await texts(says('cancel'))).toBe('Request cancelled.');
    expect(await queue.list()).toEqual([expect.objectContaining({ status: 'closed' })]);
    expect(await texts(says('my restore is slow'))).toMatch(/per gigabyte/);
  });

  it('gives the chat back when nobody accepted within the queue timeout', async () => {
    await bot.handle(says('get me a human'));
    clock = new Date(clock.getTime() + 61_000);
    expect(await texts(says('anyone?'))).toBe('No agent available.');
  });

  it('says plainly that nobody can take the chat when no console, hub or agent is there, and queues nothing', async () => {
    people = 'nobody';
    const asked = await bot.handle(says('get me a human'));
    expect(asked.replies.map((reply) => reply.text)).toEqual(['Nobody can take this chat.']);
    expect(asked.handoff).toBeUndefined();
    expect(await queue.list()).toEqual([]);
    expect(await texts(says('my restore is slow'))).toMatch(/per gigabyte/);
  });

  it('tells a customer not understood twice what it covers, with the menu, never that a person they did not ask for cannot come', async () => {
    people = 'nobody';
    await bot.handle(says('blah blah'));
    const again = await bot.handle(says('more blah'));
    expect(again.replies.map((reply) => reply.text)).toEqual(['I only help with restores.', content.phrases.menuPrompt]);
    expect(again.replies.at(-1)?.choices?.length).toBeGreaterThan(0);
    expect(again.handoff).toBeUndefined();
    expect(again.events?.some((event) => event.kind === 'handedOff')).toBe(false);
    expect(await queue.list()).toEqual([]);
  });

  it('keeps the customer in their walk-through, its question asked again, when a person asked for mid-way cannot come', async () => {
    people = 'nobody';
    await bot.handle(says('my restore is slow'));
    const asked = await bot.handle(says('get me a human'));
    expect(asked.replies.map((reply) => reply.text)).toEqual(['Nobody can take this chat; meanwhile, here we are.', 'It can take 1 to 4 hours per gigabyte. Are you travelling?']);
    expect(asked.replies.at(-1)?.choices).toEqual(['Yes', 'No']);
    expect(await texts(says('yes'))).toMatch(/slower away from home/);
  });

  it('takes up the problem told beside a request for a person who cannot come', async () => {
    people = 'nobody';
    const asked = await bot.handle(says('my restore is slow. get me a human'));
    expect(asked.replies.map((reply) => reply.text)).toEqual(['Nobody can take this chat; meanwhile, here we are.', 'It can take 1 to 4 hours per gigabyte. Are you travelling?']);
    expect(asked.handoff).toBeUndefined();
    expect(await queue.list()).toEqual([]);
  });

  it('takes up the problem told in a clause of a message read whole as a request for a person who cannot come', async () => {
    people = 'nobody';
    const asked = await bot.handle(says('my restore is slow. no bots, get me a human'));
    expect(asked.replies.map((reply) => reply.text)).toEqual(['Nobody can take this chat; meanwhile, here we are.', 'It can take 1 to 4 hours per gigabyte. Are you travelling?']);
    expect(asked.handoff).toBeUndefined();
  });

  it('never offers again a person nobody can take, asked for at the step that offered one: that step\'s "no" follows', async () => {
    people = 'nobody';
    await bot.handle(says('my restore is stuck'));
    const asked = await bot.handle(says('get me a human'));
    expect(asked.replies.map((reply) => reply.text)).toEqual(['Nobody can take this chat; meanwhile, here we are.', 'Alright.']);
    expect(asked.handoff).toBeUndefined();
  });

  it('answers a question asked beside accepting an offer of a person nobody can take, instead of dropping it, and goes on as if the offer were declined', async () => {
    people = 'nobody';
    const accepted = await acceptOfferAsking();
    expect(accepted.replies.map((reply) => reply.text)).toEqual(['Press the Home and Lock buttons at the same time.', 'Nobody can take this chat; meanwhile, here we are.', 'Alright.']);
    expect(accepted.handoff).toBeUndefined();
  });

  it('answers a question asked beside accepting an offer of a person while nobody is online, then offers to take a message', async () => {
    people = 'later';
    const accepted = await acceptOfferAsking();
    expect(accepted.replies.map((reply) => reply.text)[0]).toBe('Press the Home and Lock buttons at the same time.');
    expect(accepted.replies.at(-1)?.text).toBe('Nobody is online; write your message.');
  });

  it('answers a question asked beside accepting an offer of a person, then hands over', async () => {
    const accepted = await acceptOfferAsking();
    expect(accepted.replies.map((reply) => reply.text).slice(0, 2)).toEqual(['Press the Home and Lock buttons at the same time.', 'Passing you to a person now.']);
    expect(accepted.handoff?.reason).toBe('tree_handoff');
  });

  it('keeps conversations of two channels apart even when their ids are the same', async () => {
    await bot.handle(says('get me a human'));
    expect(await texts(says('my restore is slow', { channelId: 'msteams', channel: 'teams' }))).toMatch(/per gigabyte/);
  });

  it('counts the customers waiting ahead, and tells the wait once enough recent cases were accepted', async () => {
    const asks = (conversationId: string) => bot.handle(says('get me a human', { conversationId }));
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await asks(id);
      clock = new Date(clock.getTime() + 3 * 60_000);
      await queue.accept(`webchat|${id}`, 'Dana');
    }
    await asks('f');
    expect((await asks('g')).replies.at(-1)?.text).toBe('You are number 2 in the queue. Agents lately answer in 3 min.');
  });
});

describe('the router when nobody is online', () => {
  const caseOf = async () => (await queue.list()).find((item) => item.conversationId === 'conv-1');

  it('says so, offers to leave a message, and keeps the next one in the queue marked as a message', async () => {
    people = 'later';
    await bot.handle(says('my restore is slow'));
    const asked = await bot.handle(says('get me a human'));
    expect(asked.replies.map((reply) => reply.text)).toEqual(['Nobody is online; write your message.']);
    expect(asked.handoff).toBeUndefined();
    expect(await queue.list()).toEqual([]);

    expect(await texts(says('My restore stops at 80%, please call me back'))).toBe('Your message is kept.');
    expect(await caseOf()).toMatchObject({
      status: 'queued',
      context: { reason: 'customer_asked', topic: 'slow_restore' },
      leftMessage: { text: 'My restore stops at 80%, please call me back', at: clock.toISOString(), parts: 1 },
    });
  });

  it('adds what a worried customer writes next to the message, and stops growing it past the bound', async () => {
    people = 'later';
    await bot.handle(says('get me a human'));
    await bot.handle(says('My restore stops at 80%'));
    expect(await texts(says('hello? anyone there?'))).toBe('Added to your message.');
    expect((await caseOf())?.leftMessage).toMatchObject({ text: 'My restore stops at 80%\nhello? anyone there?', parts: 2 });
    for (let part = 3; part <= MAX_MESSAGE_PARTS; part += 1) await bot.handle(says(`still there? ${part}`));
    expect(await texts(says('one more'))).toBe('Your message is full.');
    expect((await caseOf())?.leftMessage?.parts).toBe(MAX_MESSAGE_PARTS);
  });

  it('takes no message when the customer says "never mind", and gives them the bot back', async () => {
    people = 'later';
    await bot.handle(says('get me a human'));
    expect(await texts(says('never mind'))).toBe('Request cancelled.');
    expect(await queue.list()).toEqual([]);
    expect(await texts(says('my restore is slow'))).toMatch(/per gigabyte/);
  });

  it('reads a bare "no thanks" to the offer as declining it, and "ok" as no message yet', async () => {
    people = 'later';
    await bot.handle(says('get me a human'));
    expect(await texts(says('ok'))).toBe('Write your message.');
    expect(await queue.list()).toEqual([]);
    expect(await texts(says('no thanks'))).toBe('Request cancelled.');
    expect(await queue.list()).toEqual([]);
  });

  it('adds no bare "no" to a message left, as an answer to "want to add something?"', async () => {
    people = 'later';
    await bot.handle(says('get me a human'));
    await bot.handle(says('My restore stops at 80%'));
    expect(await texts(says('nope'))).toBe('Your message stands.');
    expect((await caseOf())?.leftMessage).toMatchObject({ text: 'My restore stops at 80%', parts: 1 });
  });

  it('keeps no empty message: an emoji after the offer is answered and the offer stands', async () => {
    people = 'later';
    await bot.handle(says('get me a human'));
    expect(await texts(says('🙂'))).toBe('No text.');
    expect(await texts(says('my phone is stuck'))).toBe('Your message is kept.');
  });

  it('lets an offer nobody took up lapse: a question much later is answered by the bot', async () => {
    people = 'later';
    await bot.handle(says('get me a human'));
    clock = new Date(clock.getTime() + 61_000);
    expect(await texts(says('my restore is slow'))).toMatch(/per gigabyte/);
    expect(await queue.list()).toEqual([]);
  });

  it('queues the customer instead when an agent came online while they were writing', async () => {
    people = 'later';
    await bot.handle(says('get me a human'));
    people = 'now';
    expect(await texts(says('My restore stops at 80%'))).toBe('You are number 1 in the queue.');
    expect(await caseOf()).toMatchObject({ status: 'queued' });
    expect((await caseOf())?.leftMessage).toBeUndefined();
  });

  it('tells a queued customer when every agent went offline, and keeps what they wrote as a message', async () => {
    await bot.handle(says('get me a human'));
    people = 'later';
    expect(await texts(says('hello? anyone there?'))).toBe('The agents went offline; your words are kept as a message.');
    expect((await caseOf())?.leftMessage).toMatchObject({ text: 'hello? anyone there?', parts: 1 });
    expect(await texts(says('please call me'))).toBe('Added to your message.');
  });

  it('lets an agent who comes online accept a left message and answer it', async () => {
    people = 'later';
    await bot.handle(says('get me a human'));
    await bot.handle(says('My restore stops at 80%'));
    const { tell } = await queue.accept('webchat|conv-1', 'Dana');
    expect(tell.map((message) => message.text)).toEqual(['Dana joined.']);
    expect(await queue.say('webchat|conv-1', 'Dana', 'Let us look at it together.')).toEqual([{ text: 'Let us look at it together.', speaker: 'Dana' }]);
    expect(await texts(says('thank you!'))).toBe('');
  });
});

describe('the router and pictures', () => {
  const picture = { id: 'u'.repeat(22), name: 'alert.png', contentType: 'image/png' as const, bytes: 2048 };
  const address = { channelId: 'webchat', conversationId: 'conv-1' };

  it('acknowledges a picture sent alone, keeps it on the customer line and leaves the walk-through where it was', async () => {
    await bot.handle(says('my restore is slow'));
    const sent = await bot.handle(says('', { hasAttachments: true, uploads: [picture] }));
    expect(sent.replies.map((reply) => reply.text)).toEqual(['Kept your picture for the team.']);
    expect(sent.lines[0]).toMatchObject({ from: 'customer', text: '', attachments: [picture] });
    expect((await storage.transcripts.read(address)).find((line) => line.attachments)?.attachments).toEqual([picture]);
    expect(await texts(says('yes'))).toMatch(/slower away from home/);
  });

  it('asks for words instead of promising a person when nobody could see the picture', async () => {
    people = 'nobody';
    expect(await texts(says('', { hasAttachments: true, uploads: [picture] }))).toBe('Got your picture; nobody can look at it here.');
  });

  it('refuses a file that is not a picture with the size limit, and keeps nothing on the line', async () => {
    const sent = await bot.handle(says('', { hasAttachments: true, refusedUploads: ['notes.pdf'] }));
    expect(sent.replies.map((reply) => reply.text)).toEqual(['Cannot take that file, pictures up to 5 MB only.']);
    expect(sent.lines.some((line) => line.attachments)).toBe(false);
  });

  it('answers the words sent with a picture after acknowledging it', async () => {
    expect(await texts(says('my restore is slow', { hasAttachments: true, uploads: [picture] }))).toMatch(/^Kept your picture for the team\.\n[\s\S]*per gigabyte/);
  });

  it('lists pictures sent before the request for a person in the handoff summary', async () => {
    await bot.handle(says('', { hasAttachments: true, uploads: [picture] }));
    const asked = await bot.handle(says('get me a human'));
    expect(asked.handoff?.summary.attachments).toEqual([picture]);
    expect(((await queue.list()).find((item) => item.conversationId === 'conv-1') as any)?.context.attachments).toEqual([picture]);
  });

  it('passes a picture sent while waiting for a person to the transcript without a second acknowledgement', async () => {
    await bot.handle(says('get me a human'));
    const sent = await bot.handle(says('', { hasAttachments: true, uploads: [picture] }));
    expect(sent.replies.map((reply) => reply.text)).toEqual(['Still number 1 in the queue.']);
    expect(sent.lines[0]).toMatchObject({ from: 'customer', attachments: [picture] });
  });
});
