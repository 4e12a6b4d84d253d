import type { Logger } from 'pino';
import type { ErrorCode } from '../errors.js';
import { HANDOFF_TRANSCRIPT_LINES } from '../handoff/summary.js';
import type { ConversationAddress } from '../handoff/types.js';
import type { TranscriptStore } from '../storage/transcriptStore.js';
import type { TypedLines } from './typedLines.js';
import type { Update } from '../storage/conversationStore.js';
import { RECENT_LINES, type ConversationState } from './state.js';
import type { Reply, TranscriptLine, TurnResult, UploadInfo } from './types.js';

type Spoken = Pick<TranscriptLine, 'from' | 'text' | 'attachments'>;

/** Who said what in one update: the customer's or an agent's words, then the bot's replies. */
export interface Said {
  readonly customer?: string;
  /** Pictures the customer sent with their words (or alone: the line then has no text). */
  readonly attachments?: readonly UploadInfo[];
  readonly agent?: string;
  readonly replies?: readonly Reply[];
}

/**
 * The conversation's record: every line the customer, the bot or an agent said, numbered inside
 * the conversation's ordered state update and then kept in the transcript store.
 */
export class Transcript {
  constructor(
    private readonly store: Pick<TranscriptStore, 'read' | 'append'> | undefined,
    private readonly now: () => Date,
    /** Masks personal data in what people typed (REDACT_PII) before it is kept in the state or the store. */
    private readonly redact: (text: string) => string = (text) => text,
    /** Where the words as typed wait, in memory, for an agent reading the conversation live. */
    private readonly typedLines?: TypedLines,
  ) {}

  /**
   * Numbers the lines after the last one in state. It runs inside the ordered update, so a turn
   * re-run after a conflict numbers again on fresh state and no two lines share a number.
   */
  private number(state: ConversationState, spoken: readonly Spoken[]): { lines: TranscriptLine[] } {
    const at = this.now().toISOString();
    const first = (state.recent.at(-1)?.seq ?? -1) + 1;
    return { lines: spoken.map((line, index) => ({ seq: first + index, ...line, at })) };
  }

  /**
   * The one way an update says something: the lines are numbered into the state's recent lines,
   * and the result carries the replies to send and the lines to keep.
   */
  say(state: ConversationState, said: Said, extra: Omit<TurnResult, 'replies' | 'lines'> = {}): Update<ConversationState, TurnResult> {
    const replies = said.replies ?? [];
    const spoken: Spoken[] = [
      ...(said.customer || said.attachments?.length
        ? [{ from: 'customer' as const, text: said.customer ?? '', ...(said.attachments?.length ? { attachments: said.attachments } : {}) }]
        : []),
      ...(said.agent ? [{ from: 'agent' as const, text: said.agent }] : []),
      ...replies.map((reply) => ({ from: 'bot' as const, text: reply.text })),
    ];
    const typed = this.number(state, spoken).lines;
    const lines = typed.map((line) => (line.from === 'bot' ? line : { ...line, text: this.redact(line.text) }));
    const unmasked = typed.filter((line, index) => line.text !== lines[index]?.text).map(({ seq, at, text }) => ({ seq, at, text }));
    const recent = [...state.recent, ...lines].slice(-RECENT_LINES);
    return { state: { ...state, recent }, result: { replies, lines, ...(unmasked.length > 0 ? { typed: unmasked } : {}), ...extra } };
  }

  /** A lost line is logged, not turned into a failed turn: the state has already moved on. */
  async keep(address: ConversationAddress, result: Pick<TurnResult, 'lines' | 'typed'>, log: Logger): Promise<void> {
    const { lines } = result;
    this.typedLines?.remember(address, result.typed ?? []);
    if (!this.store || lines.length === 0) return;
    const code: ErrorCode = 'ERR_STORAGE_TRANSCRIPT';
    try {
      await this.store.append(address, lines);
    } catch (error) {
      log.error({ code, lines: lines.length, err: error }, 'transcript lines not kept');
    }
  }

  /** The conversation's lines for an agent: from the store, with the words as typed where this process still has them. */
  async forAgent(address: ConversationAddress, options?: { readonly last?: number }): Promise<readonly TranscriptLine[]> {
    const lines = this.store ? await this.store.read(address, options) : [];
    return this.typedLines ? this.typedLines.reveal(address, lines) : lines;
  }

  /**
   * What was said before, from the transcript store (the state holds only the last few lines); if
   * the store cannot be read, those few lines are better than failing the handoff.
   */
  async earlier(address: ConversationAddress, state: ConversationState, log: Logger): Promise<readonly TranscriptLine[]> {
    if (!this.store) return state.recent;
    try {
      const kept = await this.store.read(address, { last: HANDOFF_TRANSCRIPT_LINES });
      return kept.length > 0 ? kept : state.recent;
    } catch (error) {
      log.warn({ err: error }, 'transcript not readable for the handoff summary; using the lines in state');
      return state.recent;
    }
  }
}
