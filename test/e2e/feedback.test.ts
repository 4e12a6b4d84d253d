import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEvents } from '../../src/insights/recorder.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { choicesOf, conversation, startBot, textOf, type RunningBot } from '../support/botServer.js';

/**
 * Feedback through the real server: buttons under a web chat answer, typed feedback, Teams'
 * feedback loop (its `message/submitAction` invoke answered 200), and what each records.
 */
const TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/amer/6babcaad-604b-40ac-a9d7-9fd97c0b779f/';
const fixture = (name: string): Record<string, any> => JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'teams', `${name}.json`), 'utf8'));

let bot: RunningBot;
let storage: StorageBackend;
beforeEach(async () => {
  storage = openSqliteStorage(IN_MEMORY);
  bot = await startBot({ AGENT_TOKENS: 'ana=ana-token-0123456789' }, { storage, serviceUrls: [TEAMS_SERVICE_URL] });
});
afterEach(async () => {
  await bot.close();
  await storage.close();
});

async function events() {
  // The recorder's batch goes out in the next pass of the event loop, its group commit in the one after.
  for (let pass = 0; pass < 2; pass += 1) await new Promise((resolve) => setImmediate(resolve));
  return (await readEvents(storage.events)).map((recorded) => recorded.event);
}

const phrases = () => bot.assembly.content.phrases;

describe('feedback in web chat', () => {
  it('offers "helped" and "not helpful" buttons under an answer', async () => {
    const chat = conversation(bot);
    const { replies } = await chat.say('which of my backups should I restore from?');
    expect(choicesOf(replies)).toEqual(expect.arrayContaining([phrases().helpfulChoice, phrases().notHelpfulChoice]));
  });

  it('asks nothing about a walk-through until it ends', async () => {
    const chat = conversation(bot);
    const { replies } = await chat.say('it keeps saying cannot restore backup');
    expect(choicesOf(replies)).not.toContain(phrases().helpfulChoice);
  });

  it('thanks the customer for a click on "helped" and counts it for the topic', async () => {
    const chat = conversation(bot);
    await chat.say('which of my backups should I restore from?');
    const { replies } = await chat.say(phrases().helpfulChoice);
    expect(textOf(replies)).toContain(phrases().feedbackThanks);
    expect(await events()).toContainEqual({ kind: 'feedback', helpful: true, topic: 'which_backup' });
  });

  it('answers "not helpful" with another way on (related topics and a person), keeping the question for the inbox', async () => {
    const chat = conversation(bot);
    await chat.say('which of my backups should I restore from?');
    const { replies } = await chat.say(phrases().notHelpfulChoice);
    expect(textOf(replies)).toContain(phrases().feedbackSorry);
    const offered = choicesOf(replies);
    expect(offered).toContain(phrases().handoffChoice);
    expect(offered.length).toBeGreaterThan(1);
    expect(await events()).toContainEqual({ kind: 'feedback', helpful: false, topic: 'which_backup', text: 'which of my backups should I restore from?' });
    // The related topics offered are clickable like any offer.
    const { replies: next } = await chat.say(offered[0]!);
    expect(textOf(next)).not.toContain(phrases().feedbackSorry);
    expect(await events()).toContainEqual({ kind: 'asked', topic: bot.assembly.content.intents.find((intent) => intent.title === offered[0])?.id });
  });

  it('reads typed feedback such as "that didn\'t answer my question" as not helpful', async () => {
    const chat = conversation(bot);
    await chat.say('which of my backups should I restore from?');
    const { replies } = await chat.say("hmm that didn't answer my question");
    expect(textOf(replies)).toContain(phrases().feedbackSorry);
  });

  it('asks once: a message that is not feedback moves on and the next one is read as usual', async () => {
    const chat = conversation(bot);
    await chat.say('which of my backups should I restore from?');
    await chat.say('my restore is slow');
    const { replies } = await chat.say(phrases().notHelpfulChoice);
    expect(textOf(replies)).not.toContain(phrases().feedbackSorry);
    expect((await events()).filter((event) => event.kind === 'feedback')).toEqual([]);
  });

  it('asks at the end of a walk-through that worked, for the walk-through\'s topic', async () => {
    const chat = conversation(bot);
    await chat.say('it keeps saying cannot restore backup');
    await chat.say('No, still failing');
    const { replies } = await chat.say('Yes, it\'s restoring now');
    expect(choicesOf(replies)).toContain(phrases().helpfulChoice);
    await chat.say(phrases().helpfulChoice);
    expect(await events()).toContainEqual({ kind: 'feedback', helpful: true, topic: 'cannot_restore', tree: 'cannot_restore' });
  });
});

describe("feedback in Teams", () => {
  it('turns on the feedback loop under an answer instead of adding buttons', async () => {
    const mark = bot.sent.length;
    await bot.post({ ...fixture('personal-message'), text: 'which of my backups should I restore from?', attachments: [] });
    const answer = bot.sent.slice(mark).find((activity) => activity.body.channelData?.feedbackLoopEnabled === true);
    expect(answer).toBeDefined();
    expect(choicesOf(bot.sent.slice(mark))).not.toContain(phrases().helpfulChoice);
  });

  it('answers the thumbs-down invoke with 200 (not 501), counts it and offers a way on', async () => {
    await bot.post({ ...fixture('personal-message'), text: 'which of my backups should I restore from?', attachments: [] });
    const mark = bot.sent.length;
    const response = await bot.post(fixture('invoke-feedback-dislike'));
    expect(response.status).toBe(200);
    expect(textOf(bot.sent.slice(mark))).toContain(phrases().feedbackSorry);
    expect(await events()).toContainEqual({ kind: 'feedback', helpful: false, topic: 'which_backup', text: 'which of my backups should I restore from?', comment: 'it did not say how long it takes on mobile data' });
  });

  it("keeps a thumbs-down comment masked like any customer text, and bounded", async () => {
    await bot.post({ ...fixture('personal-message'), text: 'which of my backups should I restore from?', attachments: [] });
    const dislike = fixture('invoke-feedback-dislike');
    const comment = `call me on +44 20 7946 0958 or mail ada@example.com ${'so slow '.repeat(200)}`;
    await bot.post({ ...dislike, id: 'f:masked', value: { actionName: 'feedback', actionValue: { reaction: 'dislike', feedback: JSON.stringify({ feedbackText: comment }) } } });
    const kept = (await events()).filter((event) => event.kind === 'feedback' && event.comment?.startsWith('call me'));
    expect(kept).toHaveLength(1);
    const [event] = kept as { comment: string }[];
    expect(event!.comment).not.toMatch(/7946|ada@example\.com/);
    expect(event!.comment.length).toBeLessThanOrEqual(500);
  });

  it('still answers other invokes with 501', async () => {
    const response = await bot.post(fixture('invoke-adaptive-card-action'));
    expect(response.status).toBe(501);
  });
});
