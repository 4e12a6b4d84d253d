import type { Logger } from 'pino';
import type { ErrorCode } from '../errors.js';
import type { TranscriptStore } from '../storage/transcriptStore.js';
import { RECENT_LINES, type ConversationState } from './state.js';
import type { TranscriptLine } from './types.js';

/** Lines of the conversation an agent gets with a handoff. */
export const HANDOFF_TRANSCRIPT_LINES = 200;

export type Spoken = Pick<TranscriptLine, 'from' | 'text'>;

/**
 * The conversation's record: every line the customer, the bot or an agent said, numbered inside
 * the conversation's ordered state update and then kept in the transcript store.
 */
export class Transcript {
  constructor(
    private readonly store: Pick<TranscriptStore, 'read' | 'append'> | undefined,
    private readonly now: () => Date,
  ) {}

  /**
   * Numbers the lines after the last one in state. It runs inside the ordered update, so a turn
   * re-run after a conflict numbers again on fresh state and no two lines share a number.
   */
  number(state: ConversationState, spoken: readonly Spoken[]): { recent: TranscriptLine[]; lines: TranscriptLine[] } {
    const at = this.now().toISOString();
    const first = (state.recent.at(-1)?.seq ?? -1) + 1;
    const lines = spoken.map((line, index) => ({ seq: first + index, ...line, at }));
    return { recent: [...state.recent, ...lines].slice(-RECENT_LINES), lines };
  }

  /** A lost line is logged, not turned into a failed turn: the state has already moved on. */
  async keep(channelId: string | undefined, conversationId: string, lines: readonly TranscriptLine[], log: Logger): Promise<void> {
    if (!this.store || lines.length === 0) return;
    const code: ErrorCode = 'ERR_STORAGE_TRANSCRIPT';
    if (!channelId) {
      log.warn({ code, lines: lines.length }, 'transcript lines not kept: the conversation has no channel id yet');
      return;
    }
    try {
      await this.store.append({ channelId, conversationId }, lines);
    } catch (error) {
      log.error({ code, lines: lines.length, err: error }, 'transcript lines not kept');
    }
  }

  /**
   * What was said before, from the transcript store (the state holds only the last few lines); if
   * the store cannot be read, those few lines are better than failing the handoff.
   */
  async earlier(channelId: string | undefined, conversationId: string, state: ConversationState, log: Logger): Promise<readonly TranscriptLine[]> {
    if (!this.store || !channelId) return state.recent;
    try {
      const kept = await this.store.read({ channelId, conversationId }, { last: HANDOFF_TRANSCRIPT_LINES });
      return kept.length > 0 ? kept : state.recent;
    } catch (error) {
      log.warn({ err: error }, 'transcript not readable for the handoff summary; using the lines in state');
      return state.recent;
    }
  }
}

/** The customer's words, then the bot's replies. */
export const exchange = (customer: string | undefined, replies: readonly { text: string }[]): Spoken[] => [
  ...(customer ? [{ from: 'customer' as const, text: customer }] : []),
  ...replies.map((reply) => ({ from: 'bot' as const, text: reply.text })),
];
