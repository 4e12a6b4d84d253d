import { AppError } from '../errors.js';
import type { HandoffContext } from './types.js';

/**
 * The bot⇄person flow as pure transitions over the handoff part of a conversation's state. The
 * bot runs them inside the conversation's ordered update (so two instances cannot both decide),
 * says what they ask for in the content's words, and reports to the queue afterwards.
 */
export interface HandoffState {
  /**
   * offered: nobody was online, and the customer was asked to leave a message (their next one is it);
   * message: they left one, kept in the queue for an agent who comes online later;
   * queued: waiting for a person; accepted: a person owns the chat and the bot is silent.
   */
  readonly status: 'offered' | 'message' | 'queued' | 'accepted';
  readonly since: string;
  readonly agent?: string;
  /** The customer has been told once that they are waiting; later messages are relayed quietly. */
  readonly waitingNoticeSent?: boolean;
  /** offered: what the agent will be told about the conversation once the message is written. */
  readonly context?: HandoffContext;
  /** message: how many of the customer's messages the left message holds. */
  readonly parts?: number;
}

/** Which of the content's phrases the bot says; the flow never holds wording of its own. */
export type HandoffPhrase = 'handoffWaiting' | 'handoffWithdrawn' | 'handoffFailed' | 'handoffCompleted' | 'queued' | 'messagePrompt' | 'messageLeft' | 'messageAdded' | 'messageStands' | 'messageFull' | 'agentsLeft';

/** What a transition decided: the new handoff part (undefined: the bot has the chat again). */
export interface Transition {
  readonly handoff: HandoffState | undefined;
  readonly say?: HandoffPhrase;
  /** The queue's case is over (withdrawn, expired, finished by a hub). */
  readonly closeCase?: boolean;
  /** The customer's words are kept as (a part of) the message they leave for the agents. */
  readonly keepMessage?: boolean;
  /** Somebody came online while the customer was writing their message: queue a case with this context. */
  readonly requestCase?: HandoffContext;
  /** The offer to leave a message lapsed: the bot answers this message as if no person had come up. */
  readonly passOn?: boolean;
  /** The customer stopped waiting for a person without one answering: asked to (cancel), the queue timed out, or an external hub gave up. */
  readonly ended?: 'withdrawn' | 'timedOut' | 'hubFailed';
}

/**
 * Messages a left message keeps. A stressed customer writes several ("hello?", "anyone?"): each is
 * kept, and past this many they are still in the transcript, but the case no longer grows.
 */
export const MAX_MESSAGE_PARTS = 10;

export const queued = (now: Date): HandoffState => ({ status: 'queued', since: now.toISOString() });

/** Nobody is online: the customer is offered to leave a message, which the case will carry with this context. */
export const offered = (now: Date, context: HandoffContext): HandoffState => ({ status: 'offered', since: now.toISOString(), context });

export interface CustomerWroteOptions {
  readonly now: Date;
  readonly queueTimeoutMs: number;
  /** The message asks to stop waiting (cancel, never mind, start over, goodbye). */
  readonly withdraws: boolean;
  /** Whether a person could answer now; asked only while queued or offered (accepted needs nobody else). */
  readonly available: boolean;
  /** The message is only a yes or a no ("ok", "no thanks"): an answer to what the bot offered, no message to leave. */
  readonly bare?: 'yes' | 'no';
}

/**
 * A customer's message while a person is involved. Accepted: relayed, the bot stays silent.
 * Offered: the message is the one they leave (or, if an agent came online meanwhile, they are
 * queued); an offer older than the queue timeout has lapsed and the bot answers instead. A bare
 * "no" to the offer declines it; a bare "ok" accepts it and is no message yet.
 * Left a message: each further one is added, up to a bound; a bare yes or no ("no thanks" to "want
 * to add something?") adds nothing. Queued: past the queue timeout the
 * bot gives up; if every agent went offline the customer is told, and what they wrote becomes a
 * message; otherwise one notice that they are waiting, then quiet relaying. "Cancel" (or start
 * over, goodbye) withdraws from any of them but an accepted chat.
 */
export function customerWrote(handoff: HandoffState, options: CustomerWroteOptions): Transition {
  if (handoff.status === 'accepted') return { handoff };
  const age = options.now.getTime() - Date.parse(handoff.since);
  if (handoff.status === 'offered') {
    if (age > options.queueTimeoutMs) return { handoff: undefined, passOn: true };
    if (options.withdraws || options.bare === 'no') return { handoff: undefined, say: 'handoffWithdrawn', ended: 'withdrawn' };
    if (options.bare === 'yes') return { handoff, say: 'messagePrompt' };
    if (options.available && handoff.context) return { handoff: queued(options.now), say: 'queued', requestCase: handoff.context };
    return { handoff: { status: 'message', since: options.now.toISOString(), parts: 1 }, say: 'messageLeft', keepMessage: true };
  }
  if (options.withdraws) return { handoff: undefined, say: 'handoffWithdrawn', closeCase: true, ended: 'withdrawn' };
  if (handoff.status === 'message') {
    if (options.bare) return { handoff, say: 'messageStands' };
    const parts = handoff.parts ?? 1;
    if (parts >= MAX_MESSAGE_PARTS) return { handoff, say: 'messageFull' };
    return { handoff: { ...handoff, parts: parts + 1 }, say: 'messageAdded', keepMessage: true };
  }
  if (age > options.queueTimeoutMs) return { handoff: undefined, say: 'handoffFailed', closeCase: true, ended: 'timedOut' };
  if (!options.available) return { handoff: { status: 'message', since: handoff.since, parts: 1 }, say: 'agentsLeft', keepMessage: true };
  if (handoff.waitingNoticeSent) return { handoff };
  return { handoff: { ...handoff, waitingNoticeSent: true }, say: 'handoffWaiting' };
}

/** An agent takes the chat. Decided on the conversation's state, so the first of two agents wins. */
export function accepted(handoff: HandoffState | undefined, agent: string, now: Date): HandoffState {
  if (!handoff) throw new AppError('ERR_HANDOFF_STATE', 'the customer is no longer waiting for a person');
  if (handoff.status === 'accepted' && handoff.agent && handoff.agent !== agent) {
    throw new AppError('ERR_HANDOFF_STATE', `the conversation is already with ${handoff.agent}`);
  }
  return { status: 'accepted', since: now.toISOString(), agent };
}

/** Only the agent who accepted may speak for the support team in this conversation. */
export function requireAgent(handoff: HandoffState | undefined, agent: string): void {
  if (handoff?.status !== 'accepted' || handoff.agent !== agent) {
    throw new AppError('ERR_HANDOFF_STATE', `the conversation is not with ${agent}: accept it first`);
  }
}

/**
 * handoff.status from an external hub: accepted silences the bot; failed and completed give the
 * chat back with a word to the customer. A bot must never reject the event, so an update for a
 * conversation with no handoff is simply nothing to do.
 */
export function hubStatus(handoff: HandoffState | undefined, status: 'accepted' | 'failed' | 'completed', now: Date): Transition {
  if (status === 'accepted') return { handoff: { status: 'accepted', since: now.toISOString() } };
  if (!handoff) return { handoff };
  if (status === 'failed') return { handoff: undefined, say: 'handoffFailed', closeCase: true, ended: 'hubFailed' };
  return { handoff: undefined, say: 'handoffCompleted', closeCase: true };
}

/** "take over: slow restore": an agent in a shared chat gives the conversation to the bot. */
const TAKE_OVER = /^\s*take\s*over\b[\s:,-]*/i;

/** The topic an agent's "take over" names ('' for none), or undefined when it is not an order. */
export function takeOverOrder(text: string): string | undefined {
  const order = TAKE_OVER.exec(text);
  return order ? text.slice(order[0].length).trim() : undefined;
}
