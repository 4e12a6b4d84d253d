import { describe, expect, it } from 'vitest';
import { ConversationStore, type KeyValueStorage } from '../../src/storage/conversationStore.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';

const memory = (): KeyValueStorage => openSqliteStorage(IN_MEMORY).state;

const counterStore = (storage: KeyValueStorage) => new ConversationStore<{ count: number }>(storage, () => ({ count: 0 }));
const increment = (store: ConversationStore<{ count: number }>, key: string) =>
  store.update(key, async (state) => {
    await new Promise((resolve) => setImmediate(resolve));
    return { state: { count: state.count + 1 }, result: state.count + 1 };
  });

describe('conversation store', () => {
  it('applies turns of one conversation one after the other', async () => {
    const store = counterStore(memory());
    const results = await Promise.all(Array.from({ length: 20 }, () => increment(store, 'c1')));
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(await store.read('c1')).toEqual({ count: 20 });
  });

  it('keeps conversations apart', async () => {
    const store = counterStore(memory());
    await Promise.all([increment(store, 'a'), increment(store, 'b'), increment(store, 'a')]);
    expect(await store.read('a')).toEqual({ count: 2 });
    expect(await store.read('b')).toEqual({ count: 1 });
  });

  it('re-runs a turn on fresh state when another writer changed it (eTag conflict)', async () => {
    const shared = memory();
    const mine = counterStore(shared);
    const theirs = counterStore(shared);
    await increment(mine, 'c');
    let interfered = false;
    const result = await mine.update('c', async (state) => {
      if (!interfered) {
        interfered = true;
        await increment(theirs, 'c');
      }
      return { state: { count: state.count + 1 }, result: state.count + 1 };
    });
    expect(result).toBe(3);
    expect(await mine.read('c')).toEqual({ count: 3 });
  });

  it('creates a new conversation once when two stores race to start it (no last-writer-wins)', async () => {
    const shared = memory();
    const mine = counterStore(shared);
    const theirs = counterStore(shared);
    const results = await Promise.all([increment(mine, 'new'), increment(theirs, 'new')]);
    expect(results.sort()).toEqual([1, 2]);
    expect(await mine.read('new')).toEqual({ count: 2 });
  });

  it('lets a failed turn not block the next one', async () => {
    const store = counterStore(memory());
    await expect(store.update('c', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await increment(store, 'c')).toBe(1);
  });

  it('deletes a conversation so it starts again from the initial state', async () => {
    const store = counterStore(memory());
    await increment(store, 'c');
    await store.delete('c');
    expect(await store.read('c')).toEqual({ count: 0 });
  });
});
