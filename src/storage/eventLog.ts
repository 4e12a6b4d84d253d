import type { Logger } from 'pino';
import type { ErrorCode } from '../errors.js';

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

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

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
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: EventRetentionOptions) {}

  async run(): Promise<number> {
    const before = new Date((this.options.now ?? (() => new Date()))().getTime() - this.options.days * DAY_MS).toISOString();
    const removed = await this.options.events.prune(before);
    this.options.logger.info({ removed, before }, 'insight events past retention removed');
    return removed;
  }

  start(): void {
    if (this.options.days === 0) return;
    const code: ErrorCode = 'ERR_STORAGE_EVENTS';
    const runLogged = () => this.run().catch((error: unknown) => this.options.logger.error({ code, err: error }, 'insight event retention failed; retrying next hour'));
    void runLogged();
    // unref: a pending prune must not keep a stopping process alive.
    this.timer = setInterval(runLogged, HOUR_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
