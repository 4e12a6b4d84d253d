/**
 * Handoff between the bot and people. The queue (the embedded agent console, or an external hub
 * speaking handoff.initiate / handoff.status) owns the cases; the bot owns the conversation state,
 * and the transitions between the two are src/handoff/flow.ts.
 */

/** Where a conversation lives: ids are only unique within their channel, so both name it. */
export interface ConversationAddress {
  readonly channelId: string;
  readonly conversationId: string;
}

/** The one string key of a conversation (state, cases, console URLs). Channel ids hold no '|'. */
export const addressKey = (address: ConversationAddress): string => `${address.channelId}|${address.conversationId}`;

/** A picture the customer sent: agents fetch it by id (GET /api/agent/attachments/:id). */
export interface AttachmentInfo {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly bytes: number;
}

export interface HandoffLine {
  readonly from: 'customer' | 'bot' | 'agent';
  readonly text: string;
  readonly at: string;
  /** Pictures sent with the line (a line with pictures alone has no text). */
  readonly attachments?: readonly AttachmentInfo[];
}

export type HandoffReason = 'customer_asked' | 'tree_handoff' | 'repeated_fallback';

/** What an agent (or a hub) is told about why and where the customer needed a person. */
export interface HandoffContext {
  readonly reason: HandoffReason;
  readonly topic?: string;
  readonly treePath: readonly { tree: string; node: string; answer?: string }[];
  readonly candidates: readonly { intent: string; confidence: number }[];
  /** Pictures the customer sent before asking for a person, oldest first. */
  readonly attachments?: readonly AttachmentInfo[];
}

/** The context with the conversation so far: what a hub receives in handoff.initiate. */
export interface HandoffSummary extends HandoffContext {
  readonly transcript: readonly (HandoffLine & { readonly seq: number })[];
}

export type CaseStatus = 'queued' | 'accepted' | 'closed';

/** Who is waiting, as far as the channel vouches for it, and what they first said in the recent exchange. */
export interface CaseCustomer {
  /** Only a name the channel authenticates (Teams); a web chat page can claim any name. */
  readonly name?: string;
  readonly firstWords?: string;
}

/** What the queue keeps per conversation, in the shared case store so every instance sees one queue. */
export interface HandoffCase extends ConversationAddress {
  /** addressKey of the conversation: the case's id in the store and in the console's URLs. */
  readonly id: string;
  readonly status: CaseStatus;
  readonly context: HandoffContext;
  readonly customer?: CaseCustomer;
  readonly requestedAt: string;
  readonly agent?: string;
  readonly acceptedAt?: string;
  readonly closedAt?: string;
  /** Nobody was online: what the customer wrote for an agent to answer later (the first words; all of it is in the transcript). */
  readonly leftMessage?: {
    readonly text: string;
    /** When the customer left it. */
    readonly at: string;
    /** How many of their messages it holds. */
    readonly parts: number;
  };
}

/** A case as an agent reads it: with the conversation's lines from the transcript store. */
export interface HandoffCaseView extends HandoffCase {
  readonly lines: readonly HandoffLine[];
}

/**
 * How an agent gives a conversation back: plainly, into a topic, at a node of a tree, or closed
 * (the bot says nothing more until the customer writes, and then answers as usual).
 */
export type HandBack = { readonly mode: 'plain' } | { readonly mode: 'close' } | { readonly mode: 'topic'; readonly topic: string } | { readonly mode: 'node'; readonly tree: string; readonly node: string };

/** Something to say to the customer outside a turn. */
export interface Message {
  readonly text: string;
  readonly choices?: readonly string[];
  /** The agent's name when a person says it; the channel shows it as theirs, not the bot's. */
  readonly speaker?: string;
}

/**
 * The conversations, as the queue needs them (implemented in src/bot/handoffTurns.ts): each call
 * runs in the conversation's ordered update and keeps its lines in the transcript.
 */
export interface Conversations {
  /** The agent owns the chat from now on; returns what the customer is told. */
  accept(address: ConversationAddress, agent: string): Promise<readonly Message[]>;
  /** An agent's message, checked against who owns the chat and kept in the transcript. */
  agentSaid(address: ConversationAddress, agent: string, text: string): Promise<readonly Message[]>;
  /** Gives the conversation back to the bot; returns what the customer is told. */
  handBack(address: ConversationAddress, agent: string, how: HandBack): Promise<readonly Message[]>;
}
