import type { Content } from '../content/types.js';
import type { InsightEvent } from '../insights/events.js';
import type { InsightRecorder } from '../insights/recorder.js';
import { AppError } from '../errors.js';
import { accepted, customerWrote, hubStatus, requireAgent, takeOverOrder, type HandoffPhrase, type Transition } from '../handoff/flow.js';
import type { Standing } from '../handoff/queue.js';
import { addressKey, type ConversationAddress, type Conversations, type HandBack, type Message } from '../handoff/types.js';
import type { Update } from '../storage/conversationStore.js';
import type { Conversation } from './conversation.js';
import type { Outcome } from './outcome.js';
import { matchTopic } from './matchTopic.js';
import type { OrderedTurns } from './orderedTurn.js';
import { initialState, type ConversationState } from './state.js';
import type { Said, Transcript } from './transcript.js';
import type { HandoffStatusTurn, MessageTurn, Reply, TurnResult } from './types.js';

/** What the router knows about a message from a customer in the handoff flow. */
export interface CustomerWriting {
  /** It asks to stop waiting (cancel, never mind, start over, goodbye). */
  readonly withdraws: boolean;
  /** A person could answer now (an agent online, a hub, agents in the chat). */
  readonly available: boolean;
  /** Their place in the console's queue, when they are (or are about to be) in it. */
  readonly standing?: Standing;
  /** The message is only a yes or a no ("ok", "no thanks"). */
  readonly bare?: 'yes' | 'no';
}

/** What came with a customer's message besides its words: pictures, and the bot's word on them. */
type Sent = Pick<Said, 'attachments' | 'replies'>;

export interface HandoffTurnsDeps {
  readonly content: Content;
  readonly conversation: Conversation;
  readonly turns: OrderedTurns;
  readonly transcript: Transcript;
  /** A queued handoff no agent accepted within this long is given up (the customer is told). */
  readonly queueTimeoutMs: number;
  readonly now: () => Date;
  /** Where a console agent's hand-back is recorded, once saved; a turn's events go through the router's. */
  readonly insights?: Pick<InsightRecorder, 'record'>;
}

/**
 * The bot's side of the handoff flow (src/handoff/flow.ts): what the customer's messages, an
 * external hub's status, an agent in a shared chat and the console's agents do to a conversation.
 */
export class HandoffTurns implements Conversations {
  constructor(private readonly deps: HandoffTurnsDeps) {}

  /**
   * A customer's message while a person is involved (or offered). Undefined when an offer to leave a
   * message has lapsed: the bot then answers the message itself. `sent` carries the pictures sent
   * with it and what the bot says about them first.
   */
  customerWrote(state: ConversationState, text: string, about: CustomerWriting, sent: Sent = {}): Update<ConversationState, TurnResult> | undefined {
    const { handoff } = state;
    if (!handoff) throw new AppError('ERR_HANDOFF_STATE', 'no person is involved');
    const transition = customerWrote(handoff, { now: this.deps.now(), queueTimeoutMs: this.deps.queueTimeoutMs, withdraws: about.withdraws, available: about.available, ...(about.bare ? { bare: about.bare } : {}) });
    if (transition.passOn) return undefined;
    const leftMessage = transition.keepMessage ? { text, ...(handoff.context ? { context: handoff.context } : {}) } : undefined;
    const extra = { ...(leftMessage ? { leftMessage } : {}), ...(transition.requestCase ? { requestCase: transition.requestCase } : {}) };
    return this.apply(state, transition, text, about.standing, extra, sent);
  }

  /** What to add to the handoff's own replies once the customer is queued: their place and, if measured, the wait. */
  queuedNotice(standing: Standing): readonly Reply[] {
    return this.say('queued', standing).map((text) => ({ text }));
  }

  hubStatus(turn: HandoffStatusTurn): Promise<TurnResult> {
    return this.deps.turns.inTurn(turn, (state) => {
      const update = this.apply(state, hubStatus(state.handoff, turn.state, this.deps.now()));
      // The hub's agent finishing ("completed") is a person closing the chat, as the console's close is.
      const closed = turn.state === 'completed' && state.handoff !== undefined;
      return closed ? { ...update, result: { ...update.result, events: [{ kind: 'handedBack', how: 'close' }] } } : update;
    });
  }

  /** An agent in a shared chat is never recognised; "take over: <topic>" gives the chat to the bot. */
  async agentInSharedChat(turn: MessageTurn): Promise<TurnResult> {
    const order = takeOverOrder(turn.text);
    if (order === undefined) return { replies: [], lines: [] };
    const topic = matchTopic(this.deps.content.intents, order);
    const how: HandBack = topic ? { mode: 'topic', topic } : { mode: 'plain' };
    return this.deps.turns.inTurn(turn, (state) => {
      const taken = this.takeBack(state, how, turn.from.name ?? 'The agent');
      return { state: taken.state, result: { ...taken.result, closeCase: true } };
    });
  }

  async accept(address: ConversationAddress, agent: string): Promise<readonly Message[]> {
    const notice = this.deps.content.phrases.agentJoined.replaceAll('{agent}', agent);
    return (
      await this.deps.turns.outsideTurn(address, (state) =>
        // Decided here, in the conversation's ordered update, so two agents on two instances cannot both win.
        this.deps.transcript.say({ ...state, handoff: accepted(state.handoff, agent, this.deps.now()) }, { replies: [{ text: notice }] }),
      )
    ).replies;
  }

  async agentSaid(address: ConversationAddress, agent: string, text: string): Promise<readonly Message[]> {
    await this.deps.turns.outsideTurn(address, (state) => {
      requireAgent(state.handoff, agent);
      return this.deps.transcript.say(state, { agent: text });
    });
    return [{ text, speaker: agent }];
  }

  async handBack(address: ConversationAddress, agent: string, how: HandBack): Promise<readonly Message[]> {
    this.checkTarget(how);
    const result = await this.deps.turns.outsideTurn(address, (state) => {
      requireAgent(state.handoff, agent);
      return this.takeBack(state, how, agent);
    });
    if (result.events) this.deps.insights?.record(addressKey(address), result.events, this.deps.now());
    return result.replies;
  }

  /** A hand-back names a topic, or a node of a tree, that the content has (never a prototype key). */
  private checkTarget(how: HandBack): void {
    const { content } = this.deps;
    if (how.mode === 'topic') {
      const intent = content.intentById.get(how.topic);
      if (!intent || intent.action) throw new AppError('ERR_HANDOFF_TARGET', `there is no topic '${how.topic}'`);
    }
    if (how.mode === 'node') {
      const tree = content.trees.get(how.tree);
      if (!tree || !Object.hasOwn(tree.nodes, how.node)) throw new AppError('ERR_HANDOFF_TARGET', `there is no node '${how.node}' in tree '${how.tree}'`);
    }
  }

  /**
   * The conversation back with the bot, plainly, at a topic or at a node; the handoff is over. The
   * customer is told the person has left before the bot speaks again.
   */
  private takeBack(state: ConversationState, how: HandBack, agent: string): Update<ConversationState, TurnResult> {
    const outcome = this.resume(withoutHandoff(state), how);
    const { agentLeft, agentClosed } = this.deps.content.phrases;
    const left = { text: (how.mode === 'close' ? agentClosed : agentLeft).replaceAll('{agent}', agent) };
    return this.deps.transcript.say(outcome.state, { replies: [left, ...outcome.replies] }, { events: [handedBack(how)] });
  }

  private resume(state: ConversationState, how: HandBack): Outcome {
    const { conversation, content } = this.deps;
    if (how.mode === 'topic') return conversation.startTopicById(state, how.topic);
    if (how.mode === 'node') return conversation.resumeAt(state, how.tree, how.node);
    if (how.mode === 'close') return { state, replies: [] };
    return { state, replies: [{ text: content.phrases.handedBack }] };
  }

  private apply(
    state: ConversationState,
    transition: Transition,
    customer?: string,
    standing?: Standing,
    extra: Pick<TurnResult, 'leftMessage' | 'requestCase'> = {},
    sent: Sent = {},
  ): Update<ConversationState, TurnResult> {
    const next: ConversationState = transition.handoff ? { ...state, handoff: transition.handoff } : withoutHandoff(state);
    const replies = [...(sent.replies ?? []), ...(transition.say ? this.say(transition.say, standing).map((text) => ({ text })) : [])];
    const attachments = sent.attachments?.length ? { attachments: sent.attachments } : {};
    const ended = transition.ended && state.handoff && state.handoff.status !== 'accepted' ? { events: [{ kind: 'waitEnded', why: transition.ended, from: state.handoff.status } satisfies InsightEvent] } : {};
    return this.deps.transcript.say(next, { ...(customer ? { customer } : {}), ...attachments, replies }, { ...extra, ...ended, ...(transition.closeCase ? { closeCase: true } : {}) });
  }

  /**
   * A phrase in the content's words, with the customer's place filled in. Where no place is known
   * (an external hub's queue) the waiting notice says no number rather than a made-up one.
   */
  private say(key: HandoffPhrase, standing: Standing | undefined): string[] {
    const { phrases } = this.deps.content;
    if (!standing) return [phrases[key === 'queued' ? 'handoffWaiting' : key]];
    const place = (text: string) => text.replaceAll('{position}', String(standing.position));
    if (key === 'handoffWaiting') return [place(phrases.stillQueued)];
    if (key !== 'queued') return [phrases[key]];
    const wait = standing.waitMinutes === undefined ? [] : [phrases.queuedWait.replaceAll('{minutes}', String(standing.waitMinutes))];
    return [[place(phrases.queued), ...wait].join(' ')];
  }
}

function handedBack(how: HandBack): InsightEvent {
  if (how.mode === 'topic') return { kind: 'handedBack', how: how.mode, toTopic: how.topic };
  if (how.mode === 'node') return { kind: 'handedBack', how: how.mode, toTree: how.tree, toNode: how.node };
  return { kind: 'handedBack', how: how.mode };
}

/** Whatever the customer asked of a person is over: the bot has the chat. */
export function withoutHandoff(state: ConversationState): ConversationState {
  const { handoff: _handoff, ...rest } = state;
  return { ...initialState(), ...rest };
}
