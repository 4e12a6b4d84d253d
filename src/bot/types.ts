import type { CaseCustomer, HandoffContext, HandoffReason, HandoffSummary } from '../handoff/types.js';
import type { InsightEvent } from '../insights/events.js';
import type { TranscriptLine } from '../storage/transcriptStore.js';
import type { TypedLine } from './typedLines.js';
import type { UploadInfo } from '../storage/uploadStore.js';

export type { TranscriptLine, UploadInfo };

/**
 * What the bot core speaks. channels/ translates Bot Framework activities into a Turn and the
 * Replies back into activities; nothing past channels/ sees an Activity.
 */
export type ChannelKind = 'webchat' | 'teams' | 'emulator' | 'terminal' | 'other';
export type ConversationScope = 'personal' | 'group' | 'channel';

export interface Member {
  readonly id: string;
  readonly name?: string;
}

/**
 * Where to reach a conversation later (an agent's reply, a hand-back): opaque to the core,
 * produced and consumed by channels/ (a Bot Framework ConversationReference).
 */
export type ConversationRef = Readonly<Record<string, unknown>>;

interface TurnBase {
  /** The Bot Framework channel id (msteams, webchat, emulator…): conversation ids are unique only within it. */
  readonly channelId: string;
  readonly conversationId: string;
  /** The channel's id for the activity; a second turn with an id already seen is a replay. */
  readonly activityId?: string;
  readonly channel: ChannelKind;
  readonly scope: ConversationScope;
  readonly reference?: ConversationRef;
  /** Ids that tie log lines to the request (activity id, tenant…); never message text. */
  readonly trace?: Readonly<Record<string, string>>;
}

export interface MessageTurn extends TurnBase {
  readonly kind: 'message';
  readonly from: Member;
  readonly text: string;
  /** The customer sent something we cannot read (a file, a sticker) without any text. */
  readonly hasAttachments: boolean;
  /** Pictures sent with the message, already kept for agents by channels/ (the bot never reads them). */
  readonly uploads?: readonly UploadInfo[];
  /** Names of files sent with the message that were refused (not a picture, too large, unreadable): nothing of them is kept. */
  readonly refusedUploads?: readonly string[];
  /** A support agent writing in a shared chat (Teams); never goes through recognition. */
  readonly fromAgent?: boolean;
}

/** A `handoff.status` event from an agent hub; a bot must not reject it. */
export interface HandoffStatusTurn extends TurnBase {
  readonly kind: 'handoffStatus';
  readonly state: 'accepted' | 'failed' | 'completed';
  readonly message?: string;
}

export interface MembersAddedTurn extends TurnBase {
  readonly kind: 'membersAdded';
  /** New members other than the bot itself. */
  readonly members: readonly Member[];
}

/** The bot itself joined a shared conversation (a team, a group chat): it introduces itself once. */
export interface BotAddedTurn extends TurnBase {
  readonly kind: 'botAdded';
  readonly bot: Member;
}

/** The customer used the channel's own feedback control on an answer (Teams' thumbs up or down). */
export interface FeedbackTurn extends TurnBase {
  readonly kind: 'feedback';
  readonly helpful: boolean;
  /** What the customer typed with a thumbs down (Teams' feedback form), as sent. */
  readonly comment?: string;
}

export type Turn = MessageTurn | MembersAddedTurn | BotAddedTurn | HandoffStatusTurn | FeedbackTurn;

export interface Reply {
  readonly text: string;
  /** Short labels the customer can click; clicking one sends its label as the next message. */
  readonly choices?: readonly string[];
  /** A person of the support team said this (their name), not the bot: the customer must see who. */
  readonly speaker?: string;
  /** An answer: the channel offers its way of saying whether it helped (buttons, Teams' feedback loop). */
  readonly askFeedback?: true;
}

/** A person was asked for in this turn: hubs get the summary (never the customer's client). */
export interface HandoffRequest {
  readonly reason: HandoffReason;
  readonly summary: HandoffSummary;
  /** How the agent's queue names the customer and what they first said. */
  readonly customer?: CaseCustomer;
}

export interface TurnResult {
  readonly replies: readonly Reply[];
  readonly handoff?: HandoffRequest;
  /** The activity was seen before: these are the replies its first run saved (orderedTurn.ts). */
  readonly replayed?: boolean;
  /** The queue's case for this conversation is over (withdrawn, expired, finished, taken back). */
  readonly closeCase?: boolean;
  /** Nobody was online: the customer's words are kept as a message, with the conversation's context when the case is new. */
  readonly leftMessage?: { readonly text: string; readonly context?: HandoffContext };
  /** Queue a case for the console's agents with this context (no hub is told: that is `handoff`). */
  readonly requestCase?: HandoffContext;
  /** What this turn added to the conversation's transcript: the customer's message, then the replies. */
  readonly lines: readonly TranscriptLine[];
  /** The lines among `lines` that masking changed, as typed: held in memory for the live relay, never stored. */
  readonly typed?: readonly TypedLine[];
  /** What happened, for insights: recorded once the state is saved, never for a replay. */
  readonly events?: readonly InsightEvent[];
}
