import type { Logger } from 'pino';
import { addressKey, type ConversationAddress } from '../handoff/types.js';
import type { ConversationStore, Update } from '../storage/conversationStore.js';
import { SEEN_ACTIVITIES, SENT_TURNS, type ConversationState } from './state.js';
import type { Transcript } from './transcript.js';
import type { Turn, TurnResult } from './types.js';

export type Decide = (state: ConversationState) => Promise<Update<ConversationState, TurnResult>> | Update<ConversationState, TurnResult>;

export const addressOf = (turn: Turn): ConversationAddress => ({ channelId: turn.channelId, conversationId: turn.conversationId });

/**
 * Every change to a conversation goes through here: one ordered update of its state (the store
 * re-runs it on a conflict with another instance), then its lines into the transcript.
 */
export class OrderedTurns {
  constructor(
    private readonly store: ConversationStore<ConversationState>,
    private readonly transcript: Transcript,
    private readonly logger: Logger,
  ) {}

  /**
   * A turn's one update, replay-safe: a channel re-sends an activity it got no answer for, and it
   * must not move a tree on twice. The ids are kept in the state, inside the ordered update, so a
   * replay that reaches another instance is caught as well; a replay gets the replies its first
   * run saved, in case they never left (the process may have died between saving and sending).
   */
  async inTurn(turn: Turn, decide: Decide): Promise<TurnResult> {
    const { activityId } = turn;
    const log = this.logFor(turn);
    const result = await this.store.update<TurnResult>(addressKey(addressOf(turn)), async (state) => {
      if (activityId && state.seen?.includes(activityId)) {
        const kept = state.sent?.find((entry) => entry.activityId === activityId);
        log.info({ saved: kept?.replies.length ?? 0 }, 'replayed activity: its saved replies go back to the channel');
        return { state, result: { replies: kept?.replies ?? [], lines: [], replayed: true } };
      }
      const { state: next, result } = await decide(state);
      if (!activityId) return { state: next, result };
      const sent = result.replies.length > 0 ? [...(next.sent ?? []), { activityId, replies: result.replies }].slice(-SENT_TURNS) : next.sent;
      return { state: { ...next, seen: [...(state.seen ?? []), activityId].slice(-SEEN_ACTIVITIES), ...(sent ? { sent } : {}) }, result };
    });
    await this.transcript.keep(addressOf(turn), result, log);
    return result;
  }

  /** An update outside any turn (an agent's action): no activity, so no replay to guard against. */
  async outsideTurn(address: ConversationAddress, decide: Decide): Promise<TurnResult> {
    const result = await this.store.update<TurnResult>(addressKey(address), async (state) => decide(state));
    await this.transcript.keep(address, result, this.logger.child(address));
    return result;
  }

  read(address: ConversationAddress): Promise<ConversationState> {
    return this.store.read(addressKey(address));
  }

  delete(address: ConversationAddress): Promise<void> {
    return this.store.delete(addressKey(address));
  }

  /** Tied to the conversation, its scope and the channel's ids (Teams tenant, team, channel). */
  logFor(turn: Turn): Logger {
    return this.logger.child({ conversationId: turn.conversationId, scope: turn.scope, ...turn.trace });
  }
}
