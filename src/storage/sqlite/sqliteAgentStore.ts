import type Database from 'better-sqlite3';
import type { AgentAccountRecord, AgentCredentialRecord, AgentStore } from '../agentStore.js';
import type { GroupCommit } from './groupCommit.js';

export class SqliteAgentStore implements AgentStore {
  private readonly insert: Database.Statement<[string, string]>;
  private readonly replace: Database.Statement<[string, string]>;
  private readonly select: Database.Statement<[string], string>;
  private readonly selectAll: Database.Statement<[], string>;
  private readonly selectAny: Database.Statement<[], number>;
  private readonly delete: Database.Statement<[string]>;
  private readonly upsertCredential: Database.Statement<[string, string, string]>;
  private readonly selectCredential: Database.Statement<[string], string>;
  private readonly selectCredentialsOf: Database.Statement<[string], string>;
  private readonly deleteCredential: Database.Statement<[string]>;

  constructor(
    db: Database.Database,
    private readonly commits: GroupCommit,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS agent_account (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS agent_credential (
        digest TEXT PRIMARY KEY,
        agent TEXT NOT NULL,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS agent_credential_by_agent ON agent_credential (agent);
    `);
    this.insert = db.prepare('INSERT INTO agent_account (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');
    this.replace = db.prepare('UPDATE agent_account SET value = ? WHERE key = ?');
    this.select = db.prepare<[string], string>('SELECT value FROM agent_account WHERE key = ?').pluck();
    this.selectAll = db.prepare<[], string>('SELECT value FROM agent_account ORDER BY key').pluck();
    this.selectAny = db.prepare<[], number>('SELECT 1 FROM agent_account LIMIT 1').pluck();
    this.delete = db.prepare('DELETE FROM agent_account WHERE key = ?');
    this.upsertCredential = db.prepare('INSERT INTO agent_credential (digest, agent, value) VALUES (?, ?, ?) ON CONFLICT (digest) DO UPDATE SET agent = excluded.agent, value = excluded.value');
    this.selectCredential = db.prepare<[string], string>('SELECT value FROM agent_credential WHERE digest = ?').pluck();
    this.selectCredentialsOf = db.prepare<[string], string>('SELECT value FROM agent_credential WHERE agent = ?').pluck();
    this.deleteCredential = db.prepare('DELETE FROM agent_credential WHERE digest = ?');
  }

  async create(key: string, account: AgentAccountRecord): Promise<boolean> {
    let added = false;
    await this.commits.run(() => {
      added = this.insert.run(key, JSON.stringify(account)).changes === 1;
    });
    return added;
  }

  async get(key: string): Promise<AgentAccountRecord | undefined> {
    const value = this.select.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as AgentAccountRecord);
  }

  async update(key: string, account: AgentAccountRecord): Promise<boolean> {
    let updated = false;
    await this.commits.run(() => {
      updated = this.replace.run(JSON.stringify(account), key).changes === 1;
    });
    return updated;
  }

  async list(): Promise<AgentAccountRecord[]> {
    return this.selectAll.all().map((value) => JSON.parse(value) as AgentAccountRecord);
  }

  async any(): Promise<boolean> {
    return this.selectAny.get() !== undefined;
  }

  async remove(key: string): Promise<boolean> {
    let removed = false;
    await this.commits.run(() => {
      removed = this.delete.run(key).changes === 1;
    });
    return removed;
  }

  putCredential(credential: AgentCredentialRecord): Promise<void> {
    return this.commits.run(() => this.upsertCredential.run(credential.digest, credential.agent, JSON.stringify(credential)));
  }

  async credential(digest: string): Promise<AgentCredentialRecord | undefined> {
    const value = this.selectCredential.get(digest);
    return value === undefined ? undefined : (JSON.parse(value) as AgentCredentialRecord);
  }

  async credentialsOf(key: string): Promise<AgentCredentialRecord[]> {
    return this.selectCredentialsOf.all(key).map((value) => JSON.parse(value) as AgentCredentialRecord);
  }

  removeCredentials(digests: readonly string[]): Promise<void> {
    return this.commits.run(() => {
      for (const digest of digests) this.deleteCredential.run(digest);
    });
  }
}
