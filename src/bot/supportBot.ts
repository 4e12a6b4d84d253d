import type { Logger } from 'pino';
import type { Content } from '../content/types.js';
import type { ConversationStore } from '../storage/conversationStore.js';
import { Conversation, type ConversationDeps, type Outcome } from './conversation.js';
import { RECENT_LINES, type ConversationState } from './state.js';
import type { BotAddedTurn, HandoffSummary, MembersAddedTurn, MessageTurn, Reply, TranscriptLine, Turn, TurnResult } from './types.js';

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
    switch (turn.kind) {
      case 'message':
        return this.onMessage(turn);
      case 'membersAdded':
        return this.onMembersAdded(turn);
      case 'botAdded':
        return this.onBotAdded(turn);
    }
  }

  /** A state that broke a turn is dropped so the next message starts clean instead of failing again. */
  async reset(conversationId: string): Promise<void> {
    await this.deps.store.delete(conversationId);
  }

  /**
   * One welcome per person in a personal chat. In a team or group chat people come and go without
   * being greeted: the bot introduced itself once when it was added (onBotAdded).
   */
  private async onMembersAdded(turn: MembersAddedTurn): Promise<TurnResult> {
    const log = this.logFor(turn);
    if (turn.scope !== 'personal') {
      log.debug({ members: turn.members.length }, 'members added to a shared conversation; not greeted');
      return { replies: [] };
    }
    return this.deps.store.update(turn.conversationId, async (state) => {
      const newcomers = turn.members.filter((member) => !state.welcomed.includes(member.id));
      log.info({ welcomed: newcomers.length }, 'members added');
      if (newcomers.length === 0) return { state, result: { replies: [] } };
      const welcome: Reply = { text: this.content.phrases.welcome.trim(), choices: this.conversation.menu().choices ?? [] };
      const replies = newcomers.map(() => welcome);
      return {
        state: { ...state, welcomed: [...state.welcomed, ...newcomers.map((member) => member.id)], recent: this.remember(state.recent, 'bot', replies) },
        result: { replies },
      };
    });
  }

  /** Teams announces one install twice (conversationUpdate and installationUpdate): introduce once. */
  private onBotAdded(turn: BotAddedTurn): Promise<TurnResult> {
    const log = this.logFor(turn);
    return this.deps.store.update(turn.conversationId, async (state) => {
      const first = !state.welcomed.includes(turn.bot.id);
      log.info({ introduced: first }, 'bot added');
      if (!first) return { state, result: { replies: [] } };
      const replies: Reply[] = [{ text: this.content.phrases.groupWelcome.trim(), choices: this.conversation.menu().choices ?? [] }];
      return { state: { ...state, welcomed: [...state.welcomed, turn.bot.id], recent: this.remember(state.recent, 'bot', replies) }, result: { replies } };
    });
  }

  /** Tied to the conversation, its scope and the channel's ids (Teams tenant, team, channel). */
  private logFor(turn: Turn): Logger {
    return this.deps.logger.child({ conversationId: turn.conversationId, scope: turn.scope, ...turn.trace });
  }

  private onMessage(turn: MessageTurn): Promise<TurnResult> {
    const log = this.logFor(turn);
    return this.deps.store.update(turn.conversationId, async (state) => {
      const text = turn.text.replace(/\s+/g, ' ').trim();
      const outcome = this.decide(state, text, turn.hasAttachments);
      const recent = this.remember(this.remember(state.recent, 'customer', text ? [{ text }] : []), 'bot', outcome.replies);
      const next: ConversationState = { ...outcome.state, recent };
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
        ? { replies: outcome.replies, handoff: { reason: outcome.handoff, summary: this.summarize(state, next, outcome.finishedTree) } }
        : { replies: outcome.replies };
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

  private remember(recent: readonly TranscriptLine[], from: TranscriptLine['from'], replies: readonly { text: string }[]): TranscriptLine[] {
    const at = this.now().toISOString();
    return [...recent, ...replies.map((reply) => ({ from, text: reply.text, at }))].slice(-RECENT_LINES);
  }
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
