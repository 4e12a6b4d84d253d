import type Database from 'better-sqlite3';
import type { EventLog, EventRecord } from '../eventLog.js';
import type { GroupCommit } from './groupCommit.js';

/** Rows deleted per transaction when pruning. */
const PRUNE_SLICE = 5000;

/** Events in the shared group commit: a turn's events cost a few rows in the transaction its state write already opens. */
export class SqliteEventLog implements EventLog {
  private readonly insert: Database.Statement<[string, string, string]>;
  private readonly selectSince: Database.Statement<[string], EventRecord>;
  private readonly deleteSome: Database.Statement<[string, number]>;

  constructor(
    db: Database.Database,
    private readonly commits: GroupCommit,
  ) {
    this.insert = db.prepare('INSERT INTO insight_event (at, conversation, body) VALUES (?, ?, ?)');
    // rowid breaks ties of one millisecond in the order the events were appended.
    this.selectSince = db.prepare<[string], EventRecord>('SELECT at, conversation, body FROM insight_event WHERE at >= ? ORDER BY at, rowid');
    // The time index (insight_event_by_time) finds the oldest rows without a scan.
    this.deleteSome = db.prepare('DELETE FROM insight_event WHERE rowid IN (SELECT rowid FROM insight_event WHERE at < ? ORDER BY at LIMIT ?)');
  }

  append(records: readonly EventRecord[]): Promise<void> {
    return this.commits.run(() => {
      for (const record of records) this.insert.run(record.at, record.conversation, record.body);
    });
  }

  async read(since = ''): Promise<EventRecord[]> {
    return this.selectSince.all(since);
  }

  /**
   * In slices through the group commit: the first prune after an upgrade may find months of
   * events, and one DELETE of them all would hold the event loop (and every turn) for its length.
   */
  async prune(before: string): Promise<number> {
    let removed = 0;
    for (let slice = PRUNE_SLICE; slice === PRUNE_SLICE; removed += slice) {
      await this.commits.run(() => {
        slice = this.deleteSome.run(before, PRUNE_SLICE).changes;
      });
    }
    return removed;
  }
}
