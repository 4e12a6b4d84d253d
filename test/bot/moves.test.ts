import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Moves } from '../../src/bot/moves.js';
import { initialState, type ConversationState } from '../../src/bot/state.js';
import { loadContent } from '../../src/content/load.js';
import type { Intent } from '../../src/content/types.js';
import { DialogEngine } from '../../src/dialogs/engine.js';
import type { Recognition } from '../../src/nlu/recognizer.js';

const content = loadContent(path.join(import.meta.dirname, '..', 'fixtures', 'minimal'));
const engine = new DialogEngine(content.trees, (id) => content.intentById.get(id)?.answer);
const moves = new Moves({ content, engine, redact: (text) => text.replace(/\d/g, '#') });
const slow = content.intentById.get('slow_restore') as Intent;
const side: Intent = { id: 'photos', title: 'Photos', source: 'conversation', followUps: [], examples: [], tests: [], answer: 'Photos come back last.', at: { file: 'kb/photos.yaml', line: 1, col: 1 } };

const unknownWords = (coverage: number, unknown: string[]): Recognition => ({
  verdict: 'out_of_scope',
  confidence: 0.1,
  candidates: [],
  explanation: { tokens: [], corrections: [], synonyms: [], stems: [], unknown, coverage, matched: [] },
});

const inTree = (): ConversationState => moves.startTopic(initialState(), slow, 'my restore is slow').state;

describe('what a read message leads to', () => {
  it('starts a topic\'s walk-through at its first question, keeping the question asked masked for the inbox', () => {
    const started = moves.startTopic(initialState(), slow, 'restore of 64 GB is slow');
    expect(started.state.tree?.node).toBe('intro');
    expect(started.state.askedText).toBe('restore of ## GB is slow');
    expect(started.events).toEqual([{ kind: 'asked', topic: 'slow_restore' }, { kind: 'reached', tree: 'slow_restore', node: 'intro', open: true }]);
  });

  it('answers a side question and keeps the walk-through, offering to carry on where it stood', () => {
    const state = inTree();
    const tree = state.tree;
    if (!tree) throw new Error('no walk-through open');
    const outcome = moves.sideQuestion(state, tree, side, 'and my photos?');
    expect(outcome.state.tree).toBeUndefined();
    expect(outcome.state.suspended).toBe(tree);
    expect(outcome.replies.map((reply) => reply.text)).toEqual(['Photos come back last.', 'Carry on with Slow restore? We were at step 1.']);
    expect(outcome.replies.at(-1)?.choices).toEqual(['Carry on']);
    expect(moves.resume(outcome.state).state.tree?.node).toBe('intro');
  });

  it('says which language it helps in for words it never saw, then hands over after a second miss', () => {
    const first = moves.fallback(initialState(), unknownWords(0.2, ['hola', 'necesito']), 'hola necesito ayuda');
    expect(first.replies[0]?.text).toBe(content.phrases.unknownWords);
    expect(first.replies.at(-1)?.choices).toEqual([slow.title]);
    const second = moves.fallback(first.state, unknownWords(0.2, ['hola', 'necesito']), 'hola otra vez');
    expect(second.handoff).toBe('repeated_fallback');
    expect(second.replies.map((reply) => reply.text)).toEqual(['Passing you to a person.']);
  });

  it('says what it covers when it is unsure of a topic and out of scope is the runner-up, and only then', () => {
    const unsure = (second: string): Recognition => ({
      verdict: 'unsure',
      confidence: 0.55,
      candidates: [{ intent: 'slow_restore', confidence: 0.55 }, { intent: second, confidence: 0.5 }],
      explanation: { tokens: [], corrections: [], synonyms: [], stems: [], unknown: [], coverage: 1, matched: [] },
    });
    const outsideId = content.intents.find((intent) => intent.action === 'none')?.id ?? '';
    expect(moves.fallback(initialState(), unsure(outsideId), 'pick me a phone plan').replies[0]?.text).toBe(content.phrases.unsureOutside);
    expect(moves.fallback(initialState(), unsure('slow_restore'), 'restore crawling').replies[0]?.text).toBe(content.phrases.unsure);
  });

  it('meets frustration with sympathy and a person offered: beside the open question, the offer to carry on, or the menu', () => {
    const frustration: Intent = { ...side, id: 'frustration', action: 'frustration', answer: 'Sorry, this is stressful.' };
    const inside = moves.act(inTree(), frustration);
    expect(inside.replies.map((reply) => reply.text)).toEqual(['Sorry, this is stressful.', 'It can take 1 to 4 hours per gigabyte. Are you travelling?']);
    expect(inside.replies.at(-1)?.choices).toEqual(['Yes', 'No', 'Talk to a person']);
    expect(inside.state.tree?.node).toBe('intro');
    const kept = moves.sideQuestion(inTree(), inTree().tree!, side, 'and my photos?').state;
    expect(moves.act(kept, frustration).replies.at(-1)?.choices).toEqual(['Carry on', 'Talk to a person']);
    expect(moves.act(initialState(), frustration).replies.at(-1)?.choices).toEqual([slow.title, 'Talk to a person']);
  });

  it('asks the open question again with a person beside its answers after the second miss in a walk-through', () => {
    const once = moves.reprompt(inTree(), 'purple');
    expect(once.replies.at(-1)?.choices).toEqual(['Yes', 'No']);
    const twice = moves.reprompt(once.state, 'purple again');
    expect(twice.replies.at(-1)?.choices).toEqual(['Yes', 'No', 'Talk to a person']);
    expect(twice.events).toEqual([{ kind: 'unplaced', why: 'in_tree', text: 'purple again', tree: 'slow_restore', node: 'intro' }]);
  });
});
