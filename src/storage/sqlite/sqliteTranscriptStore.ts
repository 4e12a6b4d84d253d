import type Database from 'better-sqlite3';
import type { GroupCommit } from './groupCommit.js';
import type { TranscriptKey } from '../transcriptKey.js';
import { byTimeThenSeq, type TranscriptLine, type TranscriptSpan, type TranscriptStore } from '../transcriptStore.js';

interface TranscriptKeyRow {
  channel_id: string;
  conversation_id: string;
}

interface SpanRow extends TranscriptKeyRow {
  first_at: string;
  last_at: string;
}

interface LineRow {
  seq: number;
  sender: TranscriptLine['from'];
  text: string;
  at: string;
  attachments: string | null;
}

export class SqliteTranscriptStore implements TranscriptStore {
  private readonly insert: Database.Statement<[string, string, number, string, string, string, string | null]>;
  private readonly selectLines: Database.Statement<[string, string], LineRow>;
  private readonly selectNewest: Database.Statement<[string, string, number], LineRow>;
  private readonly pruneAll: Database.Transaction<(before: string) => number>;
  private readonly selectSpans: Database.Statement<[string], SpanRow>;

  constructor(
    db: Database.Database,
    private readonly commits: GroupCommit,
  ) {
    this.insert = db.prepare('INSERT INTO transcript (channel_id, conversation_id, seq, sender, text, at, attachments) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.selectLines = db.prepare('SELECT seq, sender, text, at, attachments FROM transcript WHERE channel_id = ? AND conversation_id = ?');
    // The index gives the time order; only lines of one moment are sorted by seq, then the limit stops the scan.
    this.selectNewest = db.prepare('SELECT seq, sender, text, at, attachments FROM transcript WHERE channel_id = ? AND conversation_id = ? ORDER BY at DESC, seq DESC LIMIT ?');
    // ISO 8601 UTC timestamps of one length compare correctly as text.
    const expired = db.prepare<[string], TranscriptKeyRow>(
      'SELECT channel_id, conversation_id FROM transcript GROUP BY channel_id, conversation_id HAVING max(at) < ?',
    );
    this.selectSpans = db.prepare(
      'SELECT channel_id, conversation_id, min(at) AS first_at, max(at) AS last_at FROM transcript GROUP BY channel_id, conversation_id HAVING max(at) >= ? ORDER BY first_at, channel_id, conversation_id',
    );
    const removeConversation = db.prepare<[string, string]>('DELETE FROM transcript WHERE channel_id = ? AND conversation_id = ?');
    this.pruneAll = db.transaction((before: string) => {
      const conversations = expired.all(before);
      for (const row of conversations) removeConversation.run(row.channel_id, row.conversation_id);
      return conversations.length;
    });
  }

  append(key: TranscriptKey, lines: readonly TranscriptLine[]): Promise<void> {
    return this.commits.run(() => {
      for (const line of lines) this.insert.run(key.channelId, key.conversationId, line.seq, line.from, line.text, line.at, line.attachments?.length ? JSON.stringify(line.attachments) : null);
    });
  }

  async read(key: TranscriptKey, options: { readonly last?: number } = {}): Promise<TranscriptLine[]> {
    const rows = options.last === undefined ? this.selectLines.all(key.channelId, key.conversationId) : this.selectNewest.all(key.channelId, key.conversationId, options.last);
    return rows
      .map((row) => ({ seq: row.seq, from: row.sender, text: row.text, at: row.at, ...(row.attachments ? { attachments: JSON.parse(row.attachments) as TranscriptLine['attachments'] } : {}) }))
      .sort(byTimeThenSeq);
  }

  async conversations(options: { readonly since?: Date } = {}): Promise<TranscriptSpan[]> {
    return this.selectSpans
      .all(options.since?.toISOString() ?? '')
      .map((row) => ({ channelId: row.channel_id, conversationId: row.conversation_id, firstAt: row.first_at, lastAt: row.last_at }));
  }

  async prune(before: Date): Promise<number> {
    return this.pruneAll.immediate(before.toISOString());
  }
}
