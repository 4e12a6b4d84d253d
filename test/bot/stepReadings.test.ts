import { describe, expect, it } from 'vitest';
import { StepReadings } from '../../src/bot/stepReadings.js';
import { ToldSteps } from '../../src/bot/toldSteps.js';
import type { TreeState } from '../../src/dialogs/engine.js';
import { deps, engine, moves, openAt } from '../support/shippedContent.js';

const steps = new StepReadings(deps, moves, new ToldSteps(deps, moves));
const texts = (outcome: { replies: readonly { text: string }[] } | undefined) => outcome?.replies.map((reply) => reply.text);

/** The Cannot Restore Backup walk-through after answering "No, still failing" `times` times. */
function failedSteps(times: number): TreeState {
  let { tree } = openAt('intro');
  for (let step = 0; step < times; step += 1) {
    const index = engine.choicesAt(tree).findIndex((choice) => choice.means === 'no');
    const next = engine.choose(tree, index);
    if (next.status !== 'waiting') throw new Error('the walk-through ended');
    tree = next.state;
  }
  return tree;
}

describe('readings of a message against the open step beyond its choices words', () => {
  it('keeps the step open for a step about to be tried, but not for an answer beside the plan, or a question, and keeps it without asking again for a plan for later', () => {
    const { state, tree } = openAt('intro');
    expect(steps.planned(state, tree, 'ok ill try an older backup and let you know')?.replies[0]?.text).toBe(deps.content.phrases.whenTried);
    expect(steps.planned(state, tree, 'ill try again, same error with all of them')).toBeUndefined();
    expect(texts(steps.planned(state, tree, "never mind, i'll try again tomorrow"))).toEqual([deps.content.phrases.whenTriedLater]);
    expect(texts(steps.planned(state, tree, 'ok ill leave it running overnight'))).toEqual([deps.content.phrases.whenTriedLater]);
    expect(steps.planned(state, tree, 'will it delete my photos')).toBeUndefined();
    const restart = openAt('restart');
    expect(steps.planned(restart.state, restart.tree, 'ok restarting it now')?.replies[0]?.text).toBe(deps.content.phrases.whenTried);
  });

  it('goes back to a step gone past when it is taken back as never tried, and only then', () => {
    const tree = failedSteps(2);
    expect(tree.node).toBe('storage');
    const state = { ...openAt('intro').state, tree };
    const back = steps.untriedStep(state, tree, 'hang on, i only tried the latest backup, i never tried the older ones');
    expect(back?.state.tree?.node).toBe('intro');
    expect(back?.replies[0]?.text).toBe(deps.content.phrases.stepUntried);
    expect(steps.untriedStep(state, tree, 'i tried the older ones too')).toBeUndefined();
  });

  it('gives the open step again when it was done only in part, and not for a step done in full', () => {
    const { state, tree } = openAt('intro');
    const again = steps.partlyTried(state, tree, 'only tried the newest backup so far');
    expect(again?.state.tree?.node).toBe('intro');
    expect(again?.replies[0]?.text).toBe(deps.content.phrases.stepPartlyTried);
    expect(steps.partlyTried(state, tree, 'there are two older ones, havent tried them')?.state.tree?.node).toBe('intro');
    expect(steps.partlyTried(state, tree, 'tried all three backups, same error')).toBeUndefined();
  });

  it('changes the answer before when a correction surely reads as another answer there, not when it repeats it', () => {
    const tree = failedSteps(1);
    const state = { ...openAt('intro').state, tree };
    expect(steps.correction(state, tree, 'wait actually no, another backup worked')?.state.tree).toBeUndefined();
    expect(steps.correction(state, tree, 'sorry, they all fail')).toBeUndefined();
  });

  it('reads the news after a contrast rather than the step answered before it', () => {
    const { tree } = openAt('wifi');
    const news = steps.newsOf(tree, 'connected to wifi yeah but it keeps saying the same error');
    expect(engine.choicesAt(tree)[news?.index ?? -1]?.means).toBe('no');
  });

  it('names the topic of a question asked after things told, but not one about the step itself', () => {
    const about = new Set(engine.aboutAt(openAt('restart').tree));
    const text = 'its charging and on wifi already. should i just erase it';
    const clauses = ['its charging and on wifi already', 'should i just erase it'];
    expect(steps.askedAfterTelling(text, clauses, about)).toBeDefined();
    expect(steps.askedAfterTelling('should i just erase it', ['should i just erase it'], about)).toBeUndefined();
  });
});
