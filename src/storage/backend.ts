import type { AgentStore } from './agentStore.js';
import type { CaseStore } from './caseStore.js';
import type { KeyValueStorage } from './conversationStore.js';
import type { PresenceStore } from './presenceStore.js';
import type { EventLog } from './eventLog.js';
import type { TranscriptStore } from './transcriptStore.js';
import type { UploadStore } from './uploadStore.js';

/** One storage choice (memory, file or blob): conversation state, transcripts, handoff cases, web chats, agent accounts, their presence, customers' pictures and events side by side. */
export interface StorageBackend {
  readonly state: KeyValueStorage;
  readonly transcripts: TranscriptStore;
  readonly cases: CaseStore;
  readonly directLine: DirectLineStore;
  readonly agents: AgentStore;
  readonly presence: PresenceStore;
  /** Customers' pictures, for agents only. */
  readonly uploads: UploadStore;
  /** What happened in conversations (insights, feedback, the unanswered inbox), append-only. */
  readonly events: EventLog;
  close(): Promise<void>;
}

/** A started conversation of the embedded Direct Line, as kept: enough to resume it after a restart. */
export interface DirectLineRecord {
  readonly id: string;
  readonly userId: string;
  /** SHA-256 (hex) of the secret part of the conversation's one live token; the token itself is never kept. */
  readonly tokenHash: string;
  /** Milliseconds since the epoch: when that token stops working. */
  readonly expiresAt: number;
  /**
   * SHA-256 (hex) of the secret part of the conversation's resume key (WEB_CHAT_RESUME_DAYS), which
   * trades once for a fresh token after the token expired; the key itself is never kept. Absent
   * when resuming is off, and in records kept before it existed.
   */
  readonly resumeHash?: string;
  /** Milliseconds since the epoch: when that key stops working. The conversation is kept until the later of the two. */
  readonly resumeExpiresAt?: number;
  /** The newest watermark handed out. */
  readonly sequence: number;
  /** Bytes of the kept activities (their JSON), so limits hold without loading them. */
  readonly bytes: number;
  readonly lastActive: number;
}

/** One activity of a conversation's watermarked history, as JSON. */
export interface KeptActivity {
  readonly sequence: number;
  readonly json: string;
}

/**
 * The embedded Direct Line's conversations, their watermarked history and token hashes. Writes for
 * one conversation come in order from one process (the service chains them).
 */
export interface DirectLineStore {
  /** Every kept conversation's record, without history: what the service indexes at start-up. */
  list(): Promise<DirectLineRecord[]>;
  load(conversationId: string): Promise<{ readonly record: DirectLineRecord; readonly activities: KeptActivity[] } | undefined>;
  /** Writes the record, adds `added` and forgets the activities numbered in `dropped`. */
  save(record: DirectLineRecord, added: readonly KeptActivity[], dropped: readonly number[]): Promise<void>;
  remove(conversationIds: readonly string[]): Promise<void>;
}
