import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageConflictError } from '../../src/errors.js';
import type { KeyValueStorage } from '../../src/storage/conversationStore.js';
import { IN_MEMORY, openSqliteStorage } from '../../src/storage/sqlite/openSqliteStorage.js';
import { conversation, startBot, textOf, type RunningBot } from '../support/botServer.js';

/**
 * The in-memory store, made to fail on demand as a broken disk or network store would, or to
 * lose every write race as if other instances kept writing the conversation.
 */
class FlakyStorage implements KeyValueStorage {
  failNextRead = false;
  failNextWrite = false;
  failDeletes = false;
  /** Every write fails until cleared, as on a full disk. */
  diskFull = false;
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
    if (this.failNextWrite || this.diskFull) {
      this.failNextWrite = false;
      throw new Error('storage unavailable');
    }
    return this.inner.write(changes);
  }

  async create(key: string, item: object) {
    if (this.contended) throw new StorageConflictError(key);
    if (this.diskFull) throw new Error('storage unavailable');
    return this.inner.create(key, item);
  }

  async delete(keys: string[]) {
    if (this.failDeletes) throw new Error('storage unavailable');
    this.deleted.push(...keys);
    return this.inner.delete(keys);
  }

  /** Puts a state no turn could have written, which breaks the next turn. */
  async corrupt(key: string) {
    const items = await this.inner.read([key]);
    const item = items[key] as { state: Record<string, unknown> };
    await this.inner.write({ [key]: { ...item, state: { ...item.state, recent: 42 }, eTag: '*' } });
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

/** The state's key: conversation ids are unique only within their channel. */
const keyOf = (conversationId: string): string => `webchat|${conversationId}`;

/** A conversation at the first tip of "Cannot Restore Backup", whose next step on "no" is Wi-Fi. */
async function inTree() {
  const chat = conversation(bot);
  const first = await chat.say('my iphone says Cannot Restore Backup');
  expect(textOf(first.replies)).toMatch(/three most recent/);
  return chat;
}

describe('a storage failure', () => {
  it('apologises with ERR_STORAGE_UNAVAILABLE when the state cannot be read, and goes on from the saved state', async () => {
    const chat = await inTree();
    storage.failNextRead = true;
    const failed = await chat.say('no');
    expect(failed.status).toBe(200);
    expect(textOf(failed.replies)).toMatch(/nothing has changed.*\(ERR_STORAGE_UNAVAILABLE\)/s);
    expect(textOf(failed.replies)).not.toMatch(/lost track/);
    expect(textOf(failed.replies)).not.toMatch(/storage unavailable|at .*\.js/);
    expect(storage.deleted).not.toContain(keyOf(chat.id));

    const after = await chat.say('no');
    expect(textOf(after.replies)).toMatch(/Wi-Fi/);
  });

  it('apologises when the state cannot be written, sends no reply of the lost turn, and goes on from the last saved state', async () => {
    const chat = await inTree();
    storage.failNextWrite = true;
    const failed = await chat.say('no');
    expect(textOf(failed.replies)).toMatch(/nothing has changed.*\(ERR_STORAGE_UNAVAILABLE\)/s);
    expect(textOf(failed.replies)).not.toMatch(/lost track/);
    expect(textOf(failed.replies)).not.toMatch(/Wi-Fi/);
    expect(storage.deleted).not.toContain(keyOf(chat.id));

    const after = await chat.say('no');
    expect(textOf(after.replies)).toMatch(/Wi-Fi/);
  });

  it('turns /readyz to 503 while the state cannot be written, and back to 200 once it can', async () => {
    const chat = await inTree();
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    storage.diskFull = true;
    try {
      await chat.say('no');
      const failing = await fetch(`${bot.url}/readyz`);
      expect(failing.status).toBe(503);
      expect(await failing.json()).toEqual({ status: 'storage failing' });
    } finally {
      storage.diskFull = false;
    }
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    expect(textOf((await chat.say('no')).replies)).toMatch(/Wi-Fi/);
  });

  it('keeps the conversation when its state stays contended past every retry', async () => {
    const chat = await inTree();
    storage.contended = true;
    const failed = await chat.say('no');
    storage.contended = false;
    expect(failed.status).toBe(200);
    expect(textOf(failed.replies)).toMatch(/\(ERR_STORAGE_CONFLICT\)/);
    expect(storage.deleted).not.toContain(keyOf(chat.id));

    expect(textOf((await chat.say('no')).replies)).toMatch(/Wi-Fi/);
  });
});

describe('a turn that fails unexpectedly', () => {
  it('apologises with ERR_TURN_FAILED, resets the conversation and keeps serving', async () => {
    const chat = await inTree();
    await storage.corrupt(keyOf(chat.id));
    const failed = await chat.say('no');
    expect(failed.status).toBe(200);
    expect(textOf(failed.replies)).toMatch(/went wrong.*\(ERR_TURN_FAILED\)/s);
    expect(textOf(failed.replies)).not.toMatch(/iterable|at .*\.js/);
    expect(storage.deleted).toContain(keyOf(chat.id));

    const after = await chat.say('my restore is slow');
    expect(textOf(after.replies)).toMatch(/per gigabyte/);
  });

  it('still apologises when the reset itself fails', async () => {
    const chat = await inTree();
    await storage.corrupt(keyOf(chat.id));
    storage.failDeletes = true;
    try {
      const failed = await chat.say('no');
      expect(textOf(failed.replies)).toMatch(/went wrong.*\(ERR_TURN_FAILED\)/s);
    } finally {
      storage.failDeletes = false;
    }
  });
});
