import type Database from 'better-sqlite3';
import type { GroupCommit } from './groupCommit.js';
import type { ImageType, StoredUpload, UploadStore } from '../uploadStore.js';

interface UploadRow {
  id: string;
  channel_id: string;
  conversation_id: string;
  name: string;
  content_type: ImageType;
  bytes: number;
  at: string;
  data: Buffer;
}

/** Uploads in the same SQLite file as the conversations, bytes as a BLOB column. */
export class SqliteUploadStore implements UploadStore {
  private readonly insert: Database.Statement<[string, string, string, string, string, number, string, Buffer]>;
  private readonly select: Database.Statement<[string], UploadRow>;
  private readonly removeOld: Database.Statement<[string]>;

  constructor(
    db: Database.Database,
    private readonly commits: GroupCommit,
  ) {
    // The first copy wins: a channel retrying an activity derives the same id (uploadIdOf).
    this.insert = db.prepare('INSERT OR IGNORE INTO upload (id, channel_id, conversation_id, name, content_type, bytes, at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.select = db.prepare('SELECT id, channel_id, conversation_id, name, content_type, bytes, at, data FROM upload WHERE id = ?');
    this.removeOld = db.prepare('DELETE FROM upload WHERE at < ?');
  }

  put(upload: StoredUpload): Promise<void> {
    return this.commits.run(() => {
      this.insert.run(upload.id, upload.channelId, upload.conversationId, upload.name, upload.contentType, upload.bytes, upload.at, upload.data);
    });
  }

  async get(id: string): Promise<StoredUpload | undefined> {
    const row = this.select.get(id);
    if (!row) return undefined;
    return { id: row.id, channelId: row.channel_id, conversationId: row.conversation_id, name: row.name, contentType: row.content_type, bytes: row.bytes, at: row.at, data: row.data };
  }

  async prune(before: Date): Promise<number> {
    return this.removeOld.run(before.toISOString()).changes;
  }
}
