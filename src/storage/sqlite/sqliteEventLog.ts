import type Database from 'better-sqlite3';
import type { EventLog, EventRecord } from '../eventLog.js';
import type { GroupCommit } from './groupCommit.js';

/** Events in the shared group commit: a turn's events cost a few rows in the transaction its state write already opens. */
export class SqliteEventLog implements EventLog {
  private readonly insert: Database.Statement<[string, string, string]>;
  private readonly selectSince: Database.Statement<[string], EventRecord>;

  constructor(
    db: Database.Database,
    private readonly commits: GroupCommit,
  ) {
    this.insert = db.prepare('INSERT INTO insight_event (at, conversation, body) VALUES (?, ?, ?)');
    // rowid breaks ties of one millisecond in the order the events were appended.
    this.selectSince = db.prepare<[string], EventRecord>('SELECT at, conversation, body FROM insight_event WHERE at >= ? ORDER BY at, rowid');
  }

  append(records: readonly EventRecord[]): Promise<void> {
    return this.commits.run(() => {
      for (const record of records) this.insert.run(record.at, record.conversation, record.body);
    });
  }

  async read(since = ''): Promise<EventRecord[]> {
    return this.selectSince.all(since);
  }
}
