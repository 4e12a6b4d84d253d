import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError, StorageConflictError } from '../errors.js';
import type { StorageBackend } from './backend.js';
import type { KeyValueStorage } from './conversationStore.js';
import { byTimeThenSeq, type TranscriptKey, type TranscriptLine, type TranscriptStore } from './transcriptStore.js';

/** In-process storage for tests and trials: the same code as the file store, gone when the process exits. */
export const IN_MEMORY = ':memory:';

/**
 * The embedded store: one SQLite file holding state and transcripts. Every write is one SQLite
 * transaction, so an item is either the old or the new version after kill -9, never a mix. WAL lets
 * readers and the writer proceed together and lets several processes on one machine share the file.
 */
export function openSqliteStorage(file: string): StorageBackend {
  const db = openDatabase(file);
  return {
    state: new SqliteStorage(db),
    transcripts: new SqliteTranscriptStore(db),
    close: async () => {
      db.close();
    },
  };
}

function openDatabase(file: string): Database.Database {
  try {
    if (file !== IN_MEMORY) mkdirSync(path.dirname(file), { recursive: true });
    // A second process holding the write lock makes us wait (up to this long) instead of failing.
    const db = new Database(file, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives the process being killed (it is in the OS's hands);
    // only a power cut can roll back the last commits, never corrupt the file. FULL would fsync on
    // every turn and stall the event loop for milliseconds (README: "State and scale-out").
    db.pragma('synchronous = NORMAL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        etag TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS transcript (
        channel_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        sender TEXT NOT NULL,
        text TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS transcript_by_conversation ON transcript (channel_id, conversation_id, at);
    `);
    return db;
  } catch (error) {
    throw new AppError('ERR_STORAGE_OPEN', `cannot open the state database ${file}: ${(error as Error).message}`, { cause: error });
  }
}

interface Item {
  eTag?: string;
  [field: string]: unknown;
}

/** botbuilder's Storage over the state table; eTags are random, so a deleted and re-created item never matches an old one. */
export class SqliteStorage implements KeyValueStorage {
  private readonly select: Database.Statement<[string], { value: string; etag: string }>;
  private readonly insert: Database.Statement<[string, string, string]>;
  private readonly replace: Database.Statement<[string, string, string]>;
  private readonly replaceIfMatch: Database.Statement<[string, string, string, string]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly writeAll: Database.Transaction<(changes: Record<string, unknown>) => void>;

  constructor(db: Database.Database) {
    this.select = db.prepare('SELECT value, etag FROM state WHERE key = ?');
    this.insert = db.prepare('INSERT INTO state (key, value, etag) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING');
    this.replace = db.prepare('INSERT INTO state (key, value, etag) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag');
    this.replaceIfMatch = db.prepare('UPDATE state SET value = ?, etag = ? WHERE key = ? AND etag = ?');
    this.remove = db.prepare('DELETE FROM state WHERE key = ?');
    // One transaction for all keys: a conflict on any of them writes none (throwing rolls back).
    this.writeAll = db.transaction((changes: Record<string, unknown>) => {
      for (const [key, item] of Object.entries(changes)) {
        const { eTag, ...value } = item as Item;
        const json = JSON.stringify(value);
        if (eTag && eTag !== '*') {
          if (this.replaceIfMatch.run(json, randomUUID(), key, eTag).changes === 0) throw new StorageConflictError(key);
        } else {
          this.replace.run(key, json, randomUUID());
        }
      }
    });
  }

  async read(keys: string[]): Promise<Record<string, unknown>> {
    const items: Record<string, unknown> = {};
    for (const key of keys) {
      const row = this.select.get(key);
      if (row) items[key] = { ...(JSON.parse(row.value) as object), eTag: row.etag };
    }
    return items;
  }

  async write(changes: Record<string, unknown>): Promise<void> {
    // IMMEDIATE takes the write lock up front, so two processes cannot both read-then-upgrade and deadlock.
    this.writeAll.immediate(changes);
  }

  async create(key: string, item: object): Promise<void> {
    const { eTag: _ignored, ...value } = item as Item;
    if (this.insert.run(key, JSON.stringify(value), randomUUID()).changes === 0) throw new StorageConflictError(key);
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.remove.run(key);
  }
}

interface TranscriptKeyRow {
  channel_id: string;
  conversation_id: string;
}

interface LineRow {
  seq: number;
  sender: TranscriptLine['from'];
  text: string;
  at: string;
}

export class SqliteTranscriptStore implements TranscriptStore {
  private readonly appendAll: Database.Transaction<(key: TranscriptKey, lines: readonly TranscriptLine[]) => void>;
  private readonly selectLines: Database.Statement<[string, string], LineRow>;
  private readonly pruneAll: Database.Transaction<(before: string) => number>;

  constructor(db: Database.Database) {
    const insert = db.prepare<[string, string, number, string, string, string]>(
      'INSERT INTO transcript (channel_id, conversation_id, seq, sender, text, at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.appendAll = db.transaction((key: TranscriptKey, lines: readonly TranscriptLine[]) => {
      for (const line of lines) insert.run(key.channelId, key.conversationId, line.seq, line.from, line.text, line.at);
    });
    this.selectLines = db.prepare('SELECT seq, sender, text, at FROM transcript WHERE channel_id = ? AND conversation_id = ?');
    // ISO 8601 UTC timestamps of one length compare correctly as text.
    const expired = db.prepare<[string], TranscriptKeyRow>(
      'SELECT channel_id, conversation_id FROM transcript GROUP BY channel_id, conversation_id HAVING max(at) < ?',
    );
    const removeConversation = db.prepare<[string, string]>('DELETE FROM transcript WHERE channel_id = ? AND conversation_id = ?');
    this.pruneAll = db.transaction((before: string) => {
      const conversations = expired.all(before);
      for (const row of conversations) removeConversation.run(row.channel_id, row.conversation_id);
      return conversations.length;
    });
  }

  async append(key: TranscriptKey, lines: readonly TranscriptLine[]): Promise<void> {
    this.appendAll.immediate(key, lines);
  }

  async read(key: TranscriptKey): Promise<TranscriptLine[]> {
    return this.selectLines
      .all(key.channelId, key.conversationId)
      .map((row) => ({ seq: row.seq, from: row.sender, text: row.text, at: row.at }))
      .sort(byTimeThenSeq);
  }

  async prune(before: Date): Promise<number> {
    return this.pruneAll.immediate(before.toISOString());
  }
}
