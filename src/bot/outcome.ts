import type { DialogMessage, StepResult, TreeState } from '../dialogs/engine.js';
import type { InsightEvent } from '../insights/events.js';
import type { Recognition } from '../nlu/recognizer.js';
import type { ConversationState } from './state.js';
import type { HandoffRequest, Reply } from './types.js';

/** What one customer message comes to: the next state, the replies, and what happened. */
export interface Outcome {
  readonly state: ConversationState;
  readonly replies: Reply[];
  readonly handoff?: HandoffRequest['reason'];
  readonly recognition?: Recognition;
  /** The steps of a tree that just ended in a handoff node, for the agent's summary. */
  readonly finishedTree?: { readonly tree: string; readonly path: readonly { node: string; answer?: string }[] };
  /** What happened, said explicitly for insights and the inbox (src/insights/events.ts). */
  readonly events?: readonly InsightEvent[];
  /**
   * The first replies when they answer something asked beside the move (a question, a size): they
   * stand whatever comes of a handoff the move asks for, which with nobody online replaces the rest.
   */
  readonly asides?: readonly Reply[];
}

/** `outcome` with `answers` said first, as asides ("fine. meanwhile how do i screenshot it" at an offer of a person). */
export const answeredFirst = (outcome: Outcome, answers: readonly Reply[], events: readonly InsightEvent[] = []): Outcome => ({
  ...outcome,
  replies: [...answers, ...outcome.replies],
  asides: [...answers, ...(outcome.asides ?? [])],
  ...(events.length > 0 || outcome.events ? { events: [...events, ...(outcome.events ?? [])] } : {}),
});

/** A topic's answer given: what the insights count for every question answered from the KB. */
export const askedAndAnswered = (topic: string): InsightEvent[] => [{ kind: 'asked', topic }, { kind: 'answered', topic }];

/** A conversation left its walk-through or topic (cancelled, restarted, said goodbye). */
export const ENDED: readonly InsightEvent[] = [{ kind: 'ended' }];

/** "step 2, Wi-Fi": a step as the customer is told where a walk-through stands. */
export const stepName = (where: { readonly step: number; readonly title?: string }): string => (where.title ? `step ${where.step}, ${where.title}` : `step ${where.step}`);

export const unplacedInTree = (tree: TreeState, text: string): InsightEvent => ({ kind: 'unplaced', why: 'in_tree', text, tree: tree.tree, node: tree.node });

/** The nodes a step showed: those it passed through, then the question it stopped at (open) or the end it reached. */
export function reachedIn(before: TreeState | undefined, tree: string, step: StepResult): InsightEvent[] {
  // A resumed walk-through shows its open question again: nothing new was reached.
  if (step.status === 'waiting' && step.state === before) return [];
  // choose() adds the node answered to the path, so what is new starts after it.
  const known = before && before.tree === tree ? before.path.length + 1 : 0;
  const path = step.status === 'waiting' ? step.state.path : step.path;
  const passed: InsightEvent[] = path.slice(known).map((entry) => ({ kind: 'reached', tree, node: entry.node }));
  return step.status === 'waiting' ? [...passed, { kind: 'reached', tree, node: step.state.node, open: true }] : passed;
}

/** The state with no answer waiting for its rating: one feedback question per answer. */
export function withoutFeedback(state: ConversationState): ConversationState {
  if (!state.feedback) return state;
  const { feedback: _asked, ...rest } = state;
  return rest;
}

export const toReply = (message: DialogMessage): Reply => (message.choices ? { text: message.text, choices: message.choices } : { text: message.text });

/** Nothing open, kept or re-openable: a new topic starts from here. */
export function reset(state: ConversationState): ConversationState {
  const { tree: _tree, suspended: _suspended, reopen: _reopen, askedText: _asked, toldDone: _told, ...rest } = state;
  return { ...rest, offered: [], fallbacks: 0, misses: 0 };
}
