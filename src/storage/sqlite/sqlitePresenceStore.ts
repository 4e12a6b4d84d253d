import type Database from 'better-sqlite3';
import type { PresenceStore } from '../presenceStore.js';
import type { GroupCommit } from './groupCommit.js';

export class SqlitePresenceStore implements PresenceStore {
  private readonly upsert: Database.Statement<[string, string]>;
  private readonly selectAll: Database.Statement<[], string>;

  constructor(
    db: Database.Database,
    private readonly commits: GroupCommit,
  ) {
    this.upsert = db.prepare('INSERT INTO agent_presence (agent, value) VALUES (?, ?) ON CONFLICT (agent) DO UPDATE SET value = excluded.value');
    this.selectAll = db.prepare<[], string>('SELECT value FROM agent_presence').pluck();
  }

  put(agent: string, record: object): Promise<void> {
    const value = JSON.stringify(record);
    return this.commits.run(() => this.upsert.run(agent, value));
  }

  async list(): Promise<unknown[]> {
    return this.selectAll.all().map((value) => JSON.parse(value) as unknown);
  }
}
