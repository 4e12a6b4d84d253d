import type Database from 'better-sqlite3';
import type { CaseStore } from '../caseStore.js';
import type { GroupCommit } from './groupCommit.js';

export class SqliteCaseStore implements CaseStore {
  private readonly upsert: Database.Statement<[string, string]>;
  private readonly select: Database.Statement<[string], string>;
  private readonly selectAll: Database.Statement<[], string>;
  private readonly remove: Database.Statement<[string]>;

  constructor(
    db: Database.Database,
    private readonly commits: GroupCommit,
  ) {
    this.upsert = db.prepare('INSERT INTO handoff_case (conversation_id, value) VALUES (?, ?) ON CONFLICT (conversation_id) DO UPDATE SET value = excluded.value');
    this.select = db.prepare<[string], string>('SELECT value FROM handoff_case WHERE conversation_id = ?').pluck();
    this.selectAll = db.prepare<[], string>('SELECT value FROM handoff_case').pluck();
    this.remove = db.prepare('DELETE FROM handoff_case WHERE conversation_id = ?');
  }

  put(conversationId: string, record: object): Promise<void> {
    const value = JSON.stringify(record);
    return this.commits.run(() => this.upsert.run(conversationId, value));
  }

  async get(conversationId: string): Promise<unknown> {
    const value = this.select.get(conversationId);
    return value === undefined ? undefined : JSON.parse(value);
  }

  async list(): Promise<unknown[]> {
    return this.selectAll.all().map((value) => JSON.parse(value) as unknown);
  }

  delete(conversationIds: readonly string[]): Promise<void> {
    return this.commits.run(() => {
      for (const id of conversationIds) this.remove.run(id);
    });
  }
}
