import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { StorageConflictError } from '../../errors.js';
import type { KeyValueStorage } from '../conversationStore.js';
import type { GroupCommit } from './groupCommit.js';

interface Item {
  eTag?: string;
  [field: string]: unknown;
}

interface Row {
  readonly value: string;
  readonly etag: string;
}

/**
 * Items this process last read or wrote. Every turn reads the state it wrote on the previous turn,
 * so most reads are answered here. Entries are ~2 kB; this bounds the cache to a few tens of MB.
 */
const CACHED_ITEMS = 10_000;

/**
 * botbuilder's Storage over the state table; eTags are random, so a deleted and re-created item
 * never matches an old one. The cache stays exact with other processes on the same file: SQLite's
 * data_version moves whenever another connection commits, and then the whole cache is dropped.
 */
export class SqliteStorage implements KeyValueStorage {
  private readonly select: Database.Statement<[string], Row>;
  private readonly insert: Database.Statement<[string, string, string]>;
  private readonly replace: Database.Statement<[string, string, string]>;
  private readonly replaceIfMatch: Database.Statement<[string, string, string, string]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly dataVersion: Database.Statement<[], number>;
  private readonly cache = new Map<string, Row>();
  private seenVersion = -1;

  constructor(
    db: Database.Database,
    private readonly commits: GroupCommit,
  ) {
    this.select = db.prepare('SELECT value, etag FROM state WHERE key = ?');
    this.insert = db.prepare('INSERT INTO state (key, value, etag) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING');
    this.replace = db.prepare('INSERT INTO state (key, value, etag) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag');
    this.replaceIfMatch = db.prepare('UPDATE state SET value = ?, etag = ? WHERE key = ? AND etag = ?');
    this.remove = db.prepare('DELETE FROM state WHERE key = ?');
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  async read(keys: string[]): Promise<Record<string, unknown>> {
    const version = this.dataVersion.get() as number;
    if (version !== this.seenVersion) {
      this.cache.clear();
      this.seenVersion = version;
    }
    const items: Record<string, unknown> = {};
    for (const key of keys) {
      const row = this.lookUp(key);
      if (row) items[key] = { ...(JSON.parse(row.value) as object), eTag: row.etag };
    }
    return items;
  }

  /** All keys in one savepoint: a conflict on any of them writes none. */
  async write(changes: Record<string, unknown>): Promise<void> {
    const rows = new Map<string, Row>();
    const apply = () => {
      for (const [key, item] of Object.entries(changes)) {
        const { eTag, ...value } = item as Item;
        const row = { value: JSON.stringify(value), etag: randomUUID() };
        if (eTag && eTag !== '*') {
          if (this.replaceIfMatch.run(row.value, row.etag, key, eTag).changes === 0) {
            this.cache.delete(key);
            throw new StorageConflictError(key);
          }
        } else {
          this.replace.run(key, row.value, row.etag);
        }
        rows.set(key, row);
      }
    };
    await this.commits.run(apply, () => this.remember(rows));
  }

  async create(key: string, item: object): Promise<void> {
    const { eTag: _ignored, ...value } = item as Item;
    const row = { value: JSON.stringify(value), etag: randomUUID() };
    const apply = () => {
      if (this.insert.run(key, row.value, row.etag).changes === 0) throw new StorageConflictError(key);
    };
    await this.commits.run(apply, () => this.remember(new Map([[key, row]])));
  }

  async delete(keys: string[]): Promise<void> {
    await this.commits.run(
      () => {
        for (const key of keys) this.remove.run(key);
      },
      () => {
        for (const key of keys) this.cache.delete(key);
      },
    );
  }

  private lookUp(key: string): Row | undefined {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const row = this.select.get(key);
    if (row) this.remember(new Map([[key, row]]));
    return row;
  }

  /** Map order is insertion order: re-inserting marks an item as recently used, the first is the oldest. */
  private remember(rows: ReadonlyMap<string, Row>): void {
    for (const [key, row] of rows) {
      this.cache.delete(key);
      this.cache.set(key, row);
    }
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= CACHED_ITEMS) break;
      this.cache.delete(oldest);
    }
  }
}
