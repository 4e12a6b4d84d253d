import type { TreeState } from '../dialogs/engine.js';
import type { HandoffState } from '../handoff/flow.js';
import type { ConversationRef, Reply, TranscriptLine } from './types.js';

/** Everything the bot remembers about one conversation; saved once at the end of each turn. */
export interface ConversationState {
  readonly version: 1;
  readonly tree?: TreeState;
  /** A walk-through a side question interrupted: "let's continue" goes back to this node. */
  readonly suspended?: TreeState;
  /**
   * The question of a walk-through that ended with "that worked", as it was before that answer:
   * if the problem comes back, its "no" leads to the next step instead of the start.
   */
  readonly reopen?: TreeState;
  /** Intent ids behind the buttons of the last "did you mean" or follow-up offer, in button order. */
  readonly offered: readonly string[];
  /** Messages in a row the bot could not place; the second one offers a person. */
  readonly fallbacks: number;
  /** Answers that fitted none of the current node's choices, in a row. */
  readonly misses: number;
  readonly lastIntent?: string;
  /** The customer's words that started the open walk-through: what its feedback is about. */
  readonly askedText?: string;
  /**
   * Fixes told as already done in later messages of the open walk-through ("also already turned it off
   * and on twice"), masked like `askedText`: a step they name is gone past when the walk-through reaches it.
   */
  readonly toldDone?: readonly string[];
  /** The answer just given asked whether it helped; the next message may say. */
  readonly feedback?: FeedbackFor;
  readonly lastCandidates: readonly { intent: string; confidence: number }[];
  readonly welcomed: readonly string[];
  /** Set while a person is involved (src/handoff/flow.ts). */
  readonly handoff?: HandoffState;
  /** How to reach this conversation outside a turn (agent replies, hand-back). */
  readonly reference?: ConversationRef;
  /** The Bot Framework channel id (msteams, webchat, …): with the conversation id, the transcript's key. */
  readonly channelId?: string;
  readonly recent: readonly TranscriptLine[];
  /** Ids of the last activities this conversation's turns came from, to drop a channel's replay. */
  readonly seen?: readonly string[];
  /**
   * The replies of the last few turns, by activity id. A channel replays an activity it got no
   * answer for; if the process died after saving the turn but before sending, the replay re-sends
   * these instead of being dropped in silence.
   */
  readonly sent?: readonly { readonly activityId: string; readonly replies: readonly Reply[] }[];
}

/** What a feedback question is about: the topic, its walk-through, the question it answered. */
export interface FeedbackFor {
  readonly topic: string;
  readonly tree?: string;
  readonly question?: string;
}

/**
 * Lines of the conversation kept in state: enough to number the next ones and to stand in for the
 * transcript store if it cannot be read. The whole state is read and written every turn, and 30
 * lines made it 11 kB and the bot 0.66x the echo bot's throughput; handoff summaries read the
 * transcript store instead.
 */
export const RECENT_LINES = 4;

/**
 * Activity ids remembered per conversation. A channel replays an activity it got no answer for
 * within seconds, so a few dozen turns back is far enough.
 */
export const SEEN_ACTIVITIES = 32;

/** Turns whose replies are kept for a replay: a channel retries within seconds, so the last few suffice. */
export const SENT_TURNS = 4;

/**
 * Member ids greeted in this conversation. A personal chat has one or two; a forged update listing
 * thousands must not grow the state that every turn reads and writes.
 */
export const WELCOMED_IDS = 50;

export const initialState = (): ConversationState => ({
  version: 1,
  offered: [],
  fallbacks: 0,
  misses: 0,
  lastCandidates: [],
  welcomed: [],
  recent: [],
});

/** What the customer said last before this message: the question the answer just given was for. */
export function lastAsked(state: ConversationState): string | undefined {
  return state.recent.findLast((line) => line.from === 'customer')?.text;
}

/** What the bot said in reply to the last message, first to last, from the state's recent lines. */
export function lastReplies(state: ConversationState): string[] {
  const said: string[] = [];
  for (let at = state.recent.length - 1; at >= 0 && state.recent[at]?.from === 'bot'; at -= 1) said.unshift(state.recent[at]?.text ?? '');
  return said;
}
