import type { TreeState } from '../dialogs/engine.js';
import type { ConversationRef, TranscriptLine } from './types.js';

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
  readonly lastCandidates: readonly { intent: string; confidence: number }[];
  readonly welcomed: readonly string[];
  /** Set while a person is involved: queued (waiting for one) or accepted (an agent owns the chat). */
  readonly handoff?: {
    readonly status: 'queued' | 'accepted';
    readonly since: string;
    readonly agent?: string;
    /** The customer has been told once that they are waiting; later messages are relayed quietly. */
    readonly waitingNoticeSent?: boolean;
  };
  /** How to reach this conversation outside a turn (agent replies, hand-back). */
  readonly reference?: ConversationRef;
  /** The Bot Framework channel id (msteams, webchat, …): with the conversation id, the transcript's key. */
  readonly channelId?: string;
  readonly recent: readonly TranscriptLine[];
  /** Ids of the last activities this conversation's turns came from, to drop a channel's replay. */
  readonly seen?: readonly string[];
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

export const initialState = (): ConversationState => ({
  version: 1,
  offered: [],
  fallbacks: 0,
  misses: 0,
  lastCandidates: [],
  welcomed: [],
  recent: [],
});
