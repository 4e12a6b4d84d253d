import type { Logger } from 'pino';
import type { Content } from '../content/types.js';
import { AppError, type ErrorCode } from '../errors.js';
import type { BotControl, HandBack, HandoffDesk } from '../handoff/types.js';
import type { ConversationStore, Update } from '../storage/conversationStore.js';
import type { TranscriptStore } from '../storage/transcriptStore.js';
import { Conversation, type ConversationDeps, type Outcome } from './conversation.js';
import { matchTopic } from './matchTopic.js';
import { initialState, SEEN_ACTIVITIES, type ConversationState } from './state.js';
import { exchange, HANDOFF_TRANSCRIPT_LINES, Transcript } from './transcript.js';
import type {
  ConversationRef,
  BotAddedTurn,
  HandoffStatusTurn,
  HandoffSummary,
  MembersAddedTurn,
  MessageTurn,
  Reply,
  TranscriptLine,
  Turn,
  TurnResult,
} from './types.js';

export interface SupportBotDeps extends ConversationDeps {
  readonly store: ConversationStore<ConversationState>;
  readonly logger: Logger;
  readonly maxMessageChars: number;
  /** The embedded agent hub, when the console is enabled; external hubs only see handoff events. */
  readonly desk?: HandoffDesk;
  /** A queued handoff no agent accepted within this long is given up (the customer is told). */
  readonly handoffQueueTimeoutMs: number;
  /** Where every line is kept; handoff summaries read it, since the state keeps only the last few lines. */
  readonly transcripts?: Pick<TranscriptStore, 'read' | 'append'>;
  readonly now?: () => Date;
}

/** Text with at least one letter or digit: emoji, punctuation and whitespace alone are not a question. */
const READABLE = /[\p{L}\p{N}]/u;
/** "take over: slow restore" — an agent in a shared chat giving the conversation to the bot. */
const TAKE_OVER = /^\s*take\s*over\b[\s:,-]*(.*)$/i;
/** Teams mention markup left in an agent's text when the mention entity was not the bot's. */
const MENTION_MARKUP = /<at>[^<]*<\/at>/g;

type SideEffect = () => Promise<void> | undefined;

/**
 * The turn router: Turn in, replies out. Loads the conversation's state, decides, and saves the
 * state once at the end of the turn (through the store, which orders turns of one conversation).
 * While a person is involved it relays instead of answering.
 */
export class SupportBot implements BotControl {
  private readonly conversation: Conversation;
  private readonly content: Content;
  private readonly now: () => Date;
  private readonly transcript: Transcript;

  constructor(private readonly deps: SupportBotDeps) {
    this.conversation = new Conversation(deps);
    this.content = deps.content;
    this.now = deps.now ?? (() => new Date());
    this.transcript = new Transcript(deps.transcripts, this.now);
  }

  async handle(turn: Turn): Promise<TurnResult> {
    const effects: SideEffect[] = [];
    const result = await this.route(turn, effects);
    const log = this.logFor(turn);
    await this.transcript.keep(turn.trace?.channelId, turn.conversationId, result.lines, log);
    await this.report(effects, log);
    return result;
  }

  /**
   * Reports to the hub run once the state is saved: a turn re-run after an eTag conflict must not
   * report twice. A report that fails is logged; the customer has their answer and the state is saved.
   */
  private async report(effects: readonly SideEffect[], log: Logger): Promise<void> {
    const code: ErrorCode = 'ERR_STORAGE_UNAVAILABLE';
    const outcomes = await Promise.allSettled(effects.map((effect) => effect()));
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') log.error({ code, err: outcome.reason }, 'handoff case not updated');
    }
  }

  /** A state that broke a turn is dropped so the next message starts clean instead of failing again. */
  async reset(conversationId: string): Promise<void> {
    await this.deps.store.delete(conversationId);
  }

  async referenceOf(conversationId: string): Promise<ConversationRef | undefined> {
    return (await this.deps.store.read(conversationId)).reference;
  }

  async agentAccepted(conversationId: string, agent: string, notice: string): Promise<void> {
    await this.outsideTurn(conversationId, async (state) => {
      // Decided here, in the conversation's ordered update, so two agents on two instances cannot both win.
      if (!state.handoff) throw new AppError('ERR_HANDOFF_STATE', `conversation ${conversationId} is no longer waiting for a person`);
      if (state.handoff.status === 'accepted' && state.handoff.agent && state.handoff.agent !== agent) {
        throw new AppError('ERR_HANDOFF_STATE', `conversation ${conversationId} is already with ${state.handoff.agent}`);
      }
      const { recent, lines } = this.transcript.number(state, [{ from: 'bot', text: notice }]);
      return { state: { ...state, handoff: { status: 'accepted', since: this.stamp(), agent }, recent }, result: { replies: [], lines } };
    });
  }

  async agentSaid(conversationId: string, text: string): Promise<void> {
    await this.outsideTurn(conversationId, async (state) => {
      const { recent, lines } = this.transcript.number(state, [{ from: 'agent', text }]);
      return { state: { ...state, recent }, result: { replies: [], lines } };
    });
  }

  async handBack(conversationId: string, how: HandBack): Promise<readonly Reply[]> {
    return (await this.outsideTurn(conversationId, (state) => this.takeBackFrom(state, how))).replies;
  }

  /** An update the hub asks for: no activity carries the channel id, so the state's is used for the transcript. */
  private async outsideTurn(conversationId: string, decide: (state: ConversationState) => Promise<Update<ConversationState, TurnResult>>): Promise<TurnResult> {
    let channelId: string | undefined;
    const result = await this.deps.store.update<TurnResult>(conversationId, (state) => {
      channelId = state.channelId;
      return decide(state);
    });
    await this.transcript.keep(channelId, conversationId, result.lines, this.deps.logger.child({ conversationId }));
    return result;
  }

  /** The conversation back with the bot, plainly, at a topic or at a node; the handoff is over. */
  private async takeBackFrom(state: ConversationState, how: HandBack): Promise<Update<ConversationState, TurnResult>> {
    const outcome = this.resume(withoutHandoff(state), how);
    const { recent, lines } = this.transcript.number(state, exchange(undefined, outcome.replies));
    return { state: { ...outcome.state, recent }, result: { replies: outcome.replies, lines } };
  }

  private route(turn: Turn, effects: SideEffect[]): Promise<TurnResult> {
    switch (turn.kind) {
      case 'message':
        return turn.fromAgent ? this.onAgentMessage(turn, effects) : this.onMessage(turn, effects);
      case 'membersAdded':
        return this.onMembersAdded(turn);
      case 'botAdded':
        return this.onBotAdded(turn);
      case 'handoffStatus':
        return this.onHandoffStatus(turn, effects);
    }
  }

  /**
   * One welcome per person in a personal chat. In a team or group chat people come and go without
   * being greeted: the bot introduced itself once when it was added (onBotAdded).
   */
  private async onMembersAdded(turn: MembersAddedTurn): Promise<TurnResult> {
    const log = this.logFor(turn);
    if (turn.scope !== 'personal') {
      log.debug({ members: turn.members.length }, 'members added to a shared conversation; not greeted');
      return { replies: [], lines: [] };
    }
    return this.updateOnce(turn, async (state) => {
      const newcomers = turn.members.filter((member) => !state.welcomed.includes(member.id));
      log.info({ welcomed: newcomers.length }, 'members added');
      if (newcomers.length === 0) return { state, result: { replies: [], lines: [] } };
      // One welcome however many joined: a personal chat has one person, and a forged list of
      // thousands of members must not become thousands of sends.
      const replies: Reply[] = [{ text: this.content.phrases.welcome.trim(), choices: this.conversation.menu().choices ?? [] }];
      const { recent, lines } = this.transcript.number(state, exchange(undefined, replies));
      return {
        state: {
          ...state,
          ...addressOf(turn),
          welcomed: [...state.welcomed, ...newcomers.map((member) => member.id)],
          recent,
        },
        result: { replies, lines },
      };
    });
  }

  /** Teams announces one install twice (conversationUpdate and installationUpdate): introduce once. */
  private onBotAdded(turn: BotAddedTurn): Promise<TurnResult> {
    const log = this.logFor(turn);
    return this.updateOnce(turn, async (state) => {
      const first = !state.welcomed.includes(turn.bot.id);
      log.info({ introduced: first }, 'bot added');
      if (!first) return { state, result: { replies: [], lines: [] } };
      const replies: Reply[] = [{ text: this.content.phrases.groupWelcome.trim(), choices: this.conversation.menu().choices ?? [] }];
      const { recent, lines } = this.transcript.number(state, exchange(undefined, replies));
      return { state: { ...state, welcomed: [...state.welcomed, turn.bot.id], recent }, result: { replies, lines } };
    });
  }

  /**
   * The turn's one state update, skipped for a replay: a channel re-sends an activity it got no
   * answer for, and it must not move a tree on twice. The ids are kept in the state, inside the
   * ordered update, so a replay that reaches another instance is caught as well.
   */
  private updateOnce(turn: Turn, decide: (state: ConversationState) => Promise<Update<ConversationState, TurnResult>>): Promise<TurnResult> {
    const { activityId } = turn;
    return this.deps.store.update<TurnResult>(turn.conversationId, async (state) => {
      if (activityId && state.seen?.includes(activityId)) {
        this.logFor(turn).info('replayed activity ignored');
        return { state, result: { replies: [], lines: [] } };
      }
      const { state: next, result } = await decide(state);
      return { state: activityId ? { ...next, seen: [...(state.seen ?? []), activityId].slice(-SEEN_ACTIVITIES) } : next, result };
    });
  }

  /** Tied to the conversation, its scope and the channel's ids (Teams tenant, team, channel). */
  private logFor(turn: Turn): Logger {
    return this.deps.logger.child({ conversationId: turn.conversationId, scope: turn.scope, ...turn.trace });
  }

  private onMessage(turn: MessageTurn, effects: SideEffect[]): Promise<TurnResult> {
    const log = this.logFor(turn);
    return this.updateOnce(turn, async (current) => {
      const state = { ...current, ...addressOf(turn) };
      // One character over the limit is enough for decide() to ask for a shorter message, and keeps
      // a 200 kB message out of the state and the transcript.
      const text = turn.text.replace(/\s+/g, ' ').trim().slice(0, this.deps.maxMessageChars + 1);
      if (state.handoff) return this.whileWithPeople(turn.conversationId, state, text, effects);

      const outcome = this.decide(state, text, turn.hasAttachments);
      const { recent, lines } = this.transcript.number(state, exchange(text, outcome.replies));
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
      if (!outcome.handoff) return { state: next, result: { replies: outcome.replies, lines } };

      const earlier = await this.transcript.earlier(turn.trace?.channelId, turn.conversationId, state, log);
      const summary = this.summarize(state, next, outcome, [...earlier, ...lines].slice(-HANDOFF_TRANSCRIPT_LINES));
      const { transcript: _transcript, ...context } = summary;
      effects.push(() => this.deps.desk?.request(turn.conversationId, turn.trace?.channelId, { reason: outcome.handoff ?? 'customer_asked', ...context }));
      return {
        state: { ...next, handoff: { status: 'queued', since: this.stamp() } },
        result: { replies: outcome.replies, lines, handoff: { reason: outcome.handoff, summary } },
      };
    });
  }

  /** Queued: the customer may withdraw; otherwise their words go to the agent, with one notice. Accepted: silent. */
  private async whileWithPeople(conversationId: string, state: ConversationState, text: string, effects: SideEffect[]) {
    const { phrases } = this.content;
    const handoff = state.handoff;
    const quiet = this.transcript.number(state, exchange(text, []));
    if (!handoff || handoff.status === 'accepted') return { state: { ...state, recent: quiet.recent }, result: { replies: [], lines: quiet.lines } };

    const expired = this.now().getTime() - Date.parse(handoff.since) > this.deps.handoffQueueTimeoutMs;
    const action = this.content.intentById.get(this.deps.recognize(text).intent ?? '')?.action;
    const withdrawn = action === 'cancel' || action === 'restart' || action === 'goodbye';
    if (expired || withdrawn) {
      effects.push(() => this.deps.desk?.close(conversationId));
      const replies = [{ text: expired ? phrases.handoffFailed : phrases.handoffWithdrawn }];
      const { recent, lines } = this.transcript.number(state, exchange(text, replies));
      return { state: { ...withoutHandoff(state), recent }, result: { replies, lines } };
    }
    if (handoff.waitingNoticeSent) return { state: { ...state, recent: quiet.recent }, result: { replies: [], lines: quiet.lines } };
    const replies = [{ text: phrases.handoffWaiting }];
    const { recent, lines } = this.transcript.number(state, exchange(text, replies));
    return {
      state: { ...state, handoff: { ...handoff, waitingNoticeSent: true }, recent },
      result: { replies, lines },
    };
  }

  /** An agent in a shared chat: never recognised; "take over: <topic>" gives the chat to the bot. */
  private onAgentMessage(turn: MessageTurn, effects: SideEffect[]): Promise<TurnResult> {
    const order = TAKE_OVER.exec(turn.text.replace(MENTION_MARKUP, ' '));
    if (!order) return Promise.resolve({ replies: [], lines: [] });
    const topic = matchTopic(this.content.intents, order[1] ?? '');
    const how: HandBack = topic ? { mode: 'topic', topic } : { mode: 'plain' };
    effects.push(() => this.deps.desk?.close(turn.conversationId));
    return this.deps.store.update<TurnResult>(turn.conversationId, (state) => this.takeBackFrom(state, how));
  }

  /** handoff.status from an external hub: accepted silences the bot, failed and completed give it back. */
  private onHandoffStatus(turn: HandoffStatusTurn, effects: SideEffect[]): Promise<TurnResult> {
    const { phrases } = this.content;
    return this.updateOnce(turn, async (state) => {
      if (turn.state === 'accepted') {
        return { state: { ...state, handoff: { status: 'accepted', since: this.stamp() } }, result: { replies: [], lines: [] } };
      }
      if (!state.handoff) return { state, result: { replies: [], lines: [] } };
      effects.push(() => this.deps.desk?.close(turn.conversationId));
      const replies = [{ text: turn.state === 'failed' ? phrases.handoffFailed : phrases.handoffCompleted }];
      const { recent, lines } = this.transcript.number(state, exchange(undefined, replies));
      return { state: { ...withoutHandoff(state), recent }, result: { replies, lines } };
    });
  }

  private resume(state: ConversationState, how: HandBack): Outcome {
    if (how.mode === 'topic') return this.conversation.startTopicById(state, how.topic);
    if (how.mode === 'node') return this.conversation.resumeAt(state, how.tree, how.node);
    return { state, replies: [{ text: this.content.phrases.handedBack }] };
  }

  private decide(state: ConversationState, text: string, hasAttachments: boolean): Outcome {
    const { phrases } = this.content;
    if (text.length > this.deps.maxMessageChars) return { state, replies: [{ text: phrases.tooLong }] };
    if (!READABLE.test(text)) return { state, replies: [{ text: text === '' && hasAttachments ? phrases.nonText : phrases.empty }] };
    return this.conversation.respond(state, text);
  }

  private summarize(before: ConversationState, after: ConversationState, outcome: Outcome, transcript: readonly TranscriptLine[]): HandoffSummary {
    const tree = outcome.finishedTree ?? before.tree;
    const topic = before.lastIntent ?? after.lastIntent;
    return {
      ...(topic ? { topic } : {}),
      treePath: tree ? tree.path.map((step) => ({ tree: tree.tree, ...step })) : [],
      // For a request or a tree's handoff node, what the customer was struggling with is the previous message's reading.
      candidates: outcome.handoff === 'repeated_fallback' ? (outcome.recognition?.candidates ?? []) : before.lastCandidates,
      transcript,
    };
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}

function withoutHandoff(state: ConversationState): ConversationState {
  const { handoff: _handoff, ...rest } = state;
  return { ...initialState(), ...rest };
}

/** Where the conversation can be reached later, and the channel id that keys its transcript. */
function addressOf(turn: Turn): Pick<ConversationState, 'reference' | 'channelId'> {
  const channelId = turn.trace?.channelId;
  return { ...(turn.reference ? { reference: turn.reference } : {}), ...(channelId ? { channelId } : {}) };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
