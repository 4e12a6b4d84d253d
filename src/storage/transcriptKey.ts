/** Names one conversation's transcript, and what is kept beside it (its customers' uploads). */
export interface TranscriptKey {
  /** The Bot Framework channel id (msteams, webchat, …): conversation ids are unique only within a channel. */
  readonly channelId: string;
  readonly conversationId: string;
}
