import type { Logger } from 'pino';
import type { Content } from '../content/types.js';
import type { ConversationStore } from '../storage/conversationStore.js';
import { Conversation, type ConversationDeps, type Outcome } from './conversation.js';
import { RECENT_LINES, type ConversationState } from './state.js';
import type { HandoffSummary, MembersAddedTurn, MessageTurn, Reply, TranscriptLine, Turn, TurnResult } from './types.js';

export interface SupportBotDeps extends ConversationDeps {
  readonly store: ConversationStore<ConversationState>;
  readonly logger: Logger;
  readonly maxMessageChars: number;
  readonly now?: () => Date;
}

/** Text with at least one letter or digit: emoji, punctuation and whitespace alone are not a question. */
const READABLE = /[\p{L}\p{N}]/u;

/**
 * The turn router: Turn in, replies out. Loads the conversation's state, decides, and saves the
 * state once at the end of the turn (through the store, which orders turns of one conversation).
 */
export class SupportBot {
  private readonly conversation: Conversation;
  private readonly content: Content;
  private readonly now: () => Date;

  constructor(private readonly deps: SupportBotDeps) {
    this.conversation = new Conversation(deps);
    this.content = deps.content;
    this.now = deps.now ?? (() => new Date());
  }

  handle(turn: Turn): Promise<TurnResult> {
    return turn.kind === 'message' ? this.onMessage(turn) : this.onMembersAdded(turn);
  }

  /** A state that broke a turn is dropped so the next message starts clean instead of failing again. */
  async reset(conversationId: string): Promise<void> {
    await this.deps.store.delete(conversationId);
  }

  private onMembersAdded(turn: MembersAddedTurn): Promise<TurnResult> {
    return this.deps.store.update(turn.conversationId, async (state) => {
      const newcomers = turn.members.filter((member) => !state.welcomed.includes(member.id));
      if (newcomers.length === 0) return { state, result: { replies: [], lines: [] } };
      const welcome: Reply = { text: this.content.phrases.welcome.trim(), choices: this.conversation.menu().choices ?? [] };
      const replies = newcomers.map(() => welcome);
      const lines = this.numbered(state, replies.map((reply) => ({ from: 'bot', text: reply.text })));
      return {
        state: { ...state, welcomed: [...state.welcomed, ...newcomers.map((member) => member.id)], recent: remember(state.recent, lines) },
        result: { replies, lines },
      };
    });
  }

  private onMessage(turn: MessageTurn): Promise<TurnResult> {
    const log = this.deps.logger.child({ conversationId: turn.conversationId, ...turn.trace });
    return this.deps.store.update(turn.conversationId, async (state) => {
      const text = turn.text.replace(/\s+/g, ' ').trim();
      const outcome = this.decide(state, text, turn.hasAttachments);
      const lines = this.numbered(state, [
        ...(text ? [{ from: 'customer', text } as const] : []),
        ...outcome.replies.map((reply) => ({ from: 'bot', text: reply.text }) as const),
      ]);
      const next: ConversationState = { ...outcome.state, recent: remember(state.recent, lines) };
      log.info(
        {
          intent: outcome.recognition?.intent,
          verdict: outcome.recognition?.verdict,
          confidence: outcome.recognition ? round(outcome.recognition.confidence) : undefined,
          tree: next.tree ? `${next.tree.tree}/${next.tree.node}` : undefined,
          handoff: outcome.handoff,
        },
        'turn',
      );
      log.debug({ explanation: outcome.recognition?.explanation, candidates: outcome.recognition?.candidates }, 'recognition');
      const result: TurnResult = outcome.handoff
        ? { replies: outcome.replies, lines, handoff: { reason: outcome.handoff, summary: this.summarize(state, next, outcome.finishedTree) } }
        : { replies: outcome.replies, lines };
      return { state: outcome.handoff ? { ...next, handoffRequested: this.now().toISOString() } : next, result };
    });
  }

  private decide(state: ConversationState, text: string, hasAttachments: boolean): Outcome {
    const { phrases } = this.content;
    if (text.length > this.deps.maxMessageChars) return { state, replies: [{ text: phrases.tooLong }] };
    if (!READABLE.test(text)) return { state, replies: [{ text: text === '' && hasAttachments ? phrases.nonText : phrases.empty }] };
    return this.conversation.respond(state, text);
  }

  private summarize(before: ConversationState, after: ConversationState, finished: Outcome['finishedTree']): HandoffSummary {
    const tree = finished ?? before.tree;
    const topic = before.lastIntent ?? after.lastIntent;
    return {
      ...(topic ? { topic } : {}),
      treePath: tree ? tree.path.map((step) => ({ tree: tree.tree, ...step })) : [],
      candidates: after.lastCandidates,
      transcript: after.recent,
    };
  }

  /**
   * Numbers this turn's lines after the last one in state. It runs inside the ordered update, so a
   * turn re-run after a conflict numbers again on fresh state and no two lines share a number.
   */
  private numbered(state: ConversationState, said: readonly Pick<TranscriptLine, 'from' | 'text'>[]): TranscriptLine[] {
    const at = this.now().toISOString();
    const first = (state.recent.at(-1)?.seq ?? -1) + 1;
    return said.map((line, index) => ({ seq: first + index, from: line.from, text: line.text, at }));
  }
}

const remember = (recent: readonly TranscriptLine[], lines: readonly TranscriptLine[]): TranscriptLine[] => [...recent, ...lines].slice(-RECENT_LINES);

const round = (value: number): number => Math.round(value * 1000) / 1000;
