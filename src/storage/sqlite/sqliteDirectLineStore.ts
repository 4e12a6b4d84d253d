import type Database from 'better-sqlite3';
import type { DirectLineRecord, DirectLineStore, KeptActivity } from '../backend.js';
import type { GroupCommit } from './groupCommit.js';

/** The embedded Direct Line in the SQLite store: one row per conversation, one per kept activity. */
export class SqliteDirectLineStore implements DirectLineStore {
  private readonly upsert: Database.Statement<[string, string]>;
  private readonly insertActivity: Database.Statement<[string, number, string]>;
  private readonly deleteActivity: Database.Statement<[string, number]>;
  private readonly selectRecord: Database.Statement<[string], string>;
  private readonly selectAll: Database.Statement<[], string>;
  private readonly selectActivities: Database.Statement<[string], KeptActivity>;
  private readonly deleteRecord: Database.Statement<[string]>;
  private readonly deleteActivities: Database.Statement<[string]>;

  constructor(
    db: Database.Database,
    private readonly commits: GroupCommit,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS directline_conversation (
        id TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS directline_activity (
        conversation_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (conversation_id, seq)
      ) WITHOUT ROWID;
    `);
    this.upsert = db.prepare('INSERT INTO directline_conversation (id, value) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value');
    this.insertActivity = db.prepare('INSERT OR REPLACE INTO directline_activity (conversation_id, seq, json) VALUES (?, ?, ?)');
    this.deleteActivity = db.prepare('DELETE FROM directline_activity WHERE conversation_id = ? AND seq = ?');
    this.selectRecord = db.prepare<[string], string>('SELECT value FROM directline_conversation WHERE id = ?').pluck();
    this.selectAll = db.prepare<[], string>('SELECT value FROM directline_conversation').pluck();
    this.selectActivities = db.prepare<[string], KeptActivity>('SELECT seq AS sequence, json FROM directline_activity WHERE conversation_id = ? ORDER BY seq');
    this.deleteRecord = db.prepare('DELETE FROM directline_conversation WHERE id = ?');
    this.deleteActivities = db.prepare('DELETE FROM directline_activity WHERE conversation_id = ?');
  }

  async list(): Promise<DirectLineRecord[]> {
    return this.selectAll.all().map((value) => JSON.parse(value) as DirectLineRecord);
  }

  async load(conversationId: string): Promise<{ record: DirectLineRecord; activities: KeptActivity[] } | undefined> {
    const value = this.selectRecord.get(conversationId);
    if (value === undefined) return undefined;
    return { record: JSON.parse(value) as DirectLineRecord, activities: this.selectActivities.all(conversationId) };
  }

  save(record: DirectLineRecord, added: readonly KeptActivity[], dropped: readonly number[]): Promise<void> {
    const value = JSON.stringify(record);
    return this.commits.run(() => {
      this.upsert.run(record.id, value);
      for (const activity of added) this.insertActivity.run(record.id, activity.sequence, activity.json);
      for (const sequence of dropped) this.deleteActivity.run(record.id, sequence);
    });
  }

  remove(conversationIds: readonly string[]): Promise<void> {
    return this.commits.run(() => {
      for (const id of conversationIds) {
        this.deleteRecord.run(id);
        this.deleteActivities.run(id);
      }
    });
  }
}
