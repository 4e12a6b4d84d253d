import type { CaseStore } from './caseStore.js';
import type { KeyValueStorage } from './conversationStore.js';
import type { TranscriptStore } from './transcriptStore.js';

/** One storage choice (memory, file or blob): conversation state, transcripts and handoff cases side by side. */
export interface StorageBackend {
  readonly state: KeyValueStorage;
  readonly transcripts: TranscriptStore;
  readonly cases: CaseStore;
  close(): Promise<void>;
}
