import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../errors.js';
import type { StorageBackend } from '../backend.js';
import { GroupCommit } from './groupCommit.js';
import { SqliteAgentStore } from './sqliteAgentStore.js';
import { SqliteCaseStore } from './sqliteCaseStore.js';
import { SqliteDirectLineStore } from './sqliteDirectLineStore.js';
import { SqlitePresenceStore } from './sqlitePresenceStore.js';
import { SqliteEventLog } from './sqliteEventLog.js';
import { SqliteStorage } from './sqliteStorage.js';
import { SqliteTranscriptStore } from './sqliteTranscriptStore.js';
import { SqliteUploadStore } from './sqliteUploadStore.js';

/** In-process storage for tests and trials: the same code as the file store, gone when the process exits. */
export const IN_MEMORY = ':memory:';

/**
 * The embedded store: one SQLite file holding state and transcripts. Every write is part of one
 * SQLite transaction, so an item is either the old or the new version after kill -9, never a mix.
 * WAL lets readers and the writer proceed together and lets several processes on one machine share
 * the file.
 */
export function openSqliteStorage(file: string): StorageBackend {
  const db = openDatabase(file);
  const commits = new GroupCommit(db);
  return {
    state: new SqliteStorage(db, commits),
    transcripts: new SqliteTranscriptStore(db, commits),
    cases: new SqliteCaseStore(db, commits),
    directLine: new SqliteDirectLineStore(db, commits),
    agents: new SqliteAgentStore(db, commits),
    presence: new SqlitePresenceStore(db, commits),
    uploads: new SqliteUploadStore(db, commits),
    events: new SqliteEventLog(db, commits),
    close: async () => {
      commits.flush();
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
      CREATE TABLE IF NOT EXISTS upload (
        id TEXT PRIMARY KEY,
        channel_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        at TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS upload_by_time ON upload (at);
      CREATE TABLE IF NOT EXISTS handoff_case (
        conversation_id TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS agent_presence (
        agent TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS insight_event (
        at TEXT NOT NULL,
        conversation TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS insight_event_by_time ON insight_event (at);
    `);
    // Files written before screenshots were kept have no attachments column: add it (NULL for their lines).
    const transcriptColumns = db.prepare<[], { name: string }>('PRAGMA table_info(transcript)').all();
    if (!transcriptColumns.some((column) => column.name === 'attachments')) db.exec('ALTER TABLE transcript ADD COLUMN attachments TEXT');
    return db;
  } catch (error) {
    throw new AppError('ERR_STORAGE_OPEN', `cannot open the state database ${file}: ${(error as Error).message}`, { cause: error });
  }
}
