import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Conversation } from '../../src/bot/conversation.js';
import { initialState, type ConversationState } from '../../src/bot/state.js';
import { loadContent } from '../../src/content/load.js';
import type { Content, Intent } from '../../src/content/types.js';
import { DialogEngine } from '../../src/dialogs/engine.js';
import type { InsightEvent } from '../../src/insights/events.js';
import type { ChoiceReading } from '../../src/nlu/choiceReader.js';
import type { Recognition } from '../../src/nlu/recognizer.js';

const minimal = loadContent(path.join(import.meta.dirname, '..', 'fixtures', 'minimal'));
const at = { file: 'kb/extra.yaml', line: 1, col: 1 };
const intent = (id: string, fields: Partial<Intent>): Intent => ({ id, title: id, source: 'conversation', followUps: [], examples: [], tests: [], answer: `${id} answer`, at, ...fields });
const extra = [
  intent('photos', { answer: 'Photos come back after your settings.' }),
  intent('carry_on', { action: 'resume' }),
  intent('failed_again', { action: 'reopen', answer: 'Which problem is it?' }),
  intent('hello', { action: 'greet', answer: 'Hi!' }),
  intent('bye', { action: 'goodbye', answer: 'Bye!' }),
  intent('start_over', { action: 'restart', answer: 'Starting over.' }),
  intent('go_back', { action: 'back', answer: 'Here it is again.' }),
  intent('clarify', { action: 'explain', answer: 'Sorry, that was not clear.' }),
  intent('help', { action: 'help', answer: 'I help with restores.' }),
  intent('frustration', { action: 'frustration', answer: 'Sorry, this is stressful.' }),
  intent('vague', { action: 'describe', answer: 'What is happening?' }),
  intent('person', { action: 'handoff', answer: 'Passing you to a person.' }),
];
const content: Content = { ...minimal, intents: [...minimal.intents, ...extra], intentById: new Map([...minimal.intentById, ...extra.map((item) => [item.id, item] as const)]) };

/** The recogniser and the choice reader stand in as tables: what each message is read as. */
function conversationWith(
  recognised: Record<string, string>,
  readings: Record<string, { index: number; score: number; offStep?: string[] }> = {},
  /** The words a recognised topic's nearest example shares with the message. */
  matched: Record<string, string[]> = {},
  /** Messages that only say the step was done. */
  doing: readonly string[] = [],
) {
  const engine = new DialogEngine(content.trees, (id) => content.intentById.get(id)?.answer);
  /** "person@0.56": the recogniser leans to that topic, unsure, at that confidence; "bye>none": it matches bye, none a close second. */
  const recognize = (text: string): Recognition => {
    const [first, runnerUp] = (recognised[text] ?? '').split('>');
    const [id, unsure] = (first ?? '').split('@');
    const explanation = { tokens: [], corrections: [], synonyms: [], stems: [], unknown: [], coverage: 1, matched: matched[text] ?? [] };
    if (id && unsure) return { verdict: 'unsure', confidence: Number(unsure), candidates: [{ intent: id, confidence: Number(unsure) }], explanation };
    const isNone = id === 'none';
    const second = runnerUp ? [{ intent: runnerUp, confidence: 0.7 }] : [];
    return id && !isNone
      ? { verdict: 'match', intent: id, confidence: 0.9, candidates: [{ intent: id, confidence: 0.9 }, ...second], explanation }
      : { verdict: 'out_of_scope', confidence: isNone ? 0.9 : 0.1, candidates: [], explanation };
  };
  const readChoice = (_choices: unknown, text: string): ChoiceReading | null => {
    const reading = readings[text];
    return reading ? { offStep: [], onlyNegation: false, opensAlike: false, plain: false, ...reading, margin: reading.score, nearestExample: text } : null;
  };
  const reportsDoing = (_choices: unknown, text: string): boolean => doing.includes(text);
  /** A question in the open step's own words: every word of it is in the step's text. */
  const asksAbout = (step: string, text: string): boolean => text.split(/\W+/).filter(Boolean).every((word) => step.toLowerCase().includes(word.toLowerCase()));
  /** The lines of an answer holding a word of the follow-up question, when all its words are in it. */
  const linesAsked = (answer: string, text: string): string[] => (asksAbout(answer, text) ? answer.split('\n').filter((line) => text.split(/\W+/).some((word) => word && line.toLowerCase().includes(word.toLowerCase()))) : []);
  /** The mood reader stands in as a word: a message with "useless" in it is upset. */
  const upset = (text: string): boolean => text.includes('useless');
  /** The choice reader stands in as a list: "no" and "nope" are bare noes, "yes" and "ok" bare yeses. */
  const bareAnswer = (text: string): 'yes' | 'no' | undefined => (['no', 'nope'].includes(text) ? 'no' : ['yes', 'ok'].includes(text) ? 'yes' : undefined);
  const conversation = new Conversation({ content, engine, recognize, readChoice, reportsDoing, asksAbout, tellsAbout: asksAbout, linesAsked, linesTold: () => [], upset, bareAnswer, acknowledges: (text) => text === 'ok' });
  let state: ConversationState = initialState();
  let events: readonly InsightEvent[] = [];
  const respond = (text: string) => {
    const outcome = conversation.respond(state, text);
    state = outcome.state;
    events = outcome.events ?? [];
    return outcome;
  };
  return {
    say(text: string) {
      return respond(text).replies.map((reply) => reply.text).join('\n');
    },
    choices(text: string) {
      return respond(text).replies.flatMap((reply) => reply.choices ?? []);
    },
    get state() {
      return state;
    },
    /** What the last message's turn recorded for insights. */
    get events() {
      return events;
    },
  };
}

describe('routing a message inside a walk-through', () => {
  it('takes a sure reading of the open question before the topic the message also mentions', () => {
    const chat = conversationWith({ 'slow again': 'slow_restore', 'yes, abroad and slow': 'slow_restore' }, { 'yes, abroad and slow': { index: 0, score: 0.6 } });
    chat.say('slow again');
    expect(chat.say('yes, abroad and slow')).toBe('Restores are slower away from home.\nAnything else?');
  });

  it('answers a side question from the KB, keeps the walk-through and offers to carry on where it was', () => {
    const chat = conversationWith({ slow: 'slow_restore', 'what about my photos': 'photos' });
    chat.say('slow');
    const replies = chat.choices('what about my photos');
    expect(chat.state.tree).toBeUndefined();
    expect(chat.state.suspended?.node).toBe('intro');
    expect(replies).toEqual(['Carry on']);
  });

  it('goes back to the kept step when asked to carry on, in words or with the button', () => {
    for (const goOn of ['lets continue', 'Carry on']) {
      const chat = conversationWith({ slow: 'slow_restore', photos: 'photos', 'lets continue': 'carry_on' });
      chat.say('slow');
      expect(chat.say('photos')).toBe('Photos come back after your settings.\nCarry on with Slow restore? We were at step 1.');
      expect(chat.say(goOn)).toBe('It can take 1 to 4 hours per gigabyte. Are you travelling?');
      expect(chat.state.tree?.node).toBe('intro');
    }
  });

  it('gives an out-of-scope message the scope reply and the open question, and the second in a row a person too', () => {
    const chat = conversationWith({ slow: 'slow_restore', pizza: 'none' });
    chat.say('slow');
    expect(chat.say('pizza')).toBe('Outside what I cover. Back to where we were.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
    expect(chat.choices('pizza')).toEqual(['Yes', 'No', minimal.phrases.handoffChoice]);
    expect(chat.state.tree?.node).toBe('intro');
  });

  it('meets an upset message no topic claims with sympathy, the open question again and a person beside its answers', () => {
    const chat = conversationWith({ slow: 'slow_restore', 'this is useless': 'none' });
    chat.say('slow');
    expect(chat.say('this is useless')).toBe('Sorry, this is stressful.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
    expect(chat.choices('this is useless')).toEqual(['Yes', 'No', minimal.phrases.handoffChoice]);
    expect(chat.state.tree?.node).toBe('intro');
    expect(chat.state.misses).toBe(0);
  });

  it('hands over when one part of a message asks for a person, whatever the rest answers, with the topic named', () => {
    const inside = conversationWith({ slow: 'slow_restore', 'get me a human': 'person' }, { 'yes abroad': { index: 0, score: 0.8 }, 'yes abroad, get me a human': { index: 0, score: 0.6 } });
    inside.say('slow');
    expect(inside.say('yes abroad, get me a human')).toBe('Passing you to a person.');
    const outside = conversationWith({ 'slow restore can i talk to someone': 'slow_restore', 'can i talk to someone': 'person' });
    expect(outside.say('slow restore can i talk to someone')).toBe('Passing you to a person.');
    expect(outside.events).toEqual([{ kind: 'handedOff', reason: 'customer_asked', topic: 'slow_restore' }]);
  });

  it('hands over on an order to be put through that the recogniser only leans to, and on no other request so unsure', () => {
    const chat = conversationWith({ 'put me through to them now': 'person@0.56', 'can i talk to them now': 'person@0.56' });
    expect(chat.say('yes put me through to them now')).toBe('Passing you to a person.');
    expect(chat.say('ok can i talk to them now')).not.toBe('Passing you to a person.');
  });

  it('takes a part that gives the last answer again as more of it, not as an answer to the next step', () => {
    const readings = { 'yes abroad': { index: 0, score: 0.8 }, 'in spain': { index: 0, score: 0.6 } };
    const chat = conversationWith({ slow: 'slow_restore' }, readings);
    chat.say('slow');
    expect(chat.say('yes abroad, in spain')).toBe('Restores are slower away from home.\nAnything else?');
  });

  it('gives a question that points back at the step the step again, however surely it is out of scope', () => {
    const chat = conversationWith({ slow: 'slow_restore', 'what if i skip it?': 'none', 'who painted the mona lisa?': 'none' });
    chat.say('slow');
    expect(chat.say('what if i skip it?')).toContain('Maybe outside what I cover. The step again.');
    expect(chat.say('who painted the mona lisa?')).toContain('Outside what I cover.');
  });

  it('answers an upset message that names a topic as that topic', () => {
    const chat = conversationWith({ 'useless slow restore': 'slow_restore' });
    expect(chat.say('useless slow restore')).toContain('Are you travelling?');
    expect(chat.state.tree?.node).toBe('intro');
  });

  it('gives a question the out-of-scope class does not surely claim the step again, and a statement the scope reply', () => {
    const chat = conversationWith({ slow: 'slow_restore' });
    chat.say('slow');
    expect(chat.say('and how am i supposed to check that?')).toBe('Maybe outside what I cover. The step again.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
    expect(chat.say('lorem ipsum dolor')).toBe('Outside what I cover. Back to where we were.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
    expect(chat.state.tree?.node).toBe('intro');
  });

  it('takes the one clause that answers when the others only tell how, and never across a contrast or a topic of their own', () => {
    const readings = { 'yes abroad': { index: 0, score: 0.8 } };
    const chat = conversationWith({ slow: 'slow_restore', 'the restore is slow': 'slow_restore' }, readings);
    chat.say('slow');
    expect(chat.say('yes abroad but the hotel wifi is bad')).not.toContain('slower away from home');
    expect(chat.say('yes abroad and the restore is slow')).not.toContain('slower away from home');
    expect(chat.state.tree?.node).toBe('intro');
    expect(chat.say('booked a hotel, yes abroad')).toBe('Restores are slower away from home.\nAnything else?');
  });

  it('reads a question whole, never as the answer a word inside it seems to take back', () => {
    const readings = { works: { index: 0, score: 0.9 } };
    const chat = conversationWith({ slow: 'slow_restore' }, readings);
    chat.say('slow');
    expect(chat.say('how long will it take once it actually works')).not.toContain('slower away from home');
    expect(chat.say('no wait, actually works')).toBe('Restores are slower away from home.\nAnything else?');
  });

  it('takes a "no" told before news that the problem is still there as the answer, never a "yes" so told', () => {
    const readings = { 'at home yeah': { index: 1, score: 0.8 }, 'yes abroad': { index: 0, score: 0.8 }, 'at home yeah but it is still failing': { index: 0, score: 0.3 } };
    const chat = conversationWith({ slow: 'slow_restore' }, readings);
    chat.say('slow');
    expect(chat.say('yes abroad but it is still failing')).not.toContain('slower away from home');
    expect(chat.say('at home yeah but it is still failing')).toBe('Anything else?');
  });

  it('never takes a statement for a side question when the topic rests only on the step\'s answer words, however sure it is', () => {
    const chat = conversationWith(
      { slow: 'slow_restore', 'did that twice already': 'photos', 'photos twice already': 'photos' },
      { 'did that twice already': { index: 1, score: 0.1, offStep: ['twice'] }, 'photos twice already': { index: 1, score: 0.1, offStep: ['photo', 'twice'] } },
      { 'did that twice already': ['already'], 'photos twice already': ['photo', 'already'] },
    );
    chat.say('slow');
    expect(chat.say('did that twice already')).not.toContain('Photos come back');
    expect(chat.state.tree?.node).toBe('intro');
    expect(chat.say('photos twice already')).toContain('Photos come back');
  });

  it('asks how it went when a message only says the step was done, where a yes would end the walk-through', () => {
    const chat = conversationWith({ slow: 'slow_restore', 'ok done': 'bye' }, { 'yep done that': { index: 0, score: 0.9 } }, {}, ['yep done that', 'ok done']);
    chat.say('slow');
    const again = 'Thanks for trying.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?';
    expect(chat.say('yep done that')).toBe(again);
    expect(chat.say('ok done')).toBe(again);
    expect(chat.state.tree?.node).toBe('intro');
  });

  it('takes the answer beside a clause that only says the step was done, whose "yep" is no answer', () => {
    const readings = { 'yep did that': { index: 0, score: 0.5 }, 'not travelling at all': { index: 1, score: 0.5 } };
    const chat = conversationWith({ slow: 'slow_restore' }, readings, {}, ['yep did that']);
    chat.say('slow');
    expect(chat.say('yep did that, not travelling at all')).toBe('Anything else?');
  });

  it('goes back to the step answered last, also after a "yes" that closed the walk-through, and says when there is none', () => {
    const chat = conversationWith({ slow: 'slow_restore', 'go back': 'go_back' });
    chat.say('slow');
    expect(chat.say('go back')).toBe('No step to go back to.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
    expect(chat.say('Yes')).toBe('Restores are slower away from home.\nAnything else?');
    expect(chat.say('go back')).toBe('Here it is again.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
    expect(chat.state.tree?.node).toBe('intro');
    expect(conversationWith({ 'go back': 'go_back' }).say('go back')).toBe('No step to go back to.\nPick a topic.');
  });

  it('answers each question of a message that asks two, a walk-through last, and only when each clause is surely its own topic', () => {
    const recognised = { 'why so slow and what about photos?': 'photos', 'why so slow': 'slow_restore', 'what about photos?': 'photos', 'photos and stuff': 'photos', photos: 'photos' };
    const chat = conversationWith(recognised);
    expect(chat.say('why so slow and what about photos?')).toBe('Photos come back after your settings.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
    expect(chat.state.tree?.node).toBe('intro');
    expect(chat.state.feedback).toBeUndefined();
    expect(conversationWith(recognised).say('photos and stuff')).toBe('Photos come back after your settings.');
  });

  it('walks through a problem told beside a statement that asks nothing, whatever topic the whole leans to', () => {
    const told = { 'so slow and my photos are in icloud': 'photos', 'so slow': 'slow_restore', 'my photos are in icloud': 'photos' };
    expect(conversationWith(told).say('so slow and my photos are in icloud')).toBe('It can take 1 to 4 hours per gigabyte. Are you travelling?');
    const asked = { 'so slow and are my photos in icloud?': 'photos', 'so slow': 'slow_restore', 'are my photos in icloud?': 'photos' };
    expect(conversationWith(asked).say('so slow and are my photos in icloud?')).toBe('Photos come back after your settings.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
  });

  it('explains a step the customer does not follow: the whole step again with a person beside its answers, counted for insights', () => {
    const chat = conversationWith({ slow: 'slow_restore', 'what do you mean': 'clarify' });
    chat.say('slow');
    expect(chat.say('what do you mean')).toBe('Sorry, that was not clear.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
    expect(chat.events).toEqual([{ kind: 'explained', tree: 'slow_restore', node: 'intro' }]);
    expect(chat.choices('what do you mean')).toEqual(['Yes', 'No', minimal.phrases.handoffChoice]);
    expect(chat.state.tree?.node).toBe('intro');
  });

  it('explains the step when a question on another topic is put in the step\'s own words, and answers one that is not', () => {
    const chat = conversationWith({ slow: 'slow_restore', 'per gigabyte?': 'photos', 'photos?': 'photos' });
    chat.say('slow');
    expect(chat.say('per gigabyte?')).toBe('That is in this step.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
    expect(chat.say('photos?')).toBe('Photos come back after your settings.\nCarry on with Slow restore? We were at step 1.');
  });

  it('takes a question that leans to goodbye without saying one for what the runner-up says, out of scope included', () => {
    const chat = conversationWith({ slow: 'slow_restore', 'whats a good film for tonight': 'bye>none' });
    chat.say('slow');
    expect(chat.say('whats a good film for tonight')).toBe('Outside what I cover. Back to where we were.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
  });

  it('explains the step when a statement in its own words leaves the recogniser unsure or out of scope', () => {
    const chat = conversationWith({ slow: 'slow_restore', 'it can take hours': 'photos@0.5', 'it can take 4 hours': 'none' });
    chat.say('slow');
    expect(chat.say('it can take hours')).toBe('That is in this step.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
    expect(chat.say('it can take 4 hours')).toBe('That is in this step.\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
  });

  it('reads a step done again and again as not having helped, and done once as not saying how it went', () => {
    const chat = conversationWith({ slow: 'slow_restore' }, {}, {}, ['tried it 5 times', 'tried it']);
    chat.say('slow');
    expect(chat.say('tried it')).toBe(`${minimal.phrases.howDidItGo}\nIt can take 1 to 4 hours per gigabyte. Are you travelling?`);
    expect(chat.say('tried it 5 times already')).toBe('Anything else?');
  });

  it('answers small talk and asks the open question again', () => {
    const chat = conversationWith({ slow: 'slow_restore', hi: 'hello' });
    chat.say('slow');
    expect(chat.say('hi')).toBe('Hi!\nIt can take 1 to 4 hours per gigabyte. Are you travelling?');
  });
});

describe('routing a message after a walk-through', () => {
  it('re-opens a walk-through that ended on "yes" at its "no", when the problem comes back', () => {
    const chat = conversationWith({ slow: 'slow_restore', 'it failed again': 'failed_again' });
    chat.say('slow');
    chat.say('Yes');
    expect(chat.state.reopen?.node).toBe('intro');
    expect(chat.say('it failed again')).toBe(`${minimal.phrases.reopened}\nAnything else?`);
  });

  it('never reads a sure command as the problem back, whatever answer of the step its words half-match', () => {
    const chat = conversationWith({ slow: 'slow_restore', 'start over': 'start_over' }, { 'start over': { index: 1, score: 0.47 } });
    chat.say('slow');
    chat.say('Yes');
    expect(chat.say('start over')).toBe('Starting over.\nPick a topic.');
    expect(chat.state.reopen).toBeUndefined();
  });

  it('takes a bare "no" to "anything else?" as nothing else, never the problem back, which still re-opens it later', () => {
    const chat = conversationWith({ slow: 'slow_restore', 'it failed again': 'failed_again' });
    chat.say('slow');
    chat.say('Yes');
    expect(chat.say('no')).toBe(minimal.phrases.nothingElse);
    expect(chat.say('it failed again')).toBe(`${minimal.phrases.reopened}\nAnything else?`);
  });

  it('takes a bare yes or "ok" outside a walk-through as "go ahead", with the menu', () => {
    const chat = conversationWith({ photos: 'photos' });
    chat.say('photos');
    expect(chat.say('ok')).toBe(`${minimal.phrases.goAhead}\nPick a topic.`);
  });

  it('answers "shall we carry on?" with a bare yes by carrying on, and with a bare no by keeping the walk-through for later', () => {
    const chat = conversationWith({ slow: 'slow_restore', photos: 'photos' });
    chat.say('slow');
    chat.say('photos');
    expect(chat.say('nope')).toBe('Leaving Slow restore for later.');
    expect(chat.state.suspended?.node).toBe('intro');
    expect(chat.say('yes')).toBe('It can take 1 to 4 hours per gigabyte. Are you travelling?');
    expect(chat.state.tree?.node).toBe('intro');
  });

  it('asks what is happening about a problem told in no particular words, with the menu; inside a walk-through the step is asked again', () => {
    const chat = conversationWith({ 'not working': 'vague', slow: 'slow_restore' });
    expect(chat.say('not working')).toBe('What is happening?\nPick a topic.');
    chat.say('slow');
    expect(chat.say('not working')).toBe(`${minimal.phrases.notUnderstoodChoice}\nIt can take 1 to 4 hours per gigabyte. Are you travelling?`);
    expect(chat.state.tree?.node).toBe('intro');
  });

  it('asks which part of an answer was unclear, with a person offered, and before any answer says what the bot does', () => {
    const chat = conversationWith({ photos: 'photos', huh: 'clarify' });
    expect(chat.say('huh')).toBe('I help with restores.\nPick a topic.');
    chat.say('photos');
    expect(chat.say('huh')).toBe(minimal.phrases.unclearAnswer);
    expect(chat.choices('huh')).toEqual([minimal.phrases.handoffChoice]);
  });

  it('answers "what now" after a person was asked for with what the bot covers, not with a person again', () => {
    const chat = conversationWith({ 'get me a human': 'person', 'what am i supposed to do now': 'clarify' });
    chat.say('get me a human');
    expect(chat.say('what am i supposed to do now')).toBe('I help with restores.\nPick a topic.');
  });

  it('takes a question that leans to goodbye on a word such as "later" for no goodbye, unless it says one', () => {
    const chat = conversationWith({ 'quick q can i stop it and do it later': 'bye', 'can i go now, bye': 'bye' });
    expect(chat.say('quick q can i stop it and do it later')).not.toContain('Bye!');
    expect(chat.say('can i go now, bye')).toBe('Bye!');
  });

  it('answers the one question after a story when it surely names the topic the unsure whole leans to, and only then', () => {
    const chat = conversationWith({ 'i deleted some, what about my photos': 'photos@0.5', 'what about my photos': 'photos', 'i deleted some, what about the slow one': 'photos@0.5', 'what about the slow one': 'slow_restore' });
    expect(chat.say('i deleted some, what about my photos')).toBe('Photos come back after your settings.');
    expect(chat.say('i deleted some, what about the slow one')).not.toContain('1 to 4 hours');
  });

  it('quotes the last answer for a question no topic claims that is put in that answer\'s words', () => {
    const chat = conversationWith({ photos: 'photos' });
    chat.say('photos');
    expect(chat.say('come back after settings?')).toBe(`${minimal.phrases.fromLastAnswer}\nPhotos come back after your settings.`);
  });

  it('has nothing to re-open or resume in a fresh conversation, and says so with the menu', () => {
    const chat = conversationWith({ 'it failed again': 'failed_again', 'lets continue': 'carry_on' });
    expect(chat.say('it failed again')).toBe('Which problem is it?\nPick a topic.');
    expect(chat.say('lets continue')).toBe(`${minimal.phrases.nothingToResume}\nPick a topic.`);
  });
});
