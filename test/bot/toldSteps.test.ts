import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/bot/state.js';
import { ToldSteps } from '../../src/bot/toldSteps.js';
import { content, deps, moves, openAt } from '../support/shippedContent.js';

const told = new ToldSteps(deps, moves);
const texts = (replies: readonly { text: string }[] | undefined) => (replies ?? []).map((reply) => reply.text).join('\n');

describe('steps the customer says were already tried', () => {
  it('takes free space told too small for the backup for the storage step\'s trouble, never a step tried', () => {
    const { tree } = openAt('storage');
    expect(told.triedAt(tree, '2 gb free and the backup is 9 gb')).toBe(false);
    expect(told.triedAt(tree, 'only 3gb free')).toBe(false);
    expect(told.triedAt(tree, 'there is 40 gb free for a 9 gb backup')).toBe(true);
  });

  it('takes a backup told to have no date or size for no other backup tried, and only one backup for the step passed', () => {
    const { tree } = openAt('intro');
    expect(told.triedAt(tree, 'theres no date or size on my backup')).toBe(false);
    expect(told.triedAt(tree, 'there is just the one backup in the list')).toBe(true);
  });

  it('starts a walk-through past the steps the customer names as tried, in any order, and stops at the first they do not', () => {
    const started = moves.startTopic(initialState(), content.intentById.get('cannot_restore')!);
    const past = told.pastDone(started, ['cannot restore backup', 'the wifi works fine', 'tried all three backups']);
    expect(past?.state.tree?.node).toBe('storage');
    expect(texts(past?.replies)).toContain("you've already tried other backups and Wi-Fi");
    expect(past?.events).toContainEqual({ kind: 'asked', topic: 'cannot_restore' });
  });

  it("takes a step's own subject named as done beside the problem for a step tried, never its trouble told", () => {
    const started = moves.startTopic(initialState(), content.intentById.get('cannot_restore')!);
    const done = told.pastDone(started, ['cannot restore backup', 'already tried another backup', 'checked my wifi', 'cleared 30gb of space']);
    expect(done?.state.tree?.node).toBe('restart');
    const trouble = told.pastDone(started, ['cannot restore backup', 'tried the older backups', 'my wifi keeps dropping']);
    expect(trouble?.state.tree?.node).toBe('wifi');
  });

  it('goes past every step a list inside a walk-through tells as tried, when it names three or more', () => {
    const { state, tree } = openAt('intro');
    const listed = told.stepsListed(state, tree, 'been through the lot already: older backups, the wifi, clearing space, restarting it');
    expect(listed?.state.tree?.node).toBe('update');
    expect(texts(listed?.replies)).toContain("you've already tried other backups, Wi-Fi, storage on the device and restart");
    expect(told.stepsListed(state, tree, 'tried that, no good')).toBeUndefined();
    expect(told.stepsListed(state, tree, 'older backups, the wifi and clearing space?')).toBeUndefined();
  });

  it('starts the walk-through of a problem told beside nothing but steps of it already tried, and not beside anything else', () => {
    const started = told.problemWithStepsTried(initialState(), 'cant restore backup on my iphone 12. before you ask ive already restarted it twice and its on the latest ios');
    expect(started?.state.tree?.tree).toBe('cannot_restore');
    expect(started?.state.askedText).toContain('restarted it twice');
    expect(told.problemWithStepsTried(initialState(), 'cant restore backup on my iphone 12, and my photos are missing')).toBeUndefined();
    expect(told.problemWithStepsTried(initialState(), 'i already set up my phone as new, how do i restore')).toBeUndefined();
  });

  it('never takes a part naming the problem itself, or another step, for a step tried', () => {
    const started = moves.startTopic(initialState(), content.intentById.get('cannot_restore')!);
    expect(told.pastDone(started, ['restore failed', 'it says cannot restore backup'])).toBeUndefined();
    expect(told.pastDone(started, ['cannot restore backup', 'i tried wifi'])).toBeUndefined();
    // Only the newest tried is the other backups not tried; giving in tells of no step.
    expect(told.pastDone(started, ['fine whatever', 'i only tried the newest backup so far'])).toBeUndefined();
    expect(told.pastDone(started, ['cannot restore backup', 'i picked the newest one'])).toBeUndefined();
  });
});
