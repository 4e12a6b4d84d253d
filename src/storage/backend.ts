import type { KeyValueStorage } from './conversationStore.js';
import type { TranscriptStore } from './transcriptStore.js';

/** One storage choice (memory, file or blob): conversation state and transcripts side by side. */
export interface StorageBackend {
  readonly state: KeyValueStorage;
  readonly transcripts: TranscriptStore;
  close(): Promise<void>;
}
