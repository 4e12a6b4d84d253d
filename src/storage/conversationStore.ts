import { setTimeout as delay } from 'node:timers/promises';
import { AppError, StorageConflictError } from '../errors.js';

/**
 * botbuilder's Storage interface (MemoryStorage, BlobsStorage, …) restated so this module need not
 * import botbuilder, plus a create-if-absent write that botbuilder's interface lacks.
 */
export interface KeyValueStorage {
  read(keys: string[]): Promise<Record<string, unknown>>;
  /** An item whose eTag is stale is rejected with StorageConflictError; without an eTag (or with '*') it overwrites. */
  write(changes: Record<string, unknown>): Promise<void>;
  delete(keys: string[]): Promise<void>;
  /**
   * Writes the item only if the key is absent, else rejects with StorageConflictError. In botbuilder
   * a write without an eTag overwrites, so the first turns of a new conversation on two instances
   * would otherwise be last-writer-wins.
   */
  create(key: string, item: object): Promise<void>;
}

interface Stored<S> {
  state: S;
  eTag?: string;
}

/** Attempts at one update before a conflict is reported: each retry re-reads and re-runs the turn. */
const MAX_ATTEMPTS = 8;
/**
 * Base of the randomised exponential wait between attempts (ms). The instance that lost a race
 * steps back while the winner's queued turns of the same conversation drain (at most about 1.3 s
 * over all attempts), instead of colliding with each of them in turn.
 */
const BACKOFF_MS = 5;

export interface Update<S, R> {
  readonly state: S;
  readonly result: R;
}

/**
 * Conversation state with ordered updates: turns of one conversation run one after the other in
 * this process, and a write from another process in between is caught by its eTag (or, for a new
 * conversation, by create-if-absent) and the turn re-run on fresh state, so no update is lost to
 * last-writer-wins.
 */
export class ConversationStore<S> {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Set when the storage last failed, cleared by the next success (a turn or a probe). */
  private failing = false;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly initial: () => S,
  ) {}

  update<R>(key: string, turn: (state: S) => Promise<Update<S, R>>): Promise<R> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.attempt(key, turn));
    this.queues.set(key, next);
    const forget = () => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    };
    next.then(forget, forget);
    return next;
  }

  /**
   * Whether the storage works, for readiness. While it is failing, each call tries a small write
   * and delete of its own, so a recovered store is seen without waiting for a customer's turn.
   */
  async healthy(): Promise<boolean> {
    if (!this.failing) return true;
    try {
      await this.storage.write({ [HEALTH_KEY]: { state: {} } });
      await this.storage.delete([HEALTH_KEY]);
      this.failing = false;
    } catch {
      // still failing: readiness stays 503
    }
    return !this.failing;
  }

  async read(key: string): Promise<S> {
    return (await this.load(key)).state;
  }

  async delete(key: string): Promise<void> {
    await this.storage.delete([key]);
  }

  private async attempt<R>(key: string, turn: (state: S) => Promise<Update<S, R>>): Promise<R> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.load(key);
      const { state, result } = await turn(stored.state);
      try {
        if (stored.eTag) await this.storage.write({ [key]: { state, eTag: stored.eTag } satisfies Stored<S> });
        else await this.storage.create(key, { state } satisfies Stored<S>);
        this.failing = false;
        return result;
      } catch (error) {
        if (!(error instanceof StorageConflictError)) throw this.unavailable(key, error);
        if (attempt >= MAX_ATTEMPTS) throw new AppError('ERR_STORAGE_CONFLICT', `state of ${key} changed ${attempt} times during one turn`, { cause: error });
      }
      await delay(Math.random() * BACKOFF_MS * 2 ** attempt);
    }
  }

  private async load(key: string): Promise<Stored<S>> {
    const items = await this.storage.read([key]).catch((error: unknown) => {
      throw this.unavailable(key, error);
    });
    const item = items[key] as Stored<S> | undefined;
    return item?.state ? item : { state: this.initial() };
  }

  /** Storage that failed, as opposed to state that broke a turn: the caller keeps the state it had. */
  private unavailable(key: string, cause: unknown): AppError {
    this.failing = true;
    return new AppError('ERR_STORAGE_UNAVAILABLE', `state of ${key} could not be read or written`, { cause });
  }
}

/** A key no conversation can have (conversation keys are channel|id), for the readiness probe. */
const HEALTH_KEY = 'readiness-probe';
