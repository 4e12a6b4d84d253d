import type { ConversationAddress } from '../handoff/types.js';
import { addressKey } from '../handoff/types.js';
import type { TranscriptLine } from '../storage/transcriptStore.js';

/** A line as typed, where masking changed it: `seq` and `at` together name it (a reset renumbers from 0). */
export interface TypedLine {
  readonly seq: number;
  readonly at: string;
  readonly text: string;
}

/** Conversations remembered; the least recently written is forgotten first. */
const MAX_CONVERSATIONS = 1000;
/** Lines remembered per conversation: an agent reads the recent ones live. */
const MAX_LINES = 50;
/** After this, an agent reads the masked line, as from the store. */
const MAX_AGE_MS = 60 * 60 * 1000;

/**
 * What customers and agents typed, in this process's memory only, for the lines masking changed:
 * the live relay to an agent shows the customer's words as written (an e-mail address to reply to,
 * a number to call back), while everything kept at rest stays masked. Bounded in conversations,
 * lines and age; an instance that did not take the turn, or a restart, shows the masked line.
 */
export class TypedLines {
  private readonly byConversation = new Map<string, { lines: (TypedLine & { readonly kept: number })[] }>();

  constructor(private readonly now: () => number = Date.now) {}

  remember(address: ConversationAddress, typed: readonly TypedLine[]): void {
    if (typed.length === 0) return;
    const key = addressKey(address);
    const entry = this.byConversation.get(key) ?? { lines: [] };
    this.byConversation.delete(key);
    const kept = this.now();
    entry.lines = [...entry.lines, ...typed.map((line) => ({ ...line, kept }))].slice(-MAX_LINES);
    this.byConversation.set(key, entry);
    for (const oldest of this.byConversation.keys()) {
      if (this.byConversation.size <= MAX_CONVERSATIONS) break;
      this.byConversation.delete(oldest);
    }
  }

  /** The lines with the words as typed where this process still has them. */
  reveal<L extends TranscriptLine>(address: ConversationAddress, lines: readonly L[]): L[] {
    const entry = this.byConversation.get(addressKey(address));
    if (!entry) return [...lines];
    const since = this.now() - MAX_AGE_MS;
    const fresh = entry.lines.filter((line) => line.kept >= since);
    entry.lines = fresh;
    return lines.map((line) => {
      const typed = fresh.find((candidate) => candidate.seq === line.seq && candidate.at === line.at);
      return typed ? { ...line, text: typed.text } : line;
    });
  }
}
