import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/storage/sqlite/groupCommit.js';
import { tempDir } from '../support/processes.js';

let dir: string;
let db: Database.Database;
let reader: Database.Database;

function open(): void {
  dir = tempDir('group-commit-');
  db = new Database(path.join(dir, 'test.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE row (id INTEGER PRIMARY KEY, label TEXT NOT NULL)');
  reader = new Database(path.join(dir, 'test.sqlite'), { readonly: true });
}

afterEach(() => {
  reader?.close();
  if (db?.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const labels = (): string[] => reader.prepare<[], string>('SELECT label FROM row ORDER BY id').pluck().all();
const walFrames = (): number => (db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]?.log ?? -1;

describe('GroupCommit', () => {
  it('resolves a change only once another connection can read it', async () => {
    open();
    const commits = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO row (label) VALUES (?)');
    const pending = commits.run(() => insert.run('a'));
    expect(labels()).toEqual([]);
    await pending;
    expect(labels()).toEqual(['a']);
  });

  it('commits the changes queued in one pass of the event loop as one transaction', async () => {
    open();
    db.pragma('wal_autocheckpoint = 0');
    const commits = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO row (label) VALUES (?)');
    await Promise.all(Array.from({ length: 200 }, (_, index) => commits.run(() => insert.run(`label ${index}`))));
    expect(labels()).toHaveLength(200);
    // 200 commits would append at least 200 WAL frames; one commit of these few pages appends a handful.
    expect(walFrames()).toBeLessThan(10);
  });

  it('rejects only the change that throws and undoes its rows, keeping the others of the same pass', async () => {
    open();
    const commits = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO row (label) VALUES (?)');
    const committed: string[] = [];
    const results = await Promise.allSettled([
      commits.run(() => insert.run('kept 1'), () => committed.push('kept 1')),
      commits.run(
        () => {
          insert.run('undone');
          throw new Error('stale');
        },
        () => committed.push('undone'),
      ),
      commits.run(() => insert.run('kept 2'), () => committed.push('kept 2')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(labels()).toEqual(['kept 1', 'kept 2']);
    expect(committed).toEqual(['kept 1', 'kept 2']);
  });

  it('rejects every change of the pass when the commit itself fails', async () => {
    open();
    const commits = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO row (label) VALUES (?)');
    const pending = [commits.run(() => insert.run('a')), commits.run(() => insert.run('b'))];
    db.close();
    for (const result of await Promise.allSettled(pending)) expect(result.status).toBe('rejected');
  });

  it('commits what is queued when flushed before the database closes', async () => {
    open();
    const commits = new GroupCommit(db);
    const pending = commits.run(() => db.prepare('INSERT INTO row (label) VALUES (?)').run('last'));
    commits.flush();
    db.close();
    await pending;
    expect(labels()).toEqual(['last']);
  });
});
