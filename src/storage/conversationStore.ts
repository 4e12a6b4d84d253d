import { AppError } from '../errors.js';

/**
 * The shape of botbuilder's Storage interface (MemoryStorage, BlobsStorage, …), restated here so
 * this module need not import botbuilder. A write whose eTag is stale is rejected by the storage.
 */
export interface KeyValueStorage {
  read(keys: string[]): Promise<Record<string, unknown>>;
  write(changes: Record<string, unknown>): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

interface Stored<S> {
  state: S;
  eTag?: string;
}

/** Attempts at one update before a conflict is reported: each retry re-reads and re-runs the turn. */
const MAX_ATTEMPTS = 5;

export interface Update<S, R> {
  readonly state: S;
  readonly result: R;
}

/**
 * Conversation state with ordered updates: turns of one conversation run one after the other in
 * this process, and a write from another process in between is caught by its eTag and the turn
 * re-run on fresh state, so no update is lost to last-writer-wins.
 */
export class ConversationStore<S> {
  private readonly queues = new Map<string, Promise<unknown>>();

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
        await this.storage.write({ [key]: { state, eTag: stored.eTag ?? '*' } satisfies Stored<S> });
        return result;
      } catch (error) {
        if (!isConflict(error)) throw unavailable(key, error);
        if (attempt >= MAX_ATTEMPTS) throw new AppError('ERR_STORAGE_CONFLICT', `state of ${key} changed ${attempt} times during one turn`, { cause: error });
      }
    }
  }

  private async load(key: string): Promise<Stored<S>> {
    const items = await this.storage.read([key]).catch((error: unknown) => {
      throw unavailable(key, error);
    });
    const item = items[key] as Stored<S> | undefined;
    return item?.state ? item : { state: this.initial() };
  }
}

/** Storage that failed, as opposed to state that broke a turn: the caller keeps the state it had. */
const unavailable = (key: string, cause: unknown): AppError => new AppError('ERR_STORAGE_UNAVAILABLE', `state of ${key} could not be read or written`, { cause });

function isConflict(error: unknown): boolean {
  const status = (error as { statusCode?: number } | null)?.statusCode;
  return status === 412 || status === 409 || /etag/i.test(String((error as Error | null)?.message));
}
