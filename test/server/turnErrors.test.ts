import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageConflictError } from '../../src/errors.js';
import type { KeyValueStorage } from '../../src/storage/conversationStore.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite.js';
import { conversation, startBot, textOf, type RunningBot } from '../support/botServer.js';

/**
 * The in-memory store, made to fail the next read as a broken disk or network store would, or to
 * lose every write race as if other instances kept writing the conversation.
 */
class FlakyStorage implements KeyValueStorage {
  failNextRead = false;
  contended = false;
  deleted: string[] = [];

  constructor(private readonly inner: KeyValueStorage) {}

  async read(keys: string[]) {
    if (this.failNextRead) {
      this.failNextRead = false;
      throw new Error('storage unavailable');
    }
    return this.inner.read(keys);
  }

  async write(changes: Record<string, unknown>) {
    if (this.contended) throw new StorageConflictError(Object.keys(changes).join());
    return this.inner.write(changes);
  }

  async create(key: string, item: object) {
    if (this.contended) throw new StorageConflictError(key);
    return this.inner.create(key, item);
  }

  async delete(keys: string[]) {
    this.deleted.push(...keys);
    return this.inner.delete(keys);
  }
}

const backend = openSqliteStorage(IN_MEMORY);
const storage = new FlakyStorage(backend.state);
let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({}, { storage: { ...backend, state: storage } });
});
afterAll(async () => {
  await bot.close();
  await backend.close();
});

describe('a turn that fails', () => {
  it('apologises with an error code, resets the conversation and keeps serving', async () => {
    const chat = conversation(bot);
    await chat.say('Cannot Restore Backup');
    storage.failNextRead = true;
    const failed = await chat.say('no');
    expect(failed.status).toBe(200);
    expect(textOf(failed.replies)).toMatch(/went wrong.*\(ERR_TURN_FAILED\)/s);
    expect(textOf(failed.replies)).not.toMatch(/storage unavailable|at .*\.js/);
    expect(storage.deleted).toContain(chat.id);

    const after = await chat.say('my restore is slow');
    expect(textOf(after.replies)).toMatch(/per gigabyte/);
  });

  it('keeps the conversation when its state stays contended past every retry', async () => {
    const chat = conversation(bot);
    await chat.say('Cannot Restore Backup');
    storage.contended = true;
    const failed = await chat.say('no');
    storage.contended = false;
    expect(failed.status).toBe(200);
    expect(textOf(failed.replies)).toMatch(/\(ERR_STORAGE_CONFLICT\)/);
    expect(storage.deleted).not.toContain(chat.id);

    expect(textOf((await chat.say('no')).replies)).toMatch(/Wi-Fi/);
  });
});
