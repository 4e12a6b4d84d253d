import { describe, expect, it } from 'vitest';
import type { DialogTree } from '../../src/content/types.js';
import { matchChoice, ordinalIn } from '../../src/dialogs/choiceMatcher.js';
import { DialogEngine } from '../../src/dialogs/engine.js';

const at = { file: 'dialogs/t.yaml', line: 1, col: 1 };
const tree: DialogTree = {
  id: 'tips',
  title: 'Tips',
  start: 'first',
  at,
  nodes: {
    first: {
      id: 'first',
      title: 'other backups',
      source: 'seed 002',
      about: [],
      at,
      say: 'Try another backup.\n\nDid it work?',
      choices: [
        { label: 'Yes, that worked', means: 'yes', examples: ['fixed'], next: 'done' },
        { label: 'No, still failing', means: 'no', examples: ['same error'], next: 'note' },
      ],
    },
    note: { id: 'note', source: 'seed 002', about: [], at, say: 'Next, check Wi-Fi.', answer: 'wifi', next: 'second' },
    second: {
      id: 'second',
      source: 'seed 002',
      about: ['wifi'],
      at,
      say: 'Any luck?',
      choices: [
        { label: 'Solved', means: 'yes', examples: [], next: 'done' },
        { label: 'Get me an agent', examples: [], next: 'agent' },
        { label: 'Not yet', means: 'no', examples: [], next: 'done' },
      ],
    },
    done: { id: 'done', source: 'conversation', about: [], at, say: 'Glad to help.', end: true },
    agent: { id: 'agent', source: 'conversation', about: [], at, say: 'Passing you to a person.', handoff: true },
  },
};
const engine = new DialogEngine(new Map([['tips', tree]]), (id) => (id === 'wifi' ? 'Wi-Fi answer from the KB.' : undefined));

describe('dialog engine', () => {
  it('starts at the start node and waits on its choices', () => {
    const step = engine.start('tips');
    expect(step.status).toBe('waiting');
    expect(step.messages).toEqual([{ text: 'Try another backup.\n\nDid it work?', choices: ['Yes, that worked', 'No, still failing'] }]);
  });

  it('follows next links, showing a referenced KB answer first, until a question', () => {
    const started = engine.start('tips');
    if (started.status !== 'waiting') throw new Error('expected a question');
    const step = engine.choose(started.state, 1);
    expect(step.messages.map((message) => message.text)).toEqual(['Wi-Fi answer from the KB.\n\nNext, check Wi-Fi.', 'Any luck?']);
    expect(step.status === 'waiting' && step.state.node).toBe('second');
  });

  it('records the path with each answer for a handoff summary', () => {
    const started = engine.start('tips');
    if (started.status !== 'waiting') throw new Error('expected a question');
    const second = engine.choose(started.state, 1);
    if (second.status !== 'waiting') throw new Error('expected a question');
    const end = engine.choose(second.state, 1);
    expect(end).toMatchObject({ status: 'ended', outcome: 'handoff' });
    expect(end.status === 'ended' && end.path).toEqual([{ node: 'first', answer: 'No, still failing' }, { node: 'note' }, { node: 'second', answer: 'Get me an agent' }, { node: 'agent' }]);
  });

  it('closes on an end node', () => {
    const started = engine.start('tips');
    if (started.status !== 'waiting') throw new Error('expected a question');
    expect(engine.choose(started.state, 0)).toMatchObject({ status: 'ended', outcome: 'closed' });
  });

  it('can resume at a chosen node', () => {
    expect(engine.start('tips', 'second')).toMatchObject({ status: 'waiting', state: { node: 'second' } });
  });

  it('asks only the open question again, with its choices, after a digression', () => {
    const started = engine.start('tips');
    if (started.status !== 'waiting') throw new Error('expected a question');
    expect(engine.question(started.state)).toEqual({ text: 'Did it work?', choices: ['Yes, that worked', 'No, still failing'] });
  });

  it('goes back to a kept node in full, keeping the path taken to it', () => {
    const started = engine.start('tips');
    if (started.status !== 'waiting') throw new Error('expected a question');
    const second = engine.choose(started.state, 1);
    if (second.status !== 'waiting') throw new Error('expected a question');
    expect(engine.resume(second.state)).toEqual({ status: 'waiting', state: second.state, messages: [{ text: 'Any luck?', choices: ['Solved', 'Get me an agent', 'Not yet'] }] });
  });

  it('names where a walk-through stopped by step number and title', () => {
    const started = engine.start('tips');
    if (started.status !== 'waiting') throw new Error('expected a question');
    expect(engine.whereAt(started.state)).toEqual({ tree: 'Tips', step: 1, title: 'other backups' });
    const second = engine.choose(started.state, 1);
    if (second.status !== 'waiting') throw new Error('expected a question');
    expect(engine.whereAt(second.state)).toEqual({ tree: 'Tips', step: 2 });
    expect(engine.aboutAt(second.state)).toEqual(['wifi']);
  });

  it('counts the questions that may follow the open one, answering no to each, down to none at the last', () => {
    const started = engine.start('tips');
    if (started.status !== 'waiting') throw new Error('expected a question');
    expect(engine.questionsLeft(started.state)).toBe(1);
    const second = engine.choose(started.state, 1);
    if (second.status !== 'waiting') throw new Error('expected a question');
    expect(engine.questionsLeft(second.state)).toBe(0);
  });

  it('knows whether a yes, or any one answer, to the open question ends the walk-through, through next links but not at a handoff or another question', () => {
    const node = (id: string, fields: Partial<DialogTree['nodes'][string]>) => ({ id, source: 'conversation', about: [], at, say: id, ...fields });
    const branching: DialogTree = {
      id: 'branching',
      title: 'Branching',
      start: 'ask',
      at,
      nodes: {
        ask: node('ask', { choices: [{ label: 'Yes', means: 'yes', examples: [], next: 'person' }, { label: 'No', means: 'no', examples: [], next: 'more' }] }),
        person: node('person', { handoff: true }),
        more: node('more', { choices: [{ label: 'Yes', means: 'yes', examples: [], next: 'note' }, { label: 'No', means: 'no', examples: [], next: 'ask' }] }),
        note: node('note', { next: 'end' }),
        end: node('end', { end: true }),
      },
    };
    const branches = new DialogEngine(new Map([['branching', branching]]), () => undefined);
    expect(branches.yesCloses({ tree: 'branching', node: 'ask', path: [] })).toBe(false);
    expect(branches.yesCloses({ tree: 'branching', node: 'more', path: [] })).toBe(true);
    expect(engine.yesCloses({ tree: 'tips', node: 'first', path: [] })).toBe(true);
    // Any answer, whatever it means, may close: "No" at `more` goes back to a question, "Yes" reaches the end.
    expect(branches.closesOn({ tree: 'branching', node: 'more', path: [] }, 0)).toBe(true);
    expect(branches.closesOn({ tree: 'branching', node: 'more', path: [] }, 1)).toBe(false);
    expect(branches.closesOn({ tree: 'branching', node: 'ask', path: [] }, 0)).toBe(false);
  });

  it('knows whether an answer to the open question already hands the chat to a person', () => {
    expect(engine.offersPerson({ tree: 'tips', node: 'second', path: [] })).toBe(true);
    expect(engine.offersPerson({ tree: 'tips', node: 'first', path: [] })).toBe(false);
  });

  it('goes back to the step answered last, with the path before that answer, and nowhere from the first question', () => {
    const started = engine.start('tips');
    if (started.status !== 'waiting') throw new Error('expected a question');
    expect(engine.back(started.state)).toBeUndefined();
    const second = engine.choose(started.state, 1);
    if (second.status !== 'waiting') throw new Error('expected a question');
    const back = engine.back(second.state);
    if (back?.status !== 'waiting') throw new Error('expected the first question again');
    expect(back.state).toEqual({ tree: 'tips', node: 'first', path: [] });
    expect(back.messages).toEqual([{ text: 'Try another backup.\n\nDid it work?', choices: ['Yes, that worked', 'No, still failing'] }]);
  });

  it('refuses an unknown tree or node', () => {
    expect(() => engine.start('nope')).toThrow(/unknown tree/);
    expect(() => engine.start('tips', 'nope')).toThrow(/no node/);
  });
});

describe('typed answers to choices', () => {
  const choices = tree.nodes.second?.choices ?? [];

  it.each([
    ['solved', 0, 'exact'],
    ['Get me an agent!', 1, 'exact'],
    ['the second one', 1, 'ordinal'],
    ['2', 1, 'ordinal'],
    ['last', 2, 'ordinal'],
  ])('reads "%s" as choice %i (%s)', (text, index, strength) => {
    expect(matchChoice(choices, text)).toEqual({ index, strength });
  });

  it('reads nothing into an unrelated sentence', () => {
    expect(matchChoice(choices, 'how long does a restore take')).toBeNull();
  });

  it('leaves a yes in other words to the router, which reads it against the examples', () => {
    expect(matchChoice(choices, 'yep it worked')).toBeNull();
  });

  it('takes a choice example word for word as that choice', () => {
    expect(matchChoice(tree.nodes.first?.choices ?? [], 'Same error!')).toEqual({ index: 1, strength: 'exact' });
  });

  it('takes two or more words found in one label only as that choice ("still failing")', () => {
    const first = tree.nodes.first?.choices ?? [];
    expect(matchChoice(first, 'still failing')).toEqual({ index: 1, strength: 'part' });
    expect(matchChoice(first, 'that worked')).toEqual({ index: 0, strength: 'part' });
  });

  it('takes no part of a label that is a single word or that another label also holds', () => {
    const first = tree.nodes.first?.choices ?? [];
    expect(matchChoice(first, 'failing')).toBeNull();
    expect(matchChoice(choices, 'me not')).toBeNull();
    expect(matchChoice(first, 'that still worked')).toBeNull();
  });

  it('ignores ordinals beyond the offered choices', () => {
    expect(ordinalIn('the fifth one', 3)).toBeNull();
  });
});
