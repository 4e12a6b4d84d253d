import { describe, expect, it } from 'vitest';
import { AfterAnswer } from '../../src/bot/afterAnswer.js';
import { Meaning } from '../../src/bot/meaning.js';
import { deps, moves, reader } from '../support/shippedContent.js';

const afterAnswer = new AfterAnswer({ ...deps, linesAsked: reader.linesAsked.bind(reader), linesTold: reader.linesTold.bind(reader) }, moves);
const upsetWords = /\b(?:pain|ridiculous|fed up)\b/i;
const meaning = new Meaning({ ...deps, upset: (text) => upsetWords.test(text) }, moves, afterAnswer);
const meant = (text: string) => meaning.meant(deps.recognize(text), text)?.id;
const askedPart = (text: string) => meaning.askedPart(text, deps.recognize(text))?.id;

describe('what a message means whole', () => {
  it('takes the one question of a message for what it means when an aside the recogniser is sure of nothing about tips the whole out of scope', () => {
    const text = 'can i see the icloud backups from my windows laptop? my phone is dead atm';
    // The whole as the recogniser left it before more examples: out of scope, the question's topic second.
    const outside = { ...deps.recognize(text), verdict: 'out_of_scope' as const, candidates: [{ intent: 'none_near', confidence: 0.83 }, { intent: 'no_backups_listed', confidence: 0.77 }] };
    expect(meaning.askedPart(text, outside)?.id).toBe('no_backups_listed');
  });

  it('takes the one question for what a message means when it names its topic more surely than the whole names the one its asides lean to', () => {
    const text = 'theres an old ipad mini on ios 7 in my drawer. where can i find its icloud backups on that version?';
    expect(deps.recognize(text).intent).toBe('no_backups_listed');
    expect(askedPart('my phone is old and on ios 12, the backup is from ios 16. should i update it?')).toBeUndefined();
    const leaning = { ...deps.recognize(text), intent: 'update_ios', confidence: 0.75, candidates: [{ intent: 'update_ios', confidence: 0.75 }] };
    expect(meaning.askedPart(text, leaning)?.id).toBe('no_backups_listed');
    expect(meaning.askedPart(text, { ...leaning, confidence: 0.95 })).toBeUndefined();
  });

  it('takes no command the customer says they do not want', () => {
    expect(deps.recognize('ok dont want to cancel anymore').intent).toBe('cancel');
    expect(meant('ok dont want to cancel anymore')).toBeUndefined();
    expect(meant('no need to start over')).toBeUndefined();
    expect(meant('cancel')).toBe('cancel');
  });

  it('keeps a message out of scope when its aside is surely outside too, near the domain', () => {
    expect(askedPart('my samsung is broken, can i restore my icloud backup to it?')).toBeUndefined();
  });

  it('takes the one question for what a message means when its aside is only its setting, far from the domain', () => {
    const text = 'my phone is in for repair right now. can i look at my icloud backups on my mac?';
    expect(deps.recognize(text).verdict).toBe('out_of_scope');
    expect(deps.recognize('my phone is in for repair right now').verdict).toBe('out_of_scope');
    expect(askedPart(text)).toBe('no_backups_listed');
  });

  it('takes a question of how to tell, or of where a thing it names is, for the topic behind it, never for not following', () => {
    expect(deps.recognize('how do i know its not frozen').intent).toBe('clarify');
    expect(meant('how do i know its not frozen')).toBe('restore_in_progress');
    expect(meant("i don't know what that means")).toBe('clarify');
    expect(meant('ok thx for explaining')).toBe('thanks');
    expect(meant('where is that stop thing exactly')).toBe('restore_in_progress');
    expect(meant('where is that')).toBe('clarify');
    expect(meant('where is that setting')).toBe('clarify');
  });

  it('takes a question of who is answering for what the bot can do, and a request for a person for one', () => {
    expect(meant('is this a real person')).toBe('bot_help');
    expect(meant('wait am i talking to a bot')).toBe('bot_help');
    expect(meant('r u a real person')).toBe('bot_help');
    expect(meant('is there a real person i can talk to')).toBe('human_agent');
  });

  it('tells an upset customer asking something outside the scope what it is, rather than calming them', () => {
    expect(meant('can i just restore it through itunes on my laptop instead, icloud is a pain')).toBeUndefined();
    expect(meant('this is ridiculous and i am fed up')).toBe('frustration');
  });

  it('calms an upset customer whose message leans to no topic much, the recogniser unsure', () => {
    const recognition = deps.recognize('such a pain honestly');
    expect(recognition.verdict).toBe('unsure');
    expect(recognition.candidates[0]?.confidence).toBeLessThan(0.5);
    expect(meant('such a pain honestly')).toBe('frustration');
    expect(meant('ugh. so its all a pain now?')).not.toBe('frustration');
  });

  it('takes "can I stop it?" for a question about stopping the restore when that topic is surely the runner-up, and for the command otherwise', () => {
    expect(meant('can i stop it?')).toBe('restore_in_progress');
    expect(meant('can i stop it tho')).toBe('restore_in_progress');
    expect(meant('can i cancel it')).toBe('cancel');
    expect(meant('stop')).toBe('cancel');
    // Whole or by its one question, as outsideWalkThrough.ts reads it.
    const story = 'i chose the wrong backup by mistake and its restoring now. can i stop it?';
    expect(meant(story) ?? askedPart(story)).toBe('restore_in_progress');
  });

  it('takes a question leaning to goodbye on "later" for the topic next in line, past a command its words ask about', () => {
    expect(deps.recognize('can i stop it and do it later?').intent).toBe('goodbye');
    expect(meant('can i stop it and do it later?')).toBe('restore_in_progress');
    const [first, ...next] = deps.recognize('and can i stop it and do this later').candidates.map((candidate) => candidate.intent).slice(0, 3);
    expect(first).toBe('goodbye');
    expect(next.sort()).toEqual(['cancel', 'restore_in_progress']);
    expect(meant('and can i stop it and do this later')).toBe('restore_in_progress');
  });

  it('takes no message telling that nothing works for a goodbye, unless it says one', () => {
    expect(deps.recognize('tried everything nothing works').intent).toBe('goodbye');
    expect(meant('tried everything nothing works')).toBeUndefined();
    expect(meant('nothing works, bye')).toBe('goodbye');
  });

  it('hears a goodbye inside a walk-through only when it says one or is sure', () => {
    const text = 'fibre 500mb and nothing else is using it';
    expect(meaning.meantInWalkThrough(deps.recognize(text), text)).toBeUndefined();
    expect(meaning.meantInWalkThrough(deps.recognize('ok bye'), 'ok bye')?.action).toBe('goodbye');
  });
});
