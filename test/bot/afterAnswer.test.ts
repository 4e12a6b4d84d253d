import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AfterAnswer } from '../../src/bot/afterAnswer.js';
import { withFigures } from '../../src/bot/freeSpace.js';
import { Moves } from '../../src/bot/moves.js';
import { initialState, type ConversationState } from '../../src/bot/state.js';
import { loadContent } from '../../src/content/load.js';
import type { Intent } from '../../src/content/types.js';
import { DialogEngine } from '../../src/dialogs/engine.js';
import { ChoiceReader } from '../../src/nlu/choiceReader.js';
import { buildRecognizer } from '../../src/nlu/fromContent.js';

const content = loadContent(path.join(import.meta.dirname, '..', '..'));
const recognizer = buildRecognizer(content);
const reader = new ChoiceReader(content);
const engine = new DialogEngine(content.trees, (id) => content.intentById.get(id)?.answer);
const deps = { content, engine, linesAsked: (answer: string, text: string) => reader.linesAsked(answer, text), linesTold: (answer: string, text: string) => reader.linesTold(answer, text) };
const after = new AfterAnswer(deps, new Moves(deps));
const answered = (topic: string): ConversationState => ({ ...initialState(), lastIntent: topic });
const texts = (replies: readonly { text: string }[] | undefined) => (replies ?? []).map((reply) => reply.text);

describe('a message read against the answer just given', () => {
  it('hears that the advice worked, and not when the news is asked, contrasted or still failing', () => {
    const worked = (text: string, state = answered('which_backup')) => texts(after.workedAfterAnswer(state, text, recognizer.recognize(text))?.replies)[0];
    expect(worked('the one from 2 days ago worked!! its restoring now')).toBe(content.phrases.workedAfterAnswer);
    expect(worked('the older one did the trick')).toBe(content.phrases.workedAfterAnswer);
    expect(worked('the older one worked?')).toBeUndefined();
    expect(worked('it worked but now its really slow')).toBeUndefined();
    expect(worked('the older one never worked')).toBeUndefined();
    expect(worked('still the same error, nothing worked')).toBeUndefined();
    expect(worked('the older one worked', initialState())).toBeUndefined();
  });

  it('quotes the lines of the last answer a follow-up asks about, and nothing when it asks about anything else', () => {
    const quoted = after.quoteLastAnswer(answered('restore_in_progress'), 'where in settings do i find that exactly');
    expect(texts(quoted?.replies)[0]).toBe(content.phrases.fromLastAnswer);
    expect(texts(quoted?.replies)[1]).toContain('Settings > iCloud > Backup');
    expect(after.quoteLastAnswer(answered('restore_in_progress'), 'how do i pick the right backup next time?')).toBeUndefined();
    expect(after.quoteLastAnswer(initialState(), 'where in settings do i find that exactly')).toBeUndefined();
  });

  it('quotes the lines of the last answer a short follow-up turning its case another way asks about, and nothing for a long or told one', () => {
    const quoted = after.followsOn(answered('photos_in_backup'), 'and if it was off?');
    expect(texts(quoted?.replies)[1]).toContain('turned off');
    expect(after.followsOn(answered('photos_in_backup'), 'it was off')).toBeUndefined();
    expect(after.followsOn(answered('photos_in_backup'), 'and if it was off would the photos from my old ipad come back onto the new phone?')).toBeUndefined();
  });

  it('quotes the menu paths of the last answer for a "where" pointing back at it that names nothing in it', () => {
    const quoted = after.quoteLastAnswer(answered('restore_in_progress'), 'where do i find that');
    expect(texts(quoted?.replies)[1]).toMatch(/^To check whether a restore is running, go to \*\*Settings > iCloud > Backup\*\*/);
    expect(after.quoteLastAnswer(answered('restore_in_progress'), 'why is that')).toBeUndefined();
  });

  it('gives the last answer again, with the scope, for a question pointing back at it that no topic claims', () => {
    const text = 'so are they on my old phone then?';
    const again = after.backAtAnswer(answered('photos_in_backup'), text, recognizer.recognize(text));
    expect(texts(again?.replies)).toEqual([content.phrases.unsureAfterAnswer, content.intentById.get('photos_in_backup')?.answer]);
    expect(again?.events).toEqual([{ kind: 'unplaced', why: 'out_of_scope', text }]);
    const typed = 'how come tho its the same model phone';
    expect(texts(after.backAtAnswer(answered('update_ios'), typed, { ...recognizer.recognize(typed), verdict: 'out_of_scope' })?.replies)[1]).toBe(content.intentById.get('update_ios')?.answer);
    const unsure = 'wait would that wipe what i already put on it?';
    expect(texts(after.backAtAnswer(answered('erase_device'), unsure, { ...recognizer.recognize(unsure), verdict: 'unsure' })?.replies)).toEqual([content.phrases.againAfterAnswer, content.intentById.get('erase_device')?.answer]);
    const statement = 'my cat is on the sofa';
    expect(after.backAtAnswer(answered('photos_in_backup'), statement, recognizer.recognize(statement))).toBeUndefined();
    expect(after.backAtAnswer(initialState(), text, recognizer.recognize(text))).toBeUndefined();
    // A "but" setting the customer's case against the answer, its topic among the two guesses.
    const pushed = 'but the newest one has the texts i deleted on monday';
    const guesses = { ...recognizer.recognize(pushed), verdict: 'out_of_scope' as const, candidates: [{ intent: 'none_near', confidence: 0.5 }, { intent: 'which_backup', confidence: 0.43 }] };
    expect(texts(after.backAtAnswer(answered('which_backup'), pushed, guesses)?.replies)[1]).toBe(content.intentById.get('which_backup')?.answer);
    expect(after.backAtAnswer(answered('photos_in_backup'), pushed, guesses)).toBeUndefined();
  });

  it('gives the last answer again for a question checking what it said, and nothing for one asking something else', () => {
    const again = after.checkedAgainstAnswer(answered('photos_in_backup'), 'ah so they are safe then?');
    expect(texts(again?.replies)).toEqual([content.phrases.againAfterAnswer, content.intentById.get('photos_in_backup')?.answer]);
    expect(after.checkedAgainstAnswer(answered('photos_in_backup'), 'so they are safe then')).toBeUndefined();
    expect(after.checkedAgainstAnswer(answered('photos_in_backup'), 'what about my videos?')).toBeUndefined();
    expect(after.checkedAgainstAnswer(initialState(), 'so they are safe then?')).toBeUndefined();
  });

  it('hears a thank-you in a story the recogniser is unsure of when thanks is its first or second guess', () => {
    const text = 'ok leaving it be then, cheers';
    const recognition = { ...recognizer.recognize(text), verdict: 'unsure' as const, candidates: [{ intent: 'goodbye', confidence: 0.52 }, { intent: 'thanks', confidence: 0.51 }, { intent: 'cancel', confidence: 0.5 }] };
    expect(after.signedOff(recognition, text)?.id).toBe('thanks');
    expect(after.signedOff({ ...recognition, candidates: [{ intent: 'cancel', confidence: 0.52 }, { intent: 'goodbye', confidence: 0.51 }] }, text)).toBeUndefined();
    expect(after.signedOff(recognition, 'cheers but it failed again')).toBeUndefined();
  });

  it('starts the walk-through an answer points to when asked what to do next, and not for another topic or with no answer before', () => {
    const started = after.walkThroughNext(answered('recovery_tools'), 'ok so what should i try first then', undefined);
    expect(started?.state.tree?.tree).toBe('cannot_restore');
    expect(after.walkThroughNext(answered('recovery_tools'), 'so what do i do about slow restores', content.intentById.get('slow_restore'))).toBeUndefined();
    expect(after.walkThroughNext(answered('recovery_tools'), 'ok thanks', undefined)).toBeUndefined();
    expect(after.walkThroughNext(initialState(), 'now what', undefined)).toBeUndefined();
  });

  it('takes a story ending in thanks for a thank-you when the recogniser leans that way, never one taking it back', () => {
    // The recogniser's lean, made unsure: its examples may by now match the story outright.
    const unsure = (text: string) => ({ ...recognizer.recognize(text), verdict: 'unsure' as const });
    const thanks = 'all restored and working again, just saying thanks';
    expect(after.signedOff(unsure(thanks), thanks)?.action).toBe('thanks');
    const lean = unsure(thanks);
    expect(after.signedOff({ ...lean, candidates: [{ intent: 'thanks', confidence: 0.5 }] }, 'thanks but it failed again')).toBeUndefined();
    expect(after.signedOff({ ...lean, candidates: [{ intent: 'thanks', confidence: 0.5 }] }, 'all restored and working again')).toBeUndefined();
  });

  it('carries on from the walk-through step an answer was, when the problem is still there, and not for anything else', () => {
    const carried = after.stepAfterAnswer(answered('storage_full'), 'cleared some room, same error still', undefined);
    expect(carried?.state.tree).toMatchObject({ tree: 'cannot_restore', node: 'restart' });
    expect(carried?.state.lastIntent).toBe('cannot_restore');
    expect(texts(carried?.replies)[0]).toBe(content.phrases.stillFailingAfterAnswer.replace('{tree}', 'Cannot Restore Backup'));
    expect(after.stepAfterAnswer(answered('storage_full'), 'cleared some room, it works now', undefined)).toBeUndefined();
    expect(after.stepAfterAnswer(answered('storage_full'), 'does it still fail if the ipad is full?', undefined)).toBeUndefined();
    expect(after.stepAfterAnswer(answered('storage_full'), 'still stuck on the photos', content.intentById.get('photos_in_backup'))).toBeUndefined();
    expect(after.stepAfterAnswer(answered('photos_in_backup'), 'still the same error', undefined)).toBeUndefined();
  });
  it('weighs free space told against the backup after the answer of the topic the KB marks freeSpace, whatever its id', () => {
    const told = 'it says 3.2 GB available and the backup is 14 GB';
    const weighed = (judge: AfterAnswer, topic: string) => texts(judge.spaceAgainstAnswer(answered(topic), told)?.replies)[0];
    expect(weighed(after, 'storage_full')).toBe(withFigures(content.phrases.backupTooBig, { free: 3.2, size: 14, fits: false }));
    expect(weighed(after, 'wifi_connection')).toBeUndefined();
    const marked = (intent: Intent): Intent => {
      const { freeSpace: _, ...rest } = intent;
      return intent.id === 'wifi_connection' ? { ...rest, freeSpace: true } : rest;
    };
    const remarked = { ...content, intentById: new Map([...content.intentById].map(([id, intent]) => [id, marked(intent)])) };
    const moved = new AfterAnswer({ ...deps, content: remarked }, new Moves({ ...deps, content: remarked }));
    expect(weighed(moved, 'storage_full')).toBeUndefined();
    expect(weighed(moved, 'wifi_connection')).toBe(weighed(after, 'storage_full'));
  });
});
