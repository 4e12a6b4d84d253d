import { describe, expect, it } from 'vitest';
import { StorageConflictError } from '../../src/errors.js';
import { ConversationStore } from '../../src/storage/conversationStore.js';
import type { TranscriptLine } from '../../src/storage/transcriptStore.js';
import { storeKinds } from '../support/storeKinds.js';

/**
 * The same contract for every backend STORAGE can name. "connect" opens another handle on the
 * same data, as a second instance of the bot would (the in-memory store has only one).
 */
const stores = storeKinds('state');

const line = (seq: number, from: TranscriptLine['from'], text: string, at: string): TranscriptLine => ({ seq, from, text, at });

describe.each(stores.kinds)('%s storage', (kind) => {
  const place = () => stores.place(kind);

  it('reads back a written item with an eTag, and nothing for a missing key', async () => {
    const { state } = await place().connect();
    await state.write({ c1: { state: { node: 'wifi', note: 'café — ’ 🙂' } } });
    const items = (await state.read(['c1', 'missing'])) as Record<string, { state: unknown; eTag: string }>;
    expect(Object.keys(items)).toEqual(['c1']);
    expect(items.c1?.state).toEqual({ node: 'wifi', note: 'café — ’ 🙂' });
    expect(items.c1?.eTag).toEqual(expect.any(String));
  });

  it('rejects a write whose eTag is stale', async () => {
    const { state } = await place().connect();
    await state.write({ c1: { state: 1 } });
    const first = ((await state.read(['c1'])) as Record<string, { eTag: string }>).c1?.eTag;
    await state.write({ c1: { state: 2, eTag: first } });
    await expect(state.write({ c1: { state: 3, eTag: first } })).rejects.toBeInstanceOf(StorageConflictError);
    expect(((await state.read(['c1'])) as Record<string, { state: number }>).c1?.state).toBe(2);
  });

  it("overwrites unconditionally without an eTag or with '*', as botbuilder storage does", async () => {
    const { state } = await place().connect();
    await state.write({ c1: { state: 1 } });
    await state.write({ c1: { state: 2 } });
    await state.write({ c1: { state: 3, eTag: '*' } });
    expect(((await state.read(['c1'])) as Record<string, { state: number }>).c1?.state).toBe(3);
  });

  it('creates an item only while its key is absent', async () => {
    const { state } = await place().connect();
    await state.create('c1', { state: 'first' });
    await expect(state.create('c1', { state: 'second' })).rejects.toBeInstanceOf(StorageConflictError);
    expect(((await state.read(['c1'])) as Record<string, { state: string }>).c1?.state).toBe('first');
  });

  it('deletes items, so the key can be created again', async () => {
    const { state } = await place().connect();
    await state.create('c1', { state: 1 });
    await state.delete(['c1', 'never-written']);
    expect(await state.read(['c1'])).toEqual({});
    await state.create('c1', { state: 2 });
  });

  it("reads what another connection to the same store wrote and deleted, never a copy it kept", async () => {
    const shared = place();
    const [first, second] = [(await shared.connect()).state, (await shared.connect()).state];
    type Items = Record<string, { state: string; eTag: string }>;
    await first.create('c1', { state: 'one' });
    const seen = ((await first.read(['c1'])) as Items).c1;
    const before = ((await second.read(['c1'])) as Items).c1;
    await second.write({ c1: { state: 'two', eTag: before?.eTag } });
    const after = ((await first.read(['c1'])) as Items).c1;
    expect(after?.state).toBe('two');
    expect(after?.eTag).not.toBe(seen?.eTag);
    await second.delete(['c1']);
    expect(await first.read(['c1'])).toEqual({});
  });

  it('loses no update when two stores on it take a burst of turns on one new conversation', async () => {
    const shared = place();
    const stores = [await shared.connect(), await shared.connect()].map((backend) => new ConversationStore<{ count: number; seen: number[] }>(backend.state, () => ({ count: 0, seen: [] })));
    const turns = Array.from({ length: 20 }, (_, index) =>
      (stores[index % 2] as (typeof stores)[number]).update('burst', async (state) => ({ state: { count: state.count + 1, seen: [...state.seen, index] }, result: undefined })),
    );
    await Promise.all(turns);
    const final = await (stores[0] as (typeof stores)[number]).read('burst');
    expect(final.count).toBe(20);
    expect([...final.seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index));
  });

  it('keeps handoff cases that every connection to the store lists, updates and deletes', async () => {
    const shared = place();
    const [first, second] = [(await shared.connect()).cases, (await shared.connect()).cases];
    await first.put('a:1;messageid=7', { conversationId: 'a:1;messageid=7', status: 'queued', note: 'café — ’' });
    await first.put('conv-2', { conversationId: 'conv-2', status: 'queued' });
    await second.put('conv-2', { conversationId: 'conv-2', status: 'accepted', agent: 'Dana' });
    expect(await first.get('conv-2')).toEqual({ conversationId: 'conv-2', status: 'accepted', agent: 'Dana' });
    expect(await second.get('a:1;messageid=7')).toEqual({ conversationId: 'a:1;messageid=7', status: 'queued', note: 'café — ’' });
    expect(await first.get('never-asked')).toBeUndefined();
    const listed = (await second.list()) as { conversationId: string }[];
    expect(listed.map((item) => item.conversationId).sort()).toEqual(['a:1;messageid=7', 'conv-2']);
    await first.delete(['conv-2', 'never-asked']);
    expect(((await second.list()) as { conversationId: string }[]).map((item) => item.conversationId)).toEqual(['a:1;messageid=7']);
  });

  it("keeps one presence record per agent that every connection lists, a heartbeat replacing the last", async () => {
    const shared = place();
    const [first, second] = [(await shared.connect()).presence, (await shared.connect()).presence];
    await first.put('Dana', { name: 'Dana', status: 'available', lastSeenAt: '2026-12-01T10:00:00.000Z' });
    await first.put('Zoë / ops', { name: 'Zoë / ops', status: 'away', lastSeenAt: '2026-12-01T10:00:00.000Z' });
    await second.put('Dana', { name: 'Dana', status: 'away', lastSeenAt: '2026-12-01T10:00:20.000Z' });
    const listed = (await first.list()) as { name: string; status: string }[];
    expect(listed.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'Dana', status: 'away', lastSeenAt: '2026-12-01T10:00:20.000Z' },
      { name: 'Zoë / ops', status: 'away', lastSeenAt: '2026-12-01T10:00:00.000Z' },
    ]);
  });

  it("returns a conversation's transcript oldest first, lines of one moment in their order", async () => {
    const { transcripts } = await place().connect();
    const key = { channelId: 'webchat', conversationId: 'a:1;messageid=7' };
    await transcripts.append(key, [line(0, 'customer', 'Cannot Restore Backup', '2026-01-05T10:00:00.000Z'), line(1, 'bot', 'Is there enough free space?', '2026-01-05T10:00:00.000Z')]);
    await transcripts.append(key, [line(2, 'customer', 'no', '2026-01-05T10:00:09.500Z'), line(3, 'bot', 'Try Wi-Fi — ’', '2026-01-05T10:00:09.500Z')]);
    expect(await transcripts.read(key)).toEqual([
      line(0, 'customer', 'Cannot Restore Backup', '2026-01-05T10:00:00.000Z'),
      line(1, 'bot', 'Is there enough free space?', '2026-01-05T10:00:00.000Z'),
      line(2, 'customer', 'no', '2026-01-05T10:00:09.500Z'),
      line(3, 'bot', 'Try Wi-Fi — ’', '2026-01-05T10:00:09.500Z'),
    ]);
  });

  it("returns only the newest lines when asked for the last few, oldest first, an agent's as an agent's", async () => {
    const { transcripts } = await place().connect();
    const key = { channelId: 'msteams', conversationId: 'a:long-chat' };
    const moments = ['2026-01-05T10:00:00.000Z', '2026-01-06T08:30:00.000Z', '2026-01-07T17:45:00.000Z'];
    // The middle answer is a support agent's, which every store must give back as such.
    const answerer = (index: number): TranscriptLine['from'] => (index === 1 ? 'agent' : 'bot');
    for (const [index, at] of moments.entries()) await transcripts.append(key, [line(index * 2, 'customer', `question ${index}`, at), line(index * 2 + 1, answerer(index), `answer ${index}`, at)]);
    expect(await transcripts.read(key, { last: 3 })).toEqual([
      line(3, 'agent', 'answer 1', moments[1] as string),
      line(4, 'customer', 'question 2', moments[2] as string),
      line(5, 'bot', 'answer 2', moments[2] as string),
    ]);
    expect(await transcripts.read(key, { last: 50 })).toHaveLength(6);
  });

  it('keeps transcripts of conversations apart, even when one id starts with the other', async () => {
    const { transcripts } = await place().connect();
    await transcripts.append({ channelId: 'webchat', conversationId: 'conv-1' }, [line(0, 'customer', 'one', '2026-01-05T10:00:00.000Z')]);
    await transcripts.append({ channelId: 'webchat', conversationId: 'conv-10' }, [line(0, 'customer', 'ten', '2026-01-05T10:00:00.000Z')]);
    await transcripts.append({ channelId: 'msteams', conversationId: 'conv-1' }, [line(0, 'customer', 'teams', '2026-01-05T10:00:00.000Z')]);
    expect((await transcripts.read({ channelId: 'webchat', conversationId: 'conv-1' })).map((entry) => entry.text)).toEqual(['one']);
  });

  it('prunes whole conversations whose newest line is older than the cutoff, and keeps the rest', async () => {
    const { transcripts } = await place().connect();
    const old = { channelId: 'webchat', conversationId: 'old' };
    const spanning = { channelId: 'webchat', conversationId: 'spanning' };
    await transcripts.append(old, [line(0, 'customer', 'hi', '2026-01-01T00:00:00.000Z'), line(1, 'bot', 'hello', '2026-01-01T00:00:00.000Z')]);
    await transcripts.append(spanning, [line(0, 'customer', 'hi', '2026-01-01T00:00:00.000Z'), line(1, 'customer', 'still there?', '2026-03-01T00:00:00.000Z')]);
    expect(await transcripts.prune(new Date('2026-02-01T00:00:00.000Z'))).toBe(1);
    expect(await transcripts.read(old)).toEqual([]);
    expect(await transcripts.read(spanning)).toHaveLength(2);
  });

  it('lists the conversations with a line since a date, the earliest started first, with their first and newest times', async () => {
    const { transcripts } = await place().connect();
    const early = { channelId: 'msteams', conversationId: 'a:1;messageid=5' };
    const late = { channelId: 'webchat', conversationId: 'late' };
    const old = { channelId: 'webchat', conversationId: 'old' };
    await transcripts.append(late, [line(0, 'customer', 'hi', '2026-02-03T00:00:00.000Z')]);
    await transcripts.append(early, [line(0, 'customer', 'hi', '2026-02-01T00:00:00.000Z'), line(1, 'customer', 'again', '2026-02-05T00:00:00.000Z')]);
    await transcripts.append(old, [line(0, 'customer', 'hi', '2026-01-01T00:00:00.000Z')]);
    expect(await transcripts.conversations({ since: new Date('2026-02-02T00:00:00.000Z') })).toEqual([
      { ...early, firstAt: '2026-02-01T00:00:00.000Z', lastAt: '2026-02-05T00:00:00.000Z' },
      { ...late, firstAt: '2026-02-03T00:00:00.000Z', lastAt: '2026-02-03T00:00:00.000Z' },
    ]);
    expect((await transcripts.conversations()).map((span) => span.conversationId)).toEqual(['old', early.conversationId, 'late']);
  });

  it('keeps a picture with what is known of it for every connection to the store, the first copy of an id winning', async () => {
    const where = place();
    const { uploads } = await where.connect();
    const data = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const picture = { id: 'p'.repeat(32), channelId: 'msteams', conversationId: 'a:1', name: 'alert.png', contentType: 'image/png' as const, bytes: data.length, at: '2026-03-01T00:00:00.000Z', data };
    await uploads.put(picture);
    await uploads.put({ ...picture, name: 'second.png', data: Buffer.from('other') });
    expect(await (await where.connect()).uploads.get(picture.id)).toEqual(picture);
    expect(await uploads.get('q'.repeat(32))).toBeUndefined();
  });

  it('prunes pictures sent before the cutoff and keeps later ones', async () => {
    const { uploads } = await place().connect();
    const data = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
    const base = { channelId: 'webchat', conversationId: 'c', name: 'a.jpg', contentType: 'image/jpeg' as const, bytes: data.length, data };
    await uploads.put({ ...base, id: 'o'.repeat(22), at: '2026-01-01T00:00:00.000Z' });
    await uploads.put({ ...base, id: 'n'.repeat(22), at: '2026-03-01T00:00:00.000Z' });
    expect(await uploads.prune(new Date('2026-02-01T00:00:00.000Z'))).toBe(1);
    expect(await uploads.get('o'.repeat(22))).toBeUndefined();
    expect((await uploads.get('n'.repeat(22)))?.name).toBe('a.jpg');
  });

  it('keeps the pictures a transcript line lists with the line', async () => {
    const { transcripts } = await place().connect();
    const key = { channelId: 'webchat', conversationId: 'with-pictures' };
    const attachments = [{ id: 'x'.repeat(22), name: 'alert.png', contentType: 'image/png' as const, bytes: 12 }];
    await transcripts.append(key, [{ ...line(0, 'customer', '', '2026-03-01T00:00:00.000Z'), attachments }, line(1, 'bot', 'Thanks', '2026-03-01T00:00:00.000Z')]);
    expect(await transcripts.read(key)).toEqual([{ ...line(0, 'customer', '', '2026-03-01T00:00:00.000Z'), attachments }, line(1, 'bot', 'Thanks', '2026-03-01T00:00:00.000Z')]);
  });
});
