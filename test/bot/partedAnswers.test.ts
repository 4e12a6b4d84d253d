import { describe, expect, it } from 'vitest';
import { PartedAnswers } from '../../src/bot/partedAnswers.js';
import { content, deps, engine, moves, openAt, reader } from '../support/shippedContent.js';

const parts = new PartedAnswers(deps, moves);
const texts = (replies: readonly { text: string }[] | undefined) => (replies ?? []).map((reply) => reply.text).join('\n');

describe('a message in several parts inside a walk-through', () => {
  it("takes the next step's answer given early as that answer, saying the open step did not help", () => {
    const { state, tree } = openAt('intro');
    const text = 'the wifi is fine, the router is in the same room';
    const outcome = parts.answerAhead(state, tree, text, reader.read(engine.choicesAt(tree), text), content.intentById.get('wifi_connection'));
    expect(outcome?.state.tree?.node).toBe('storage');
    expect(texts(outcome?.replies)).toContain("I'll take it that step 1, other backups, didn't help");
  });

  it("never credits a fix the customer has not reached, nor reads a message the next step's topic does not claim", () => {
    const { state, tree } = openAt('intro');
    const restoring = 'it is restoring now';
    expect(parts.answerAhead(state, tree, restoring, reader.read(engine.choicesAt(tree), restoring), content.intentById.get('wifi_connection'))).toBeUndefined();
    const fine = 'the wifi is fine';
    expect(parts.answerAhead(state, tree, fine, reader.read(engine.choicesAt(tree), fine), content.intentById.get('storage_full'))).toBeUndefined();
  });

  it('takes a fix listed as already done after other answers for one more step that did not help, never for the fix', () => {
    const { state, tree } = openAt('wifi');
    const told = parts.severalAnswers(state, tree, ['wifi is fine too', 'i already deleted loads of stuff to make room']);
    expect(told?.state.tree?.node).toBe('restart');
    const fixed = parts.severalAnswers(state, tree, ['wifi is fine too', 'deleted loads of stuff and it works now']);
    expect(fixed?.state.tree).toBeUndefined();
  });

  it('answers a question after an answer and moves the walk-through on by the answer', () => {
    const { state, tree } = openAt('wifi');
    const outcome = parts.answerThenAsk(state, tree, ['the wifi is fine', 'how long does a restore take?']);
    expect(outcome?.state.tree?.node).toBe('storage');
    expect(outcome?.replies[0]?.text).toBe(content.intentById.get('slow_restore')?.answer);
    expect(outcome?.events).toContainEqual({ kind: 'asked', topic: 'slow_restore' });
  });

  it('reads answers that are no one step each as one answer together before the question after them', () => {
    const { state, tree } = openAt('wifi');
    const outcome = parts.answerThenAsk(state, tree, ['ok moved to the home wifi', 'the speed test is fine', 'still cant restore', 'how long does a restore take?']);
    expect(outcome?.state.tree?.node).toBe('storage');
    expect(outcome?.replies[0]?.text).toBe(content.intentById.get('slow_restore')?.answer);
  });

  it("leaves a question on the walk-through's own topic, or one after no sure answer, to the next reading", () => {
    const { state, tree } = openAt('wifi');
    expect(parts.answerThenAsk(state, tree, ['the wifi is fine', 'why does it say cannot restore backup?'])).toBeUndefined();
    expect(parts.answerThenAsk(state, tree, ['hmm', 'how long does a restore take?'])).toBeUndefined();
  });
});
