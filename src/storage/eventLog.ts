/**
 * One recorded event, opaque to storage: when, which conversation (channel|id, or '' for an
 * agent's action), and its body as JSON. The insights room gives bodies their meaning.
 */
export interface EventRecord {
  /** ISO 8601, UTC: records of one length compare by time as text. */
  readonly at: string;
  readonly conversation: string;
  readonly body: string;
}

/**
 * Append-only log of what happened in conversations, for feedback, the inbox and insights. Writes
 * are batched by each backend (one transaction or one blob per batch), so recording stays off the
 * turn's critical path; reads happen only when someone asks for a report.
 */
export interface EventLog {
  append(records: readonly EventRecord[]): Promise<void>;
  /** Every record at or after `since` (all when absent), oldest first. */
  read(since?: string): Promise<EventRecord[]>;
}
