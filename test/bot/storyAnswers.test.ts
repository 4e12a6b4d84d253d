import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Moves } from '../../src/bot/moves.js';
import { StoryAnswers } from '../../src/bot/storyAnswers.js';
import { initialState, type ConversationState } from '../../src/bot/state.js';
import { loadContent } from '../../src/content/load.js';
import { DialogEngine, type TreeState } from '../../src/dialogs/engine.js';
import { ChoiceReader } from '../../src/nlu/choiceReader.js';
import { buildRecognizer } from '../../src/nlu/fromContent.js';

const content = loadContent(path.join(import.meta.dirname, '..', '..'));
const engine = new DialogEngine(content.trees, (id) => content.intentById.get(id)?.answer);
const recognizer = buildRecognizer(content);
const reader = new ChoiceReader(content);
const deps = {
  content,
  engine,
  recognize: (text: string) => recognizer.recognize(text),
  readChoice: reader.read.bind(reader),
  reportsDoing: reader.reportsDoing.bind(reader),
};
const moves = new Moves(deps);
const stories = new StoryAnswers(deps, moves);

/** The Cannot Restore Backup walk-through, open at `node`. */
function openAt(node: string): { state: ConversationState; tree: TreeState } {
  const start = engine.start('cannot_restore');
  if (start.status !== 'waiting') throw new Error('the walk-through asks nothing');
  const tree: TreeState = { ...start.state, node };
  return { state: { ...initialState(), tree }, tree };
}

describe('an answer hidden in a story or beside an aside', () => {
  it('finds the answer a story ends with, or an answer followed by words that answer nothing', () => {
    const { state, tree } = openAt('restart');
    expect(stories.storyOutcome(state, tree, 'held the buttons, rebooted, tried again and it went through!!! omg')?.state.tree).toBeUndefined();
    expect(stories.answerBeforeAside(state, tree, 'that didnt do anything either im literally going to cry')?.state.tree?.node).toBe('update');
    const storage = openAt('storage');
    expect(stories.answerBeforeAside(storage.state, storage.tree, 'it says 50 something gb available so thats not it')?.state.tree?.node).toBe('restart');
  });

  it('finds no answer in a story with news of its own, a question, or a negation cut from what it denies', () => {
    const { state, tree } = openAt('restart');
    expect(stories.storyOutcome(state, tree, 'rebooted, now half my photos are missing from the restore, it went through')).toBeUndefined();
    expect(stories.answerBeforeAside(state, tree, 'that didnt do anything either how long does a restore take')).toBeUndefined();
    const wifi = openAt('wifi');
    expect(stories.answerBeforeAside(wifi.state, wifi.tree, "i don't know what wifi is")).toBeUndefined();
    expect(stories.storyOutcome(wifi.state, wifi.tree, 'ok back to it, wifi is on and working')).toBeUndefined();
    expect(stories.answerBeforeAside(wifi.state, wifi.tree, 'its on wifi yeah the home one, router is right next to me')?.state.tree).toBeDefined();
  });
});
