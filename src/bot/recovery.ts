import type { Content } from '../content/types.js';
import type { TreeState } from '../dialogs/engine.js';
import type { ConversationState } from './state.js';

export interface Recovered {
  readonly state: ConversationState;
  /**
   * The customer was in, or just paused, a walk-through, or had topics on offer, that the content
   * no longer has: they are told so and shown the menu rather than have their message read against
   * steps that are gone.
   */
  readonly lost: boolean;
}

/**
 * A saved state checked against the content serving this turn. State keeps tree, node and intent
 * ids across turns, and a content reload between two messages may have removed any of them; each
 * one that is gone is dropped before the reply policy reads the state, so no turn looks up a node
 * that is not there, and no button stands for another topic than the one it showed.
 */
export function recover(state: ConversationState, content: Content): Recovered {
  const known = (id: string) => content.intentById.has(id);
  const treeGone = state.tree !== undefined && !exists(content, state.tree);
  const suspendedGone = state.suspended !== undefined && !exists(content, state.suspended);
  const reopenGone = state.reopen !== undefined && !exists(content, state.reopen);
  // Buttons are picked by position too: one vanished topic would shift every one after it.
  const offeredGone = !state.offered.every(known);
  const lastGone = state.lastIntent !== undefined && !known(state.lastIntent);
  const candidatesGone = !state.lastCandidates.every((candidate) => known(candidate.intent));
  if (!treeGone && !suspendedGone && !reopenGone && !offeredGone && !lastGone && !candidatesGone) return { state, lost: false };

  const { tree, suspended, reopen, lastIntent, ...rest } = state;
  return {
    state: {
      ...rest,
      ...(tree && !treeGone ? { tree } : {}),
      ...(suspended && !suspendedGone ? { suspended } : {}),
      ...(reopen && !reopenGone ? { reopen } : {}),
      ...(lastIntent && !lastGone ? { lastIntent } : {}),
      offered: offeredGone ? [] : state.offered,
      lastCandidates: state.lastCandidates.filter((candidate) => known(candidate.intent)),
      ...(treeGone ? { misses: 0 } : {}),
    },
    // A finished walk-through's "reopen" pointer and the last reading are the bot's memory, not
    // something the customer is waiting on: they go quietly.
    lost: treeGone || suspendedGone || offeredGone,
  };
}

/** Own keys only: a node id of "constructor" must not find Object.prototype's. */
const exists = (content: Content, at: TreeState): boolean => {
  const tree = content.trees.get(at.tree);
  return tree !== undefined && Object.hasOwn(tree.nodes, at.node);
};
