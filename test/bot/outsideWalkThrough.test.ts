import { describe, expect, it } from 'vitest';
import { AfterAnswer } from '../../src/bot/afterAnswer.js';
import { Meaning } from '../../src/bot/meaning.js';
import { OutsideWalkThrough } from '../../src/bot/outsideWalkThrough.js';
import { PartedAnswers } from '../../src/bot/partedAnswers.js';
import { initialState } from '../../src/bot/state.js';
import { ToldSteps } from '../../src/bot/toldSteps.js';
import { content, deps, moves, reader } from '../support/shippedContent.js';

const afterAnswer = new AfterAnswer({ ...deps, linesAsked: reader.linesAsked.bind(reader), linesTold: reader.linesTold.bind(reader) }, moves);
const meaning = new Meaning({ ...deps, upset: () => false }, moves, afterAnswer);
const parts = new PartedAnswers(deps, moves);
const outside = new OutsideWalkThrough({ ...deps, bareAnswer: reader.bareAnswer.bind(reader), acknowledges: reader.acknowledges.bind(reader) }, moves, meaning, parts, new ToldSteps(deps, moves), afterAnswer, () => {
  throw new Error('no walk-through is kept in these tests');
});
const respond = (text: string) => outside.respond(initialState(), text, deps.recognize(text));
const texts = (replies: readonly { text: string }[]) => replies.map((reply) => reply.text).join('\n');

describe('a message outside a walk-through', () => {
  it('starts the walk-through one clause of a story names and the whole leans to, past the steps the story says were tried', () => {
    // "long story" alone reads as a slow restore, which the whole does not lean to.
    const outcome = respond('ok long story, my daughter passed me her old iphone and every time i restore from icloud it says cannot restore backup. i already went through the older backups, none of them did it. checked my wifi too');
    expect(outcome.state.tree?.tree).toBe('cannot_restore');
    expect(outcome.state.tree?.node).toBe('storage');
    expect(texts(outcome.replies)).toContain("you've already tried other backups and Wi-Fi");
  });

  it("answers the one question a story asks before the walk-through it names, so the step's question stays open", () => {
    const outcome = respond('my ipad has been restoring for three days now and keeps pulling down apps. should i wipe it?');
    expect(outcome.replies[0]?.text).toBe(content.intentById.get('erase_device')?.answer);
    expect(outcome.replies[0]?.askFeedback).toBeUndefined();
    expect(outcome.state.tree?.tree).toBe('slow_restore');
  });
});
