import type { Logger } from 'pino';
import { HourlyPrune, retentionCutOff } from './retention.js';
import type { TranscriptKey } from './transcriptKey.js';
import type { UploadInfo, UploadStore } from './uploadStore.js';

/** One line of a conversation: what the customer, the bot or a support agent said. */
export interface TranscriptLine {
  /** Position in the conversation, from 0; numbered inside the ordered state update, so never shared by two lines of one conversation. */
  readonly seq: number;
  readonly from: 'customer' | 'bot' | 'agent';
  readonly text: string;
  /** ISO 8601, UTC. */
  readonly at: string;
  /** Pictures the customer sent with this line (kept in the upload store, shown to agents only). */
  readonly attachments?: readonly UploadInfo[];
}

/** Every conversation's full transcript, kept for handoff and analytics until retention removes it. */
export interface TranscriptStore {
  append(key: TranscriptKey, lines: readonly TranscriptLine[]): Promise<void>;
  /**
   * The conversation's lines, oldest first; with `last`, only that many of the newest. A customer's
   * Teams chat with the bot is one conversation for as long as they use it, so it can grow long.
   */
  read(key: TranscriptKey, options?: { readonly last?: number }): Promise<TranscriptLine[]>;
  /** Removes whole conversations whose newest line is older than `before`; returns how many. */
  prune(before: Date): Promise<number>;
  /** The conversations with a line at or after `since` (all without it), the earliest started first. */
  conversations(options?: { readonly since?: Date }): Promise<TranscriptSpan[]>;
}

/** A kept conversation and when its first and newest lines were said (ISO 8601, UTC). */
export interface TranscriptSpan extends TranscriptKey {
  readonly firstAt: string;
  readonly lastAt: string;
}

/** A state reset starts numbering again at 0, so time orders first and the number breaks ties within a turn. */
export const byTimeThenSeq = (a: TranscriptLine, b: TranscriptLine): number => a.at.localeCompare(b.at) || a.seq - b.seq;

export interface RetentionOptions {
  readonly transcripts: TranscriptStore;
  /** Customers' pictures go after the same period, counted from when each was sent. */
  readonly uploads?: Pick<UploadStore, 'prune'>;
  readonly days: number;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** Deletes transcripts older than the retention period: once at start-up, then every hour. */
export class TranscriptRetention {
  private readonly now: () => Date;
  private readonly hourly: HourlyPrune;

  constructor(private readonly options: RetentionOptions) {
    this.now = options.now ?? (() => new Date());
    this.hourly = new HourlyPrune(() => this.run(), { logger: options.logger, code: 'ERR_STORAGE_TRANSCRIPT', message: 'transcript retention failed; retrying next hour' });
  }

  async run(): Promise<number> {
    const before = retentionCutOff(this.now(), this.options.days);
    const removed = await this.options.transcripts.prune(before);
    const pictures = (await this.options.uploads?.prune(before)) ?? 0;
    this.options.logger.info({ removed, pictures, before: before.toISOString() }, 'transcripts past retention removed');
    return removed;
  }

  start(): void {
    this.hourly.start();
  }

  stop(): void {
    this.hourly.stop();
  }
}
