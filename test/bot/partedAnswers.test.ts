import { describe, expect, it } from 'vitest';
import { PartedAnswers } from '../../src/bot/partedAnswers.js';
import { initialState } from '../../src/bot/state.js';
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

  it('takes a backup told to have no date or size for no other backup tried, and only one backup for the step passed', () => {
    const { tree } = openAt('intro');
    expect(parts.triedAt(tree, 'theres no date or size on my backup')).toBe(false);
    expect(parts.triedAt(tree, 'there is just the one backup in the list')).toBe(true);
  });

  it('starts a walk-through past the steps the customer names as tried, in any order, and stops at the first they do not', () => {
    const started = moves.startTopic(initialState(), content.intentById.get('cannot_restore')!);
    const past = parts.pastDone(started, ['cannot restore backup', 'the wifi works fine', 'tried all three backups']);
    expect(past?.state.tree?.node).toBe('storage');
    expect(texts(past?.replies)).toContain("you've already tried other backups and Wi-Fi");
    expect(past?.events).toContainEqual({ kind: 'asked', topic: 'cannot_restore' });
  });

  it("takes a step's own subject named as done beside the problem for a step tried, never its trouble told", () => {
    const started = moves.startTopic(initialState(), content.intentById.get('cannot_restore')!);
    const done = parts.pastDone(started, ['cannot restore backup', 'already tried another backup', 'checked my wifi', 'cleared 30gb of space']);
    expect(done?.state.tree?.node).toBe('restart');
    const trouble = parts.pastDone(started, ['cannot restore backup', 'tried the older backups', 'my wifi keeps dropping']);
    expect(trouble?.state.tree?.node).toBe('wifi');
  });

  it('goes past every step a list inside a walk-through tells as tried, when it names three or more', () => {
    const { state, tree } = openAt('intro');
    const listed = parts.stepsListed(state, tree, 'been through the lot already: older backups, the wifi, clearing space, restarting it');
    expect(listed?.state.tree?.node).toBe('update');
    expect(texts(listed?.replies)).toContain("you've already tried other backups, Wi-Fi, storage on the device and restart");
    expect(parts.stepsListed(state, tree, 'tried that, no good')).toBeUndefined();
    expect(parts.stepsListed(state, tree, 'older backups, the wifi and clearing space?')).toBeUndefined();
  });

  it('starts the walk-through of a problem told beside nothing but steps of it already tried, and not beside anything else', () => {
    const told = parts.problemWithStepsTried(initialState(), 'cant restore backup on my iphone 12. before you ask ive already restarted it twice and its on the latest ios');
    expect(told?.state.tree?.tree).toBe('cannot_restore');
    expect(told?.state.askedText).toContain('restarted it twice');
    expect(parts.problemWithStepsTried(initialState(), 'cant restore backup on my iphone 12, and my photos are missing')).toBeUndefined();
    expect(parts.problemWithStepsTried(initialState(), 'i already set up my phone as new, how do i restore')).toBeUndefined();
  });

  it('never takes a part naming the problem itself, or another step, for a step tried', () => {
    const started = moves.startTopic(initialState(), content.intentById.get('cannot_restore')!);
    expect(parts.pastDone(started, ['restore failed', 'it says cannot restore backup'])).toBeUndefined();
    expect(parts.pastDone(started, ['cannot restore backup', 'i tried wifi'])).toBeUndefined();
    // Only the newest tried is the other backups not tried; giving in tells of no step.
    expect(parts.pastDone(started, ['fine whatever', 'i only tried the newest backup so far'])).toBeUndefined();
    expect(parts.pastDone(started, ['cannot restore backup', 'i picked the newest one'])).toBeUndefined();
  });
});
