import { AppError } from '../errors.js';

/**
 * The bot⇄person flow as pure transitions over the handoff part of a conversation's state. The
 * bot runs them inside the conversation's ordered update (so two instances cannot both decide),
 * says what they ask for in the content's words, and reports to the queue afterwards.
 */
export interface HandoffState {
  /** queued: waiting for a person; accepted: a person owns the chat and the bot is silent. */
  readonly status: 'queued' | 'accepted';
  readonly since: string;
  readonly agent?: string;
  /** The customer has been told once that they are waiting; later messages are relayed quietly. */
  readonly waitingNoticeSent?: boolean;
}

/** Which of the content's phrases the bot says; the flow never holds wording of its own. */
export type HandoffPhrase = 'handoffWaiting' | 'handoffWithdrawn' | 'handoffFailed' | 'handoffCompleted';

/** What a transition decided: the new handoff part (undefined: the bot has the chat again). */
export interface Transition {
  readonly handoff: HandoffState | undefined;
  readonly say?: HandoffPhrase;
  /** The queue's case is over (withdrawn, expired, finished by a hub). */
  readonly closeCase?: boolean;
}

export const queued = (now: Date): HandoffState => ({ status: 'queued', since: now.toISOString() });

/**
 * A customer's message while a person is involved. Accepted: relayed, the bot stays silent.
 * Queued: "cancel" (or start over, goodbye) withdraws; past the queue timeout the bot gives up;
 * otherwise one notice that they are waiting, then quiet relaying.
 */
export function customerWrote(handoff: HandoffState, options: { readonly now: Date; readonly queueTimeoutMs: number; readonly withdraws: boolean }): Transition {
  if (handoff.status === 'accepted') return { handoff };
  const expired = options.now.getTime() - Date.parse(handoff.since) > options.queueTimeoutMs;
  if (expired) return { handoff: undefined, say: 'handoffFailed', closeCase: true };
  if (options.withdraws) return { handoff: undefined, say: 'handoffWithdrawn', closeCase: true };
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
  return { handoff: undefined, say: status === 'failed' ? 'handoffFailed' : 'handoffCompleted', closeCase: true };
}

/** "take over: slow restore": an agent in a shared chat gives the conversation to the bot. */
const TAKE_OVER = /^\s*take\s*over\b[\s:,-]*/i;

/** The topic an agent's "take over" names ('' for none), or undefined when it is not an order. */
export function takeOverOrder(text: string): string | undefined {
  const order = TAKE_OVER.exec(text);
  return order ? text.slice(order[0].length).trim() : undefined;
}
