import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import type { DirectLineRecord, DirectLineStore, KeptActivity } from '../storage/backend.js';
import type { ActivityJson } from './activities.js';

/** One Direct Line ActivitySet, the shape of both a poll answer and a WebSocket message. */
export interface ActivitySet {
  readonly activities: readonly ActivityJson[];
  readonly watermark: string;
}

export interface Subscriber {
  push(set: ActivitySet): void;
  close(): void;
}

export interface KeepingLimits {
  /** Started conversations kept; beyond it the least recently active one is forgotten. */
  readonly maxConversations: number;
  /** JSON bytes of history kept per conversation; older activities fall out of reach of polling. */
  readonly maxConversationBytes: number;
  /** JSON bytes of history kept over all conversations. */
  readonly maxTotalBytes: number;
}

interface KeptConversationsOptions {
  readonly store: DirectLineStore;
  readonly limits: KeepingLimits;
  readonly logger: Logger;
  readonly now: () => number;
  /** Masks personal data in the text of what is written to the store (REDACT_PII); the memory copy stays as typed. */
  readonly redact: (text: string) => string;
}

interface Kept {
  readonly sequence: number;
  readonly activity: ActivityJson;
  readonly bytes: number;
}

interface Started {
  record: DirectLineRecord;
  /** Undefined until first needed after a restart: the index holds records only. */
  history?: Kept[];
  loading?: Promise<Kept[]>;
  readonly subscribers: Set<Subscriber>;
  /** This conversation's writes, in order. */
  writes: Promise<void>;
}

/** A started conversation with its history in memory. */
type Loaded = Started & { history: Kept[] };

/** A long troubleshooting conversation is under 100 activities; 200 leaves room for reloads. */
const MAX_HISTORY = 200;

/**
 * The started conversations of the embedded Direct Line: a memory copy written through to the
 * store, bounded per conversation and in total. The index (records only) is read from the store at
 * start-up, so the limits count what earlier runs kept; histories load when first needed.
 */
export class KeptConversations {
  /** Least recently active first (re-inserted on activity). */
  private readonly started = new Map<string, Started>();
  private readonly ready: Promise<void>;
  private totalBytes = 0;

  constructor(private readonly options: KeptConversationsOptions) {
    this.ready = this.index();
  }

  /** A new started conversation with an empty history, kept at once. */
  add(record: DirectLineRecord): Promise<Loaded> {
    const conversation: Loaded = { record, history: [], subscribers: new Set(), writes: Promise.resolve() };
    this.started.set(record.id, conversation);
    this.enforceTotals(conversation);
    return this.persist(conversation, [], []).then(() => conversation);
  }

  /**
   * A changed record (a refreshed token, a resume), kept at once. The memory copy changes before
   * anything is awaited, so a second request in this process already sees the new hashes.
   */
  update(conversation: Started, changes: Partial<Pick<DirectLineRecord, 'tokenHash' | 'expiresAt' | 'resumeHash' | 'resumeExpiresAt'>>): Promise<void> {
    conversation.record = { ...conversation.record, ...changes };
    return this.persist(conversation, [], []);
  }

  /** Forgets every conversation that neither a token nor a resume key can reach any more. */
  forgetExpired(): void {
    const now = this.options.now();
    for (const conversation of this.started.values()) if (reachableUntil(conversation.record) <= now) this.forget(conversation);
  }

  /** Closes every stream (shutdown); the conversations stay in the store. */
  closeStreams(): void {
    for (const conversation of this.started.values()) {
      for (const subscriber of conversation.subscribers) subscriber.close();
      conversation.subscribers.clear();
    }
  }

  /** Indexes the kept conversations (records only), so the limits count them from the start. */
  private async index(): Promise<void> {
    try {
      const records = await this.options.store.list();
      for (const record of records.sort((a, b) => a.lastActive - b.lastActive)) this.track(record);
    } catch (error) {
      this.options.logger.error({ err: error, code: 'ERR_STORAGE_UNAVAILABLE' }, 'could not index the kept web chats; they load when next used');
    }
  }

  private track(record: DirectLineRecord): Started {
    const conversation: Started = { record, subscribers: new Set(), writes: Promise.resolve() };
    this.started.set(record.id, conversation);
    this.totalBytes += record.bytes;
    return conversation;
  }

  /** A started conversation from the index, or from the store (another instance, or not indexed yet). */
  async find(conversationId: string): Promise<Started | undefined> {
    await this.ready;
    const known = this.started.get(conversationId);
    // An expired one is still found, so its token is refused (403) rather than its conversation unknown.
    if (known) return known;
    let kept: Awaited<ReturnType<DirectLineStore['load']>>;
    try {
      kept = await this.options.store.load(conversationId);
    } catch (error) {
      throw unavailable(error);
    }
    if (!kept) return undefined;
    // Another request may have loaded it while this one waited.
    const raced = this.started.get(conversationId);
    if (raced) return raced;
    const conversation = this.track(kept.record);
    conversation.history = kept.activities.map(fromKept);
    this.enforceTotals(conversation);
    return conversation;
  }

  /** A started conversation with its history loaded; 404 when there is none. */
  async get(conversationId: string): Promise<Loaded> {
    const conversation = await this.find(conversationId);
    if (!conversation) throw notFound();
    if (!conversation.history) {
      conversation.loading ??= this.options.store.load(conversationId).then(
        (kept) => (kept?.activities ?? []).map(fromKept),
        (error: unknown) => {
          conversation.loading = undefined;
          throw unavailable(error);
        },
      );
      conversation.history = await conversation.loading;
    }
    return conversation as Loaded;
  }

  since(conversation: Loaded, after: number): ActivitySet {
    return {
      activities: conversation.history.filter((entry) => entry.sequence > after).map((entry) => entry.activity),
      watermark: String(conversation.record.sequence),
    };
  }

  /**
   * Numbers, keeps and pushes activities, then writes them through. The oldest fall out once the
   * conversation keeps more than its share; the newest one always stays.
   */
  async append(conversation: Loaded, activities: readonly ActivityJson[]): Promise<ActivityJson[]> {
    const { history } = conversation;
    let { sequence, bytes } = conversation.record;
    const added: KeptActivity[] = [];
    const stored: ActivityJson[] = [];
    for (const activity of activities) {
      sequence += 1;
      const numbered: ActivityJson = { ...activity, id: `${conversation.record.id}|${String(sequence).padStart(7, '0')}` };
      const json = JSON.stringify(numbered);
      const size = Buffer.byteLength(json);
      history.push({ sequence, activity: numbered, bytes: size });
      added.push({ sequence, json: typeof numbered.text === 'string' ? JSON.stringify({ ...numbered, text: this.options.redact(numbered.text) }) : json });
      stored.push(numbered);
      bytes += size;
    }
    const dropped: number[] = [];
    while (history.length > 1 && (history.length > MAX_HISTORY || bytes > this.options.limits.maxConversationBytes)) {
      const oldest = history.shift() as Kept;
      dropped.push(oldest.sequence);
      bytes -= oldest.bytes;
    }
    this.totalBytes += bytes - conversation.record.bytes;
    conversation.record = { ...conversation.record, sequence, bytes, lastActive: this.options.now() };
    this.started.delete(conversation.record.id);
    this.started.set(conversation.record.id, conversation);
    stored.forEach((activity, index) => {
      const set = { activities: [activity], watermark: String((added[index] as KeptActivity).sequence) };
      for (const subscriber of conversation.subscribers) subscriber.push(set);
    });
    this.enforceTotals(conversation);
    await this.persist(conversation, added.filter((activity) => !dropped.includes(activity.sequence)), dropped);
    return stored;
  }

  /** Write-through, in order per conversation; a failed write is the caller's 503, and later writes still run. */
  private persist(conversation: Started, added: readonly KeptActivity[], dropped: readonly number[]): Promise<void> {
    const record = conversation.record;
    const write = conversation.writes.catch(() => undefined).then(() => this.options.store.save(record, added, dropped));
    conversation.writes = write;
    return write.catch((error: unknown) => {
      throw unavailable(error);
    });
  }

  /** Forgets the least recently active conversations (never `keep`) while over a limit. */
  private enforceTotals(keep: Started): void {
    for (const [id, conversation] of this.started) {
      if (this.started.size <= this.options.limits.maxConversations && this.totalBytes <= this.options.limits.maxTotalBytes) return;
      if (conversation === keep) continue;
      this.options.logger.warn({ conversationId: id, conversations: this.started.size, bytes: this.totalBytes }, 'embedded Direct Line full; forgot the least recently active conversation');
      this.forget(conversation);
    }
  }

  private forget(conversation: Started): void {
    const { id } = conversation.record;
    this.started.delete(id);
    this.totalBytes -= conversation.record.bytes;
    for (const subscriber of conversation.subscribers) subscriber.close();
    conversation.subscribers.clear();
    void conversation.writes
      .catch(() => undefined)
      .then(() => this.options.store.remove([id]))
      .catch((error: unknown) => this.options.logger.error({ err: error, code: 'ERR_STORAGE_UNAVAILABLE', conversationId: id }, 'could not forget a web chat'));
  }
}

const reachableUntil = (record: DirectLineRecord): number => Math.max(record.expiresAt, record.resumeExpiresAt ?? 0);

const fromKept = (kept: KeptActivity): Kept => ({ sequence: kept.sequence, activity: JSON.parse(kept.json) as ActivityJson, bytes: Buffer.byteLength(kept.json) });

const notFound = (): AppError => new AppError('ERR_DIRECTLINE_NOT_FOUND', 'conversation not found');

const unavailable = (error: unknown): AppError =>
  error instanceof AppError ? error : new AppError('ERR_STORAGE_UNAVAILABLE', 'the chat could not be kept; try again', { cause: error });
