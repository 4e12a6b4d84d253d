import type { Logger } from 'pino';
import { AppError, type ErrorCode } from '../errors.js';
import type { EventLog, EventRecord } from '../storage/eventLog.js';
import { eventSchema, type InsightEvent, type Recorded } from './events.js';

/** Longest customer text kept in an event: enough for a question, not for a pasted log. */
const MAX_KEPT_CHARS = 500;

/**
 * The one door customer words go through on their way into the event log (the inbox, insights):
 * whitespace folded and length bounded; the recorder masks personal data (REDACT_PII) besides.
 */
export function keptText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_KEPT_CHARS);
}

/** Customer words in an event, masked and through keptText. */
function kept(event: InsightEvent, redact: (text: string) => string): InsightEvent {
  const keep = (text: string) => keptText(redact(text));
  switch (event.kind) {
    case 'unplaced':
      return { ...event, text: keep(event.text) };
    case 'feedback':
      return { ...event, ...(event.text === undefined ? {} : { text: keep(event.text) }), ...(event.comment === undefined ? {} : { comment: keep(event.comment) }) };
    case 'triaged':
      return { ...event, texts: event.texts.map(keep) };
    default:
      return event;
  }
}

/**
 * Records the events of a turn into the event log. Never awaited by a turn, and cheap on its path:
 * a turn's events are one record (a JSON array), and the records of every turn finishing in one
 * pass of the event loop go to the log in one append (one group commit, one blob). An event that
 * cannot be kept is logged, not a failed turn: the customer already has their answer.
 */
export class InsightRecorder {
  private pending: EventRecord[] = [];

  constructor(
    private readonly log: EventLog,
    private readonly logger: Logger,
    /** Masks personal data (REDACT_PII) in the customer words an event keeps. */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  record(conversation: string, events: readonly InsightEvent[], at: Date): void {
    if (events.length === 0) return;
    if (this.pending.length === 0) setImmediate(() => this.flush());
    this.pending.push({ at: at.toISOString(), conversation, body: JSON.stringify(events.map((event) => kept(event, this.redact))) });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.log.append(batch).catch((error: unknown) => {
      const code: ErrorCode = 'ERR_STORAGE_EVENTS';
      this.logger.error({ code, err: error, turns: batch.length }, 'insight events not kept');
    });
  }

  /** An agent's action: awaited, since the agent is told whether it was kept. */
  async triage(by: string, texts: readonly string[], at: Date, topic?: string): Promise<void> {
    const event: InsightEvent = { kind: 'triaged', texts, by, ...(topic ? { topic } : {}) };
    await this.log.append([{ at: at.toISOString(), conversation: '', body: JSON.stringify([kept(event, this.redact)]) }]);
  }
}

/** The log's records (each a turn's events) as events; an event this version cannot read (a newer kind, a damaged line) is left out. */
export async function readEvents(log: EventLog, since?: string): Promise<Recorded[]> {
  const records = await log.read(since).catch((error: unknown) => {
    throw new AppError('ERR_STORAGE_EVENTS', 'insight events could not be read', { cause: error });
  });
  return records.flatMap((record) => {
    const body = safeJson(record.body);
    return (Array.isArray(body) ? body : [body]).flatMap((item) => {
      const parsed = eventSchema.safeParse(item);
      return parsed.success ? [{ at: record.at, conversation: record.conversation, event: parsed.data }] : [];
    });
  });
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
