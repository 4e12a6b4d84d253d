/**
 * Handoff between the bot and people. The hub (the embedded agent console, or an external hub
 * speaking handoff.initiate / handoff.status) owns the queue; the bot owns the conversation state.
 */
export interface HandoffLine {
  readonly from: 'customer' | 'bot' | 'agent';
  readonly text: string;
  readonly at: string;
}

export interface HandoffContext {
  readonly reason: 'customer_asked' | 'tree_handoff' | 'repeated_fallback';
  readonly topic?: string;
  readonly treePath: readonly { tree: string; node: string; answer?: string }[];
  readonly candidates: readonly { intent: string; confidence: number }[];
}

export type HandoffStatus = 'queued' | 'accepted' | 'closed';

/** What the hub keeps per conversation, in the shared case store so every instance sees one queue. */
export interface HandoffCase {
  readonly conversationId: string;
  /** The Bot Framework channel id: with the conversation id, the key of the transcript the lines come from. */
  readonly channelId?: string;
  readonly status: HandoffStatus;
  readonly context: HandoffContext;
  readonly requestedAt: string;
  readonly agent?: string;
  readonly acceptedAt?: string;
  readonly closedAt?: string;
}

/** A case as an agent reads it: with the conversation's lines from the transcript store. */
export interface HandoffCaseView extends HandoffCase {
  readonly lines: readonly HandoffLine[];
}

/** How an agent gives a conversation back: plainly, into a topic, or at a node of a tree. */
export type HandBack = { readonly mode: 'plain' } | { readonly mode: 'topic'; readonly topic: string } | { readonly mode: 'node'; readonly tree: string; readonly node: string };

/** What the hub needs from the bot (implemented by SupportBot; handoff/ never imports bot/). */
export interface BotControl {
  /** The agent owns the chat from now on; `notice` is what the customer is told. */
  agentAccepted(conversationId: string, agent: string, notice: string): Promise<void>;
  /** An agent's message that reached the customer, for the conversation's transcript. */
  agentSaid(conversationId: string, text: string): Promise<void>;
  /** Gives the conversation back to the bot; returns what the bot says to the customer. */
  handBack(conversationId: string, how: HandBack): Promise<readonly { text: string; choices?: readonly string[] }[]>;
}

/** Sends to a conversation outside a turn (the adapter's continueConversation). */
export interface Outbox {
  send(conversationId: string, messages: readonly { text: string; choices?: readonly string[] }[]): Promise<void>;
}

/** What the bot reports into the hub (implemented by HandoffHub). */
export interface HandoffDesk {
  request(conversationId: string, channelId: string | undefined, context: HandoffContext): Promise<void>;
  close(conversationId: string): Promise<void>;
}
