import type { Logger } from 'pino';
import { HourlyPrune, retentionCutOff } from './retention.js';

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
  /** Deletes what is older than `before` (ISO 8601): records (SQLite) or whole batches (blob); returns how many. */
  prune(before: string): Promise<number>;
}

export interface EventRetentionOptions {
  readonly events: Pick<EventLog, 'prune'>;
  /** INSIGHTS_RETENTION_DAYS; 0 keeps every event. */
  readonly days: number;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/**
 * Deletes events older than the retention period, once at start-up and then every hour: the log
 * would otherwise grow for ever, and every inbox and insights read scans what is kept.
 */
export class EventRetention {
  private readonly hourly: HourlyPrune;

  constructor(private readonly options: EventRetentionOptions) {
    this.hourly = new HourlyPrune(() => this.run(), { logger: options.logger, code: 'ERR_STORAGE_EVENTS', message: 'insight event retention failed; retrying next hour' });
  }

  async run(): Promise<number> {
    const before = retentionCutOff((this.options.now ?? (() => new Date()))(), this.options.days).toISOString();
    const removed = await this.options.events.prune(before);
    this.options.logger.info({ removed, before }, 'insight events past retention removed');
    return removed;
  }

  start(): void {
    if (this.options.days > 0) this.hourly.start();
  }

  stop(): void {
    this.hourly.stop();
  }
}
