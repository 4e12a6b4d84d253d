import type Database from 'better-sqlite3';

interface Change {
  /** Runs inside the shared transaction; throwing undoes this change alone and rejects its caller. */
  readonly apply: () => void;
  /** Runs right after the commit, before any other code can read the database. */
  readonly committed?: () => void;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  failure?: { readonly error: unknown };
}

/**
 * Commits every change queued during one pass of the event loop in one SQLite transaction. Under
 * load many turns finish their work in the same pass, and a commit (WAL frames, index, lock) costs
 * more than the rows it writes, so sharing one is the cheapest write there is. Each caller still
 * resolves only once its change is committed, so a reply never goes out before its state is saved.
 */
export class GroupCommit {
  private queue: Change[] = [];
  private readonly commitAll: Database.Transaction<(changes: Change[]) => void>;

  constructor(db: Database.Database) {
    // Nested inside commitAll, each change becomes a savepoint: a stale eTag rolls back its own rows only.
    const applyOne = db.transaction((change: Change) => change.apply());
    this.commitAll = db.transaction((changes: Change[]) => {
      for (const change of changes) {
        try {
          applyOne(change);
        } catch (error) {
          change.failure = { error };
        }
      }
    });
  }

  run(apply: () => void, committed?: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.flush());
      this.queue.push({ apply, committed, resolve, reject });
    });
  }

  /** Commits what is queued now instead of at the end of this pass (before the database closes). */
  flush(): void {
    const changes = this.queue;
    if (changes.length === 0) return;
    this.queue = [];
    try {
      // IMMEDIATE takes the write lock up front, so two processes cannot both read-then-upgrade and deadlock.
      this.commitAll.immediate(changes);
    } catch (error) {
      for (const change of changes) change.reject(error);
      return;
    }
    for (const change of changes) {
      if (!change.failure) change.committed?.();
    }
    for (const change of changes) {
      if (change.failure) change.reject(change.failure.error);
      else change.resolve();
    }
  }
}
