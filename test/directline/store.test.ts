import { rmSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBlobStorage } from '../../src/storage/blob/openBlobStorage.js';
import type { DirectLineRecord, StorageBackend } from '../../src/storage/backend.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { startAzurite, tempDir, type Azurite } from '../support/processes.js';

/**
 * The directLine store's contract on every backend STORAGE can name. "reopen" opens another handle
 * on the same data, as the process after a restart would (the in-memory store has only one).
 */
let azurite: Azurite;
let containers = 0;
const opened: StorageBackend[] = [];
const dataDirs: string[] = [];
const track = async (pending: Promise<StorageBackend> | StorageBackend): Promise<StorageBackend> => {
  const backend = await pending;
  opened.push(backend);
  return backend;
};

const kinds: Record<string, () => () => Promise<StorageBackend>> = {
  memory: () => {
    const backend = track(openSqliteStorage(IN_MEMORY));
    return () => backend;
  },
  file: () => {
    const dir = tempDir('dl-data-');
    dataDirs.push(dir);
    return () => track(openSqliteStorage(path.join(dir, 'bot.sqlite')));
  },
  blob: () => {
    containers += 1;
    const options = { connectionString: azurite.connectionString, stateContainer: `dl-state-${containers}`, transcriptContainer: `dl-transcripts-${containers}` };
    return () => track(openBlobStorage(options));
  },
};

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  azurite = await startAzurite();
});
afterAll(async () => {
  await Promise.all(opened.map((backend) => backend.close()));
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  await azurite?.stop();
  nock.enableNetConnect();
});

const record = (id: string, sequence: number, extra: Partial<DirectLineRecord> = {}): DirectLineRecord => ({
  id,
  userId: `user-${id}`,
  tokenHash: 'ab'.repeat(32),
  expiresAt: 2_000_000,
  sequence,
  bytes: sequence * 10,
  lastActive: 1_000_000 + sequence,
  ...extra,
});
const activity = (sequence: number, text: string) => ({ sequence, json: JSON.stringify({ type: 'message', text: `${text} café 🙂` }) });

describe.each(Object.keys(kinds))('%s directLine store', (kind) => {
  const place = () => (kinds[kind] as () => () => Promise<StorageBackend>)();

  it('gives back a saved conversation with its activities in watermark order, after a reopen', async () => {
    const reopen = place();
    const { directLine } = await reopen();
    await directLine.save(record('c1', 2), [activity(1, 'one'), activity(2, 'two')], []);
    await directLine.save(record('c1', 11), Array.from({ length: 9 }, (_, index) => activity(index + 3, `n${index + 3}`)), []);
    const kept = await (await reopen()).directLine.load('c1');
    expect(kept?.record).toEqual(record('c1', 11));
    expect(kept?.activities.map((entry) => entry.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(JSON.parse(kept!.activities[0]!.json)).toEqual({ type: 'message', text: 'one café 🙂' });
  });

  it('forgets the activities a save drops, and nothing else', async () => {
    const { directLine } = await place()();
    await directLine.save(record('c2', 3), [activity(1, 'one'), activity(2, 'two'), activity(3, 'three')], []);
    await directLine.save(record('c2', 4), [activity(4, 'four')], [1, 2]);
    expect((await directLine.load('c2'))?.activities.map((entry) => entry.sequence)).toEqual([3, 4]);
  });

  it("keeps a record's resume key hash and expiry through a reopen, and lists them for the index", async () => {
    const reopen = place();
    const { directLine } = await reopen();
    const resumable = record('c4', 1, { resumeHash: 'cd'.repeat(32), resumeExpiresAt: 9_000_000 });
    await directLine.save(resumable, [activity(1, 'one')], []);
    expect((await (await reopen()).directLine.load('c4'))?.record).toEqual(resumable);
    expect((await directLine.list()).find((entry) => entry.id === 'c4')).toEqual(resumable);
  });

  it('lists every kept record without history, and removes a conversation whole', async () => {
    const { directLine } = await place()();
    await directLine.save(record('a/b c', 1), [activity(1, 'one')], []);
    await directLine.save(record('c3', 1), [activity(1, 'one')], []);
    expect((await directLine.list()).map((entry) => entry.id).sort()).toEqual(['a/b c', 'c3']);
    await directLine.remove(['a/b c']);
    expect(await directLine.load('a/b c')).toBeUndefined();
    expect((await directLine.list()).map((entry) => entry.id)).toEqual(['c3']);
    expect(await directLine.load('missing')).toBeUndefined();
  });
});
