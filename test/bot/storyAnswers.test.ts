import { describe, expect, it } from 'vitest';
import { PartedAnswers } from '../../src/bot/partedAnswers.js';
import { StoryAnswers } from '../../src/bot/storyAnswers.js';
import { deps, moves, openAt } from '../support/shippedContent.js';

const stories = new StoryAnswers(deps, moves, new PartedAnswers(deps, moves));

describe('an answer hidden in a story or beside an aside', () => {
  it('finds the answer a story ends with, or an answer followed by words that answer nothing', () => {
    const { state, tree } = openAt('restart');
    expect(stories.storyOutcome(state, tree, 'held the buttons, rebooted, tried again and it went through!!! omg')?.state.tree).toBeUndefined();
    expect(stories.answerBeforeAside(state, tree, 'that didnt do anything either im literally going to cry')?.state.tree?.node).toBe('update');
    const storage = openAt('storage');
    expect(stories.answerBeforeAside(storage.state, storage.tree, 'it says 50 something gb available so thats not it')?.state.tree?.node).toBe('restart');
  });

  it('answers the steps after it with the clauses after the outcome that surely answer them, and leaves others as the story', () => {
    const { state, tree } = openAt('restart');
    expect(stories.storyOutcome(state, tree, 'rebooted it, nothing different. also its on ios 17.4 and settings say it is up to date')?.state.tree?.node).toBe('offer_agent');
    expect(stories.storyOutcome(state, tree, 'rebooted it, nothing different. also my cat sat on it')?.state.tree?.node).toBe('update');
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
