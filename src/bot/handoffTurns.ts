import type { Content } from '../content/types.js';
import { AppError } from '../errors.js';
import { accepted, customerWrote, hubStatus, requireAgent, takeOverOrder, type HandoffPhrase, type Transition } from '../handoff/flow.js';
import type { ConversationAddress, Conversations, HandBack, Message } from '../handoff/types.js';
import type { Update } from '../storage/conversationStore.js';
import type { Conversation, Outcome } from './conversation.js';
import { matchTopic } from './matchTopic.js';
import type { OrderedTurns } from './orderedTurn.js';
import { initialState, type ConversationState } from './state.js';
import type { Said, Transcript } from './transcript.js';
import type { HandoffStatusTurn, MessageTurn, TurnResult } from './types.js';

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
}

/**
 * The bot's side of the handoff flow (src/handoff/flow.ts): what the customer's messages, an
 * external hub's status, an agent in a shared chat and the console's agents do to a conversation.
 */
export class HandoffTurns implements Conversations {
  constructor(private readonly deps: HandoffTurnsDeps) {}

  /**
   * A customer's message while a person is involved; `withdraws` says whether it asks to stop
   * waiting. `sent` carries the pictures sent with it and what the bot says about them first.
   */
  customerWrote(state: ConversationState, text: string, withdraws: boolean, sent: Sent = {}): Update<ConversationState, TurnResult> {
    if (!state.handoff) throw new AppError('ERR_HANDOFF_STATE', 'no person is involved');
    const transition = customerWrote(state.handoff, { now: this.deps.now(), queueTimeoutMs: this.deps.queueTimeoutMs, withdraws });
    return this.apply(state, transition, text, sent);
  }

  hubStatus(turn: HandoffStatusTurn): Promise<TurnResult> {
    return this.deps.turns.inTurn(turn, (state) => this.apply(state, hubStatus(state.handoff, turn.state, this.deps.now())));
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
    return (
      await this.deps.turns.outsideTurn(address, (state) => {
        requireAgent(state.handoff, agent);
        return this.takeBack(state, how, agent);
      })
    ).replies;
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
    const left = { text: this.deps.content.phrases.agentLeft.replaceAll('{agent}', agent) };
    return this.deps.transcript.say(outcome.state, { replies: [left, ...outcome.replies] });
  }

  private resume(state: ConversationState, how: HandBack): Outcome {
    const { conversation, content } = this.deps;
    if (how.mode === 'topic') return conversation.startTopicById(state, how.topic);
    if (how.mode === 'node') return conversation.resumeAt(state, how.tree, how.node);
    return { state, replies: [{ text: content.phrases.handedBack }] };
  }

  private apply(state: ConversationState, transition: Transition, customer?: string, sent: Sent = {}): Update<ConversationState, TurnResult> {
    const next: ConversationState = transition.handoff ? { ...state, handoff: transition.handoff } : withoutHandoff(state);
    const replies = [...(sent.replies ?? []), ...(transition.say ? [{ text: this.phrase(transition.say) }] : [])];
    const attachments = sent.attachments?.length ? { attachments: sent.attachments } : {};
    return this.deps.transcript.say(next, { ...(customer ? { customer } : {}), ...attachments, replies }, transition.closeCase ? { closeCase: true } : {});
  }

  private phrase(key: HandoffPhrase): string {
    return this.deps.content.phrases[key];
  }
}

function withoutHandoff(state: ConversationState): ConversationState {
  const { handoff: _handoff, ...rest } = state;
  return { ...initialState(), ...rest };
}
