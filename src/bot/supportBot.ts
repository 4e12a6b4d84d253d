import type { Logger } from 'pino';
import type { ErrorCode } from '../errors.js';
import { queued } from '../handoff/flow.js';
import type { HandoffQueue } from '../handoff/queue.js';
import { summarize } from '../handoff/summary.js';
import type { ConversationAddress, HandoffContext, HandoffSummary } from '../handoff/types.js';
import type { Content } from '../content/types.js';
import type { InsightRecorder } from '../insights/recorder.js';
import type { Recognition } from '../nlu/recognizer.js';
import type { Update } from '../storage/conversationStore.js';
import type { Conversation, Outcome } from './conversation.js';
import type { HandoffTurns } from './handoffTurns.js';
import { addressOf, type OrderedTurns } from './orderedTurn.js';
import type { ConversationState } from './state.js';
import type { Transcript } from './transcript.js';
import type { ConversationRef, FeedbackTurn, MessageTurn, Turn, TurnResult } from './types.js';
import { introduceBot, welcomeMembers } from './welcome.js';

export interface SupportBotDeps {
  readonly content: Content;
  readonly recognize: (text: string) => Recognition;
  /** The reply policy: what to say to a customer's message when no person is involved. */
  readonly conversation: Conversation;
  readonly turns: OrderedTurns;
  readonly transcript: Transcript;
  readonly handoff: HandoffTurns;
  /** The embedded agent queue, when the console is enabled; external hubs only see handoff events. */
  readonly queue?: Pick<HandoffQueue, 'request' | 'close'>;
  /** Whether anybody could take this conversation: the console, a hub on its channel, agents in the chat. */
  readonly peopleReachable: (turn: MessageTurn) => boolean;
  readonly logger: Logger;
  /** Where what happened goes (INSIGHTS_ENABLED); absent, nothing is recorded. */
  readonly insights?: Pick<InsightRecorder, 'record'>;
  readonly maxMessageChars: number;
  readonly now: () => Date;
}

/** Text with at least one letter or digit: emoji, punctuation and whitespace alone are not a question. */
const READABLE = /[\p{L}\p{N}]/u;
/** Messages that ask to stop waiting for a person. */
const WITHDRAWING = new Set(['cancel', 'restart', 'goodbye']);

/**
 * The turn router: Turn in, replies out. Each kind of turn goes to the module that owns it, in
 * one ordered, replay-safe update of the conversation's state (orderedTurn.ts); the queue hears
 * about handoffs once the state is saved.
 */
export class SupportBot {
  private readonly conversation: Conversation;
  private readonly transcript: Transcript;
  private readonly turns: OrderedTurns;
  private readonly handoff: HandoffTurns;
  private readonly now: () => Date;

  constructor(private readonly deps: SupportBotDeps) {
    ({ conversation: this.conversation, transcript: this.transcript, turns: this.turns, handoff: this.handoff, now: this.now } = deps);
  }

  async handle(turn: Turn): Promise<TurnResult> {
    const result = await this.route(turn);
    await this.report(addressOf(turn), result, this.turns.logFor(turn));
    if (result.events && !result.replayed) this.deps.insights?.record(`${turn.channelId}|${turn.conversationId}`, result.events, this.now());
    return result;
  }

  /** A state that broke a turn is dropped so the next message starts clean instead of failing again. */
  reset(address: ConversationAddress): Promise<void> {
    return this.turns.delete(address);
  }

  async referenceOf(address: ConversationAddress): Promise<ConversationRef | undefined> {
    return (await this.turns.read(address)).reference;
  }

  private route(turn: Turn): Promise<TurnResult> {
    const { phrases } = this.deps.content;
    const menu = this.conversation.menu().choices ?? [];
    switch (turn.kind) {
      case 'message':
        return turn.fromAgent ? this.handoff.agentInSharedChat(turn) : this.onMessage(turn);
      case 'membersAdded':
        return this.turns.inTurn(turn, (state) => welcomeMembers(state, turn, { text: phrases.welcome.trim(), choices: menu }, this.transcript));
      case 'botAdded':
        return this.turns.inTurn(turn, (state) => introduceBot(state, turn, { text: phrases.groupWelcome.trim(), choices: menu }, this.transcript));
      case 'handoffStatus':
        return this.handoff.hubStatus(turn);
      case 'feedback':
        return this.onFeedback(turn);
    }
  }

  /**
   * The queue hears about a handoff once the state is saved: a turn re-run after an eTag conflict
   * must not report twice. A report that fails is logged; the customer has their answer.
   */
  private async report(address: ConversationAddress, result: TurnResult, log: Logger): Promise<void> {
    const { queue } = this.deps;
    if (!queue || (!result.handoff && !result.closeCase)) return;
    try {
      if (result.handoff) await queue.request(address, contextOf(result.handoff.summary));
      if (result.closeCase) await queue.close(address);
    } catch (error) {
      const code: ErrorCode = 'ERR_STORAGE_UNAVAILABLE';
      log.error({ code, err: error }, 'handoff case not updated');
    }
  }

  private onMessage(turn: MessageTurn): Promise<TurnResult> {
    const log = this.turns.logFor(turn);
    return this.turns.inTurn(turn, async (saved) => {
      // While a person is involved the reply address stays the one the handoff began with: a later
      // activity must not redirect an agent's messages.
      const state = saved.handoff || !turn.reference ? saved : { ...saved, reference: turn.reference };
      // One character over the limit is enough to ask for a shorter message, and keeps a 200 kB
      // message out of the state and the transcript.
      const text = turn.text.replace(/\s+/g, ' ').trim().slice(0, this.deps.maxMessageChars + 1);
      if (state.handoff) return this.handoff.customerWrote(state, text, this.withdraws(text));

      const outcome = this.decide(state, text, turn.hasAttachments);
      log.info(
        {
          intent: outcome.recognition?.intent,
          verdict: outcome.recognition?.verdict,
          confidence: outcome.recognition ? round(outcome.recognition.confidence) : undefined,
          tree: outcome.state.tree ? `${outcome.state.tree.tree}/${outcome.state.tree.node}` : undefined,
          handoff: outcome.handoff,
        },
        'turn',
      );
      log.debug({ explanation: outcome.recognition?.explanation, candidates: outcome.recognition?.candidates }, 'recognition');
      const events = outcome.events ?? [];
      if (!outcome.handoff) return this.transcript.say(outcome.state, { customer: text, replies: outcome.replies }, { events });
      // Never a queue nobody watches: with no console, no hub and no agent in the chat, say so plainly.
      if (!this.deps.peopleReachable(turn)) {
        const noPerson = [{ text: this.deps.content.phrases.noPersonAvailable }];
        return this.transcript.say(outcome.state, { customer: text, replies: noPerson }, { events: events.filter((event) => event.kind !== 'handedOff') });
      }
      return this.handOff(turn, state, outcome, text);
    });
  }

  /** Teams' thumbs on an answer: the same acknowledgement as a typed "that helped" or "not helpful". */
  private onFeedback(turn: FeedbackTurn): Promise<TurnResult> {
    const { phrases } = this.deps.content;
    return this.turns.inTurn(turn, (state) => {
      // While a person is involved the agent answers; the thumbs are still counted.
      const outcome = this.conversation.channelFeedback(state, turn.helpful);
      const replies = state.handoff ? [] : outcome.replies;
      const next = state.handoff ? { ...outcome.state, offered: state.offered } : outcome.state;
      return this.transcript.say(next, { customer: turn.helpful ? phrases.helpfulChoice : phrases.notHelpfulChoice, replies }, { events: outcome.events ?? [] });
    });
  }

  /** The customer is queued for a person, with a summary of what happened so far for the agent. */
  private async handOff(turn: MessageTurn, before: ConversationState, outcome: Outcome, text: string): Promise<Update<ConversationState, TurnResult>> {
    const reason = outcome.handoff ?? 'customer_asked';
    const said = this.transcript.say({ ...outcome.state, handoff: queued(this.now()) }, { customer: text, replies: outcome.replies });
    const earlier = await this.transcript.earlier(addressOf(turn), before, this.turns.logFor(turn));
    const topic = before.lastIntent ?? outcome.state.lastIntent;
    const tree = outcome.finishedTree ?? before.tree;
    const summary = summarize({
      reason,
      ...(topic ? { topic } : {}),
      ...(tree ? { tree } : {}),
      // For a request or a tree's handoff node, what the customer was struggling with is the previous message's reading.
      candidates: reason === 'repeated_fallback' ? (outcome.recognition?.candidates ?? []) : before.lastCandidates,
      transcript: [...earlier, ...said.result.lines],
    });
    return { state: said.state, result: { ...said.result, handoff: { reason, summary }, events: outcome.events ?? [] } };
  }

  private withdraws(text: string): boolean {
    const action = this.deps.content.intentById.get(this.deps.recognize(text).intent ?? '')?.action;
    return action !== undefined && WITHDRAWING.has(action);
  }

  private decide(state: ConversationState, text: string, hasAttachments: boolean): Outcome {
    const { phrases } = this.deps.content;
    if (text.length > this.deps.maxMessageChars) return { state, replies: [{ text: phrases.tooLong }] };
    if (!READABLE.test(text)) return { state, replies: [{ text: text === '' && hasAttachments ? phrases.nonText : phrases.empty }] };
    return this.conversation.respond(state, text);
  }
}

/** The case keeps the context; its lines stay in the transcript store. */
const contextOf = ({ transcript: _lines, ...context }: HandoffSummary): HandoffContext => context;

const round = (value: number): number => Math.round(value * 1000) / 1000;
