import { describe, expect, it } from 'vitest';
import type { DirectLineRecord } from '../../src/storage/backend.js';
import { storeKinds } from '../support/storeKinds.js';

/**
 * The directLine store's contract on every backend STORAGE can name. "reopen" opens another handle
 * on the same data, as the process after a restart would (the in-memory store has only one).
 */
const stores = storeKinds('dl-state');

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

describe.each(stores.kinds)('%s directLine store', (kind) => {
  const place = () => {
    const where = stores.place(kind);
    return () => where.connect();
  };

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
