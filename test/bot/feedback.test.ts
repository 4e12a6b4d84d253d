import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Feedback } from '../../src/bot/feedback.js';
import { initialState } from '../../src/bot/state.js';
import { loadContent } from '../../src/content/load.js';
import type { DialogChoice } from '../../src/content/types.js';
import type { ChoiceReading } from '../../src/nlu/choiceReader.js';

const content = loadContent(path.join(import.meta.dirname, '..', 'fixtures', 'minimal'));

/** The choice reader stands in as a table: how close each message is to "helpful" (0) or "not helpful" (1). */
const feedbackWith = (readings: Record<string, { index: number; score: number; margin?: number }>) =>
  new Feedback(content, (_choices: readonly DialogChoice[], text: string): ChoiceReading | null => {
    const reading = readings[text];
    return reading ? { nearestExample: '', offStep: [], onlyNegation: false, opensAlike: false, plain: false, margin: reading.score, ...reading } : null;
  });

describe('feedback on an answer', () => {
  it('reads the buttons\' labels in any case, and typed words only when they read surely as one rating', () => {
    const feedback = feedbackWith({ 'that helped': { index: 0, score: 0.8 }, 'meh kind of': { index: 1, score: 0.2 }, 'torn': { index: 0, score: 0.6, margin: 0.01 } });
    expect(feedback.read('HELPFUL')).toBe(true);
    expect(feedback.read('not helpful!')).toBe(false);
    expect(feedback.read('that helped')).toBe(true);
    expect(feedback.read('meh kind of')).toBeUndefined();
    expect(feedback.read('torn')).toBeUndefined();
  });

  it('takes a question for no rating unless it reads as one very closely', () => {
    const feedback = feedbackWith({ 'which backup is useful?': { index: 0, score: 0.4 }, 'was that the useful answer?': { index: 0, score: 0.7 } });
    expect(feedback.read('which backup is useful?')).toBeUndefined();
    expect(feedback.read('was that the useful answer?')).toBe(true);
  });

  it('thanks a helpful rating, and offers related topics and a person after an unhelpful one, with the question kept for the inbox', () => {
    const feedback = feedbackWith({});
    const about = { topic: 'slow_restore', question: 'why so slow' };
    const thanked = feedback.acknowledge(initialState(), about, true);
    expect(thanked.replies.map((reply) => reply.text)).toEqual(['Thanks!']);
    expect(thanked.events).toEqual([{ kind: 'feedback', helpful: true, topic: 'slow_restore' }]);
    const sorry = feedback.acknowledge(initialState(), about, false, 'too vague');
    expect(sorry.replies[0]?.text).toBe("Sorry that didn't help.");
    expect(sorry.replies[0]?.choices?.at(-1)).toBe(content.phrases.handoffChoice);
    expect(sorry.replies[0]?.choices).not.toContain(content.intentById.get('slow_restore')?.title);
    expect(sorry.events).toEqual([{ kind: 'feedback', helpful: false, topic: 'slow_restore', text: 'why so slow', comment: 'too vague' }]);
  });
});
