import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recover } from '../../src/bot/recovery.js';
import { initialState, type ConversationState } from '../../src/bot/state.js';
import { loadContent } from '../../src/content/load.js';

/** The router fixture: tree slow_restore (intro → travel → done), topics slow_restore, human_agent, cancel. */
const content = loadContent(path.join(import.meta.dirname, '..', 'fixtures', 'router'));
const at = (tree: string, node: string) => ({ tree, node, path: [{ node: 'intro', answer: 'Yes' }] });
const state = (extra: Partial<ConversationState>): ConversationState => ({ ...initialState(), ...extra });

describe('state recovery after a content reload', () => {
  it('leaves a state whose trees, nodes and topics all exist as it is', () => {
    const saved = state({ tree: at('slow_restore', 'travel'), reopen: at('slow_restore', 'intro'), offered: ['slow_restore'], lastIntent: 'slow_restore' });
    expect(recover(saved, content)).toEqual({ state: saved, lost: false });
  });

  it('takes the customer out of a walk-through whose tree is gone, and says they lost it', () => {
    const { state: recovered, lost } = recover(state({ tree: at('removed_tree', 'intro'), misses: 1 }), content);
    expect(lost).toBe(true);
    expect(recovered.tree).toBeUndefined();
    expect(recovered.misses).toBe(0);
  });

  it('takes the customer out of a step that is gone from a tree that remains', () => {
    const { state: recovered, lost } = recover(state({ tree: at('slow_restore', 'removed_step') }), content);
    expect(lost).toBe(true);
    expect(recovered.tree).toBeUndefined();
  });

  it('does not take an inherited property name for a node', () => {
    expect(recover(state({ tree: at('slow_restore', 'constructor') }), content).lost).toBe(true);
  });

  it('drops a paused walk-through that is gone, and says so', () => {
    const { state: recovered, lost } = recover(state({ suspended: at('slow_restore', 'removed_step') }), content);
    expect(lost).toBe(true);
    expect(recovered.suspended).toBeUndefined();
  });

  it('withdraws the whole offer when one offered topic is gone, since buttons are also picked by position', () => {
    const { state: recovered, lost } = recover(state({ offered: ['slow_restore', 'removed_topic', 'human_agent'] }), content);
    expect(lost).toBe(true);
    expect(recovered.offered).toEqual([]);
  });

  it('forgets a vanished re-open pointer, last topic and readings without troubling the customer', () => {
    const saved = state({
      tree: at('slow_restore', 'intro'),
      reopen: at('removed_tree', 'intro'),
      lastIntent: 'removed_topic',
      lastCandidates: [
        { intent: 'removed_topic', confidence: 0.6 },
        { intent: 'slow_restore', confidence: 0.3 },
      ],
    });
    const { state: recovered, lost } = recover(saved, content);
    expect(lost).toBe(false);
    expect(recovered).toEqual({ ...initialState(), tree: at('slow_restore', 'intro'), lastCandidates: [{ intent: 'slow_restore', confidence: 0.3 }] });
  });
});
